import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { ComingSoonPage } from './pages/coming-soon.tsx';
import { sendPage } from './render.ts';
import { requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

export function registerDashboardRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard', { preHandler: requireMember(deps, 'canSeeDashboard') }, async (req, reply) => {
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <ComingSoonPage shell={shell} label="Dashboard" />);
  });
}
