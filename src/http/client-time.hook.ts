import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { clockOffsetOf } from '../db/sandbox-clocks.repo.ts';
import type { Deps } from '../deps.ts';
import { inClientTime } from '../lib/client-time.ts';

/**
 * Sandbox mode: the rest of an API request runs in the caller's time, so every timestamp it
 * writes or answers follows the client's test clock. A callback hook, because only `done()`
 * called inside the client's time carries it into the hooks and handler that follow; after
 * the body is read, because the body's stream events would not carry it.
 */
export function enterClientTime(deps: Pick<Deps, 'db'>) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const clientId = req.principal.clientId;
    clockOffsetOf(deps.db, clientId).then(
      (offsetMs) => inClientTime({ clientId, offsetMs }, () => done()),
      (err: Error) => done(err),
    );
  };
}
