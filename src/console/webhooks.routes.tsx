import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { ComingSoonPage } from './pages/coming-soon.tsx';
import { sendPage } from './render.ts';
import { requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

export function registerWebhooksRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/webhooks', { preHandler: requireMember(deps, 'canManageWebhooks') }, async (req, reply) => {
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <ComingSoonPage shell={shell} label="Webhooks" />);
  });
}
