import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from './clock.ts';

/** A client's clock: the server's, moved forward by `offsetMs` (sandbox test clocks). */
interface ClientTime {
  clientId: string;
  offsetMs: number;
}

const current = new AsyncLocalStorage<ClientTime>();

/**
 * Runs `fn` in the client's time: inside it, and in everything it starts, `now()` of a
 * shifted clock reads the client's clock. Only sandbox mode moves a client's clock; outside
 * it nothing enters a client's time and every clock reads the server's.
 */
export function inClientTime<T>(time: ClientTime, fn: () => T): T {
  // A clock never moved reads the server's time already. Entering it anyway would switch on
  // Node's promise hooks for the whole process (AsyncLocalStorage's cost on every promise,
  // about 5% of a retrieve), so it is entered only to move time or to leave a moved one.
  if (time.offsetMs === 0 && current.getStore() === undefined) return fn();
  return current.run(time, fn);
}

/** A clock that reads the current client's time, and the server's as `real()`. */
export interface ShiftedClock extends Clock {
  /** The server's own time, for what all clients share: leases, send pacing, rate windows. */
  real(): Date;
  /** The current client's clock minus the server's (0 outside a client's time). */
  offsetMs(): number;
}

export function shiftedClock(base: Clock): ShiftedClock {
  const offsetMs = () => current.getStore()?.offsetMs ?? 0;
  return {
    now: () => {
      const offset = offsetMs();
      return offset === 0 ? base.now() : new Date(base.now().getTime() + offset);
    },
    real: () => base.now(),
    offsetMs,
  };
}
