import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { clockOffsetOf } from '../db/sandbox-clocks.repo.ts';
import type { Deps } from '../deps.ts';
import { inClientTime } from '../lib/client-time.ts';

/** Whose request this is; null when it belongs to no client (it then runs on the server's time). */
export type ClientOf = (req: FastifyRequest) => Promise<string | null> | string | null;

/**
 * Sandbox mode: the rest of a request runs in its client's time, so every timestamp it writes
 * or answers follows the client's test clock (lib/client-time.ts). A callback hook, because
 * only `done()` called inside the client's time carries it into the hooks and handler that
 * follow; used after the body is read, because the body's stream events would not carry it.
 * A failed lookup leaves the request on the server's time: the handler meets the same fault
 * and answers it.
 */
export function enterClientTime(deps: Pick<Deps, 'db'>, clientOf: ClientOf) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const enter = async () => {
      const clientId = await clientOf(req);
      return clientId ? { clientId, offsetMs: await clockOffsetOf(deps.db, clientId) } : null;
    };
    enter().then(
      (time) => (time ? inClientTime(time, () => done()) : done()),
      () => done(),
    );
  };
}
