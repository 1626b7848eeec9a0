import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { statusOf } from '../errors.ts';
import { clientNow, listFunnelTemplates, readFunnel } from '../invites/invite-funnel.service.ts';
import { dashboardRequestOf } from './dashboard.query.ts';
import { DashboardPage } from './pages/dashboard.tsx';
import { sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The Dashboard: the funnel of a period's invites, from a GET form that works without script. */
export function registerDashboardRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard', { preHandler: requireMember(deps, 'canSeeDashboard') }, async (req, reply) => {
    const { clientId } = memberOf(req);
    const asked = dashboardRequestOf(req.query, await clientNow(deps, clientId));
    const [templates, funnel] = await Promise.all([
      listFunnelTemplates(deps, clientId),
      asked.ok ? readFunnel(deps, clientId, asked.period, asked.filters) : undefined,
    ]);
    const shell = await shellOf(deps, req, reply);
    if (!asked.ok) {
      return sendPage(
        reply,
        <DashboardPage shell={shell} query={asked.query} templates={templates} errors={asked.errors} />,
        statusOf('bad_request'),
      );
    }
    // The last day shown is the one the period's last moment falls on.
    const days = { from: day(asked.period.from), to: day(new Date(asked.period.to.getTime() - 1)) };
    return sendPage(
      reply,
      <DashboardPage shell={shell} query={asked.query} templates={templates} days={days} funnel={funnel} />,
    );
  });
}
