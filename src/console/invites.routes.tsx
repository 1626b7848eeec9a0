import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { readInviteDocument } from '../invites/invite-documents.service.ts';
import { resendInvite, revokeInvite } from '../invites/invites.service.ts';
import {
  type ConsoleListQuery,
  countMemberInvites,
  eachMemberInvite,
  ensureVisible,
  listFilterChoices,
  listMemberInvites,
  memberInviteDetail,
} from '../invites/invites-console.service.ts';
import { inviteUrl } from '../lib/links.ts';
import { can, invitesVisibleTo } from '../members/roles.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import { setFlash } from './flash.ts';
import { requireCsrf } from './forms.ts';
import { InvitePage } from './pages/invite.tsx';
import { InvitesPage } from './pages/invites.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

const QUERY_KEYS = ['status', 'flow', 'sender', 'group', 'from', 'to', 'q', 'after', 'before'] as const;

/** The list's query string, each value as text (a repeated one reads as its first). */
function listQueryOf(req: FastifyRequest): ConsoleListQuery {
  const raw = (req.query ?? {}) as Record<string, unknown>;
  const query: ConsoleListQuery = {};
  for (const key of QUERY_KEYS) {
    const v = raw[key];
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string' && first.trim() !== '') query[key] = first.trim().slice(0, 254);
  }
  return query;
}

/** The Invites page, where `/console` opens once signed in: the invites the member may see. */
export async function showInvites(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  const member = memberOf(req);
  const visible = invitesVisibleTo(member);
  const query = listQueryOf(req);
  const [page, tabs, choices] = await Promise.all([
    listMemberInvites(deps, member.clientId, visible, query),
    countMemberInvites(deps, member.clientId, visible, query),
    listFilterChoices(deps, member.clientId),
  ]);
  const shell = await shellOf(deps, req, reply);
  return sendPage(
    reply,
    <InvitesPage
      shell={shell}
      page={page}
      tabs={tabs}
      query={query}
      choices={choices}
      personalData={visible.personalData}
    />,
  );
}

/** A spreadsheet reads a cell starting with one of these as a formula; a leading quote keeps it text. */
function safeCell(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const CSV_COLUMNS = [
  'id',
  'status',
  'name',
  'email',
  'phone_number',
  'external_id',
  'channels',
  'sender',
  'created_at',
  'sent_at',
  'updated_at',
];

/** `attachment; filename="…"` with the name in ASCII and, for any other character, RFC 5987's `filename*`. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

type IdParams = { Params: { id: string } };

const idOf = (req: FastifyRequest<IdParams>) => req.params.id.toLowerCase();
const actorOf = (member: SignedIn) => ({ id: member.id, name: member.name || member.email });

export function registerInvitesRoutes(app: FastifyInstance, deps: Deps): void {
  const signedIn = { preHandler: requireMember(deps) };
  const sender = { preHandler: requireMember(deps, 'canSend') };

  app.get('/invites', signedIn, (req, reply) => showInvites(deps, req, reply));

  app.get('/invites/export.csv', signedIn, async (req, reply) => {
    const member = memberOf(req);
    const visible = invitesVisibleTo(member);
    const rows = eachMemberInvite(deps, member.clientId, visible, listQueryOf(req));
    const records = Readable.from(
      (async function* () {
        for await (const i of rows) {
          yield [
            i.id,
            i.status,
            i.name,
            i.email,
            i.phoneNumber,
            i.externalId,
            i.channels.map((c) => `${c.method}:${c.status}`).join(' '),
            i.sender,
            i.createdAt,
            i.invitedAt,
            i.updatedAt,
          ].map(safeCell);
        }
      })(),
    );
    const csv = stringify({ header: true, columns: CSV_COLUMNS });
    // A failure after the first rows (the database gone) ends the download short; it must
    // never be an error nobody listens for, which would end the process.
    pipeline(records, csv, (err) => {
      if (err) req.log.error({ err }, 'invite export ended early');
    });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment('invites.csv'))
      .send(csv);
  });

  app.get<IdParams>('/invites/:id', signedIn, async (req, reply) => {
    const member = memberOf(req);
    const visible = invitesVisibleTo(member);
    const detail = await memberInviteDetail(deps, member.clientId, visible, idOf(req));
    const canAct = can(member, 'canSend');
    const link = canAct ? inviteUrl(deps.config.PUBLIC_URL, detail.invite.id) : null;
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <InvitePage shell={shell} detail={detail} link={link} canAct={canAct} />);
  });

  app.get<{ Params: { id: string; documentId: string } }>(
    '/invites/:id/documents/:documentId',
    signedIn,
    async (req, reply) => {
      const member = memberOf(req);
      const visible = invitesVisibleTo(member);
      const id = req.params.id.toLowerCase();
      await ensureVisible(deps, member.clientId, visible, id);
      // Documents are the recipient's: a role without personal data gets none of them.
      if (!visible.personalData) throw AppError.notFound();
      const doc = await readInviteDocument(deps, member.clientId, id, req.params.documentId.toLowerCase());
      return reply
        .type('application/octet-stream')
        .header('content-disposition', attachment(doc.fileName))
        .send(doc.content);
    },
  );

  app.post<IdParams>('/invites/:id/resend', sender, async (req, reply) => {
    await requireCsrf(deps, req);
    const member = memberOf(req);
    const id = idOf(req);
    await ensureVisible(deps, member.clientId, invitesVisibleTo(member), id);
    await resendInvite(deps, member.clientId, id, undefined, actorOf(member));
    setFlash(reply, deps.config, 'invite_resent');
    return seeOther(reply, `/console/invites/${id}`);
  });

  app.post<IdParams>('/invites/:id/revoke', sender, async (req, reply) => {
    await requireCsrf(deps, req);
    const member = memberOf(req);
    const id = idOf(req);
    await ensureVisible(deps, member.clientId, invitesVisibleTo(member), id);
    await revokeInvite(deps, member.clientId, id, undefined, actorOf(member));
    setFlash(reply, deps.config, 'invite_revoked');
    return seeOther(reply, `/console/invites/${id}`);
  });
}
