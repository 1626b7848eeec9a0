import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MembersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import { parseUuid } from '../lib/ids.ts';
import {
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listGroupsWithCounts,
  renameGroup,
} from '../members/groups.service.ts';
import { can, ROLE_LABELS } from '../members/roles.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import {
  changeMemberAccess,
  disableTeamMember,
  enableTeamMember,
  getTeamMember,
  inviteMember,
  listTeam,
  reissueInvite,
} from '../members/team.service.ts';
import { inviteEmail } from './emails/invite-email.tsx';
import { sendMemberEmail } from './emails/member-email.ts';
import { type FlashKey, setFlash } from './flash.ts';
import { type FormErrors, field, formErrorsOf, requireCsrf } from './forms.ts';
import { TeamPage } from './pages/team.tsx';
import type { AccessValues } from './pages/team-fields.tsx';
import { TeamGroupPage } from './pages/team-group.tsx';
import { type InviteValues, TeamInvitePage } from './pages/team-invite.tsx';
import { TeamMemberPage } from './pages/team-member.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';
import { setPasswordUrl } from './urls.ts';

type IdParams = { Params: { id: string } };

const BAD_REQUEST = statusOf('bad_request');

/** Every value posted under `name` (ticked checkboxes repeat it). */
function fieldsOf(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === 'string');
}

/** An id from the path; anything else names nothing. */
function idFrom(req: FastifyRequest<IdParams>): string {
  const id = parseUuid(req.params.id);
  if (!id) throw AppError.notFound();
  return id;
}

/** Errors a form shows, or the error itself when it is not about the input. */
function refusal(err: unknown): FormErrors {
  const errors = formErrorsOf(err);
  if (!errors) throw err;
  return errors;
}

/**
 * Emails a member the link that sets their password, as the reset email goes; false when the
 * mail channel refused it (the member exists either way, and the link can be sent again).
 */
async function sendInvitation(
  deps: Deps,
  req: FastifyRequest,
  admin: SignedIn,
  member: MembersTable,
  token: string,
): Promise<boolean> {
  const message = inviteEmail({
    email: member.email,
    clientName: admin.clientName,
    invitedBy: admin.name || admin.email,
    role: ROLE_LABELS[member.role],
    url: setPasswordUrl(deps.config.PUBLIC_URL, token),
  });
  try {
    await sendMemberEmail(deps, member, message);
    return true;
  } catch (err) {
    req.log.error({ err }, 'sending a member invitation failed');
    return false;
  }
}

