import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { statusOf } from '../errors.ts';
import { parseUuid } from '../lib/ids.ts';
import { can, invitesVisibleTo } from '../members/roles.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import type { OutboxQuery } from '../outbox/outbox.schema.ts';
import { type OutboxScope, readOutbox, readOutboxMessage } from '../outbox/outbox.service.ts';
import { type FormErrors, field, formErrorsOf } from './forms.ts';
import { type OutboxFormValues, OutboxPage } from './pages/outbox.tsx';
import { OutboxMessagePage } from './pages/outbox-message.tsx';
import { sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

/**
 * A member sees the messages of the invites they may see. Messages of no invite (members'
 * set-password and reset emails, completion notices) show only to those who manage members:
 * they carry other members' sign-in links.
 */
function scopeOf(member: SignedIn): OutboxScope {
  return { invites: invitesVisibleTo(member).only, unlinked: can(member, 'canManageMembers') };
}

/** The filter form as typed, and the query it makes; a value that could match nothing is an error. */
function readFilters(req: FastifyRequest): {
  values: OutboxFormValues;
  query: OutboxQuery;
  errors: FormErrors;
} {
  const values = {
    channel: field(req.query, 'channel').trim(),
    to: field(req.query, 'to').trim(),
    invite: field(req.query, 'invite').trim(),
  };
  const query: OutboxQuery = {};
  const errors: FormErrors = {};
  if (values.channel === 'email' || values.channel === 'sms') query.channel = values.channel;
  else if (values.channel !== '')
    errors.channel = [`"${values.channel.slice(0, 20)}" is not a valid choice.`];
  if (values.to.length > 254) errors.to = ['Ensure this field has no more than 254 characters.'];
  else if (values.to !== '') query.to = values.to;
  const invite = parseUuid(values.invite);
  if (invite) query.invite = invite;
  else if (values.invite !== '') errors.invite = ['Must be a valid UUID.'];
  const cursor = field(req.query, 'cursor');
  if (cursor !== '') query.cursor = cursor;
  return { values, query, errors };
}

const cursorOf = (url: string | null) => (url ? new URL(url).searchParams.get('cursor') : null);

export function registerOutboxRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'seesPersonalData') };

  app.get('/outbox', guard, async (req, reply) => {
    const member = memberOf(req);
    const { values, query, errors } = readFilters(req);
    const refused = async (found: FormErrors) =>
      sendPage(
        reply,
        <OutboxPage
          shell={await shellOf(deps, req, reply)}
          messages={[]}
          values={values}
          older={null}
          newer={null}
          errors={found}
        />,
        statusOf('bad_request'),
      );
    if (Object.keys(errors).length > 0) return refused(errors);
    let result: Awaited<ReturnType<typeof readOutbox>>;
    try {
      result = await readOutbox(deps, member.clientId, query, scopeOf(member));
    } catch (err) {
      const found = formErrorsOf(err);
      if (!found) throw err;
      return refused(found);
    }
    const { page, filters } = result;
    return sendPage(
      reply,
      <OutboxPage
        shell={await shellOf(deps, req, reply)}
        messages={page.results}
        values={{ channel: filters.channel ?? '', to: filters.to ?? '', invite: filters.invite ?? '' }}
        older={cursorOf(page.next)}
        newer={cursorOf(page.previous)}
      />,
    );
  });

  // The email's own HTML shows in a sandboxed frame, with its inline styles.
  app.get<{ Params: { id: string } }>(
    '/outbox/:id',
    { ...guard, config: { previews: true } },
    async (req, reply) => {
      const member = memberOf(req);
      const message = await readOutboxMessage(deps, member.clientId, req.params.id, scopeOf(member));
      return sendPage(reply, <OutboxMessagePage shell={await shellOf(deps, req, reply)} message={message} />);
    },
  );
}