/** Team: the client's members (invite, role, groups, disable) and groups. Admins only. */
export function registerTeamRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canManageMembers') };

  async function teamPage(
    req: FastifyRequest,
    reply: FastifyReply,
    groupForm?: { name: string; errors: FormErrors },
  ) {
    const clientId = memberOf(req).clientId;
    const [members, groups] = await Promise.all([
      listTeam(deps, clientId),
      listGroupsWithCounts(deps, clientId),
    ]);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TeamPage shell={shell} members={members} groups={groups} groupForm={groupForm} />,
      groupForm ? BAD_REQUEST : 200,
    );
  }

  async function invitePage(
    req: FastifyRequest,
    reply: FastifyReply,
    values: InviteValues,
    errors?: FormErrors,
  ) {
    const groups = await listGroups(deps, memberOf(req).clientId);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TeamInvitePage shell={shell} groups={groups} values={values} errors={errors} />,
      errors ? BAD_REQUEST : 200,
    );
  }

  async function memberPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    refused?: { values?: AccessValues; errors: FormErrors },
  ) {
    const clientId = memberOf(req).clientId;
    const [member, groups] = await Promise.all([
      getTeamMember(deps, clientId, id),
      listGroups(deps, clientId),
    ]);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TeamMemberPage
        shell={shell}
        member={member}
        groups={groups}
        values={refused?.values}
        errors={refused?.errors}
      />,
      refused ? BAD_REQUEST : 200,
    );
  }

  async function groupPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    refused?: { name: string; errors: FormErrors },
  ) {
    const group = await getGroup(deps, memberOf(req).clientId, id);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TeamGroupPage shell={shell} group={group} name={refused?.name} errors={refused?.errors} />,
      refused ? BAD_REQUEST : 200,
    );
  }

  const done = (reply: FastifyReply, key: FlashKey, url: string) => {
    setFlash(reply, deps.config, key);
    return seeOther(reply, url);
  };

  app.get('/team', guard, async (req, reply) => teamPage(req, reply));

  app.post('/team/groups', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const name = field(req.body, 'name');
    try {
      await createGroup(deps, memberOf(req).clientId, name);
    } catch (err) {
      return teamPage(req, reply, { name, errors: refusal(err) });
    }
    return done(reply, 'group_created', '/console/team');
  });

  app.get('/team/invite', guard, async (req, reply) =>
    invitePage(req, reply, { name: '', email: '', role: '', groupIds: [] }),
  );

  app.post('/team/invite', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const admin = memberOf(req);
    const values = {
      name: field(req.body, 'name'),
      email: field(req.body, 'email'),
      role: field(req.body, 'role'),
      groupIds: fieldsOf(req.body, 'groups'),
    };
    let invited: Awaited<ReturnType<typeof inviteMember>>;
    try {
      invited = await inviteMember(deps, admin.clientId, values);
    } catch (err) {
      return invitePage(req, reply, values, refusal(err));
    }
    const sent = await sendInvitation(deps, req, admin, invited.member, invited.token);
    if (!sent) return done(reply, 'member_invite_unsent', `/console/team/members/${invited.member.id}`);
    return done(reply, 'member_invited', '/console/team');
  });

  app.get<IdParams>('/team/members/:id', guard, async (req, reply) => memberPage(req, reply, idFrom(req)));

  app.post<IdParams>('/team/members/:id', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const admin = memberOf(req);
    const id = idFrom(req);
    const values = { role: field(req.body, 'role'), groupIds: fieldsOf(req.body, 'groups') };
    try {
      await changeMemberAccess(deps, admin, id, values);
    } catch (err) {
      return memberPage(req, reply, id, { values, errors: refusal(err) });
    }
    // An admin who gave up managing members can no longer open this page.
    const stillManages =
      id !== admin.id || can({ role: values.role as SignedIn['role'] }, 'canManageMembers');
    return done(reply, 'member_saved', stillManages ? `/console/team/members/${id}` : '/console');
  });

  app.post<IdParams>('/team/members/:id/disable', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const id = idFrom(req);
    try {
      await disableTeamMember(deps, memberOf(req), id);
    } catch (err) {
      return memberPage(req, reply, id, { errors: refusal(err) });
    }
    return done(reply, 'member_disabled', `/console/team/members/${id}`);
  });

  app.post<IdParams>('/team/members/:id/enable', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const id = idFrom(req);
    await enableTeamMember(deps, memberOf(req).clientId, id);
    return done(reply, 'member_enabled', `/console/team/members/${id}`);
  });

  app.post<IdParams>('/team/members/:id/resend', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const admin = memberOf(req);
    const id = idFrom(req);
    let issued: Awaited<ReturnType<typeof reissueInvite>>;
    try {
      issued = await reissueInvite(deps, admin.clientId, id);
    } catch (err) {
      return memberPage(req, reply, id, { errors: refusal(err) });
    }
    const sent = await sendInvitation(deps, req, admin, issued.member, issued.token);
    return done(reply, sent ? 'member_link_resent' : 'member_invite_unsent', `/console/team/members/${id}`);
  });

  app.get<IdParams>('/team/groups/:id', guard, async (req, reply) => groupPage(req, reply, idFrom(req)));

  app.post<IdParams>('/team/groups/:id', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const id = idFrom(req);
    const name = field(req.body, 'name');
    try {
      await renameGroup(deps, memberOf(req).clientId, id, name);
    } catch (err) {
      return groupPage(req, reply, id, { name, errors: refusal(err) });
    }
    return done(reply, 'group_renamed', '/console/team');
  });

  app.post<IdParams>('/team/groups/:id/delete', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    await deleteGroup(deps, memberOf(req).clientId, idFrom(req));
    return done(reply, 'group_deleted', '/console/team');
  });
}
