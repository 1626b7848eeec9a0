import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors, statusOf } from '../errors.ts';
import { listFlows } from '../flows/flows.service.ts';
import type { RenderedInvite } from '../invites/invite-render.ts';
import { prepareInvite, sendContext } from '../invites/invite-send.ts';
import { readSendBody } from '../invites/invites.input.ts';
import { sendInviteBatch } from '../invites/invites-batch.service.ts';
import { groupsNamed } from '../members/groups.service.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import { loadInviteSettings } from '../settings/invite-settings.service.ts';
import { setFlash } from './flash.ts';
import { type FormErrors, field, formErrorsOf, requireCsrf } from './forms.ts';
import { type SendForm, SendPage } from './pages/send.tsx';
import { seeOther, sendPage } from './render.ts';
import {
  groupOf,
  originOf,
  RECIPIENT_FIELDS,
  sendBodyOf,
  type Teammate,
  teammatesOf,
  values,
} from './send-input.ts';
import { previewSend, type SendPreview } from './send-preview.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

/** The templates a send may pick; a client keeps a handful. */
const FLOW_CHOICES = 100;

async function sendChoices(deps: Deps, member: SignedIn) {
  const [flows, settings, teammates] = await Promise.all([
    listFlows(deps, member.clientId, { limit: FLOW_CHOICES }),
    loadInviteSettings(deps.db, member.clientId),
    teammatesOf(deps, member),
  ]);
  return {
    flows: flows.results.map((f) => ({ id: f.id, name: f.name })),
    defaultFlowId: settings.default_flow_id,
    teammates,
  };
}

async function showSend(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  form: SendForm,
  extra: { errors?: FormErrors; preview?: SendPreview; status?: number },
) {
  const member = memberOf(req);
  const [choices, groups] = await Promise.all([
    sendChoices(deps, member),
    groupsNamed(deps, member.clientId, member.groupIds),
  ]);
  const shell = await shellOf(deps, req, reply);
  return sendPage(
    reply,
    <SendPage shell={shell} {...choices} groups={groups} form={form} {...extra} />,
    extra.status,
  );
}

function formOf(body: unknown): SendForm {
  const typed: Partial<Record<string, string>> = {};
  for (const f of RECIPIENT_FIELDS) typed[f.name] = field(body, f.name);
  return {
    values: typed,
    flowId: field(body, 'flow_id'),
    groupId: field(body, 'group_id'),
    cc: values(body, 'cc'),
  };
}

/** A service's field errors as the form shows them, nested ones by their dotted name. */
const shownErrors = (errors: FieldErrors): FormErrors => formErrorsOf(AppError.fields(errors)) ?? {};

/** A draft to preview from what was typed, when the send is not valid yet. */
function draftOf(member: SignedIn, form: SendForm, defaultFlowId: string | null): RenderedInvite {
  return {
    client_id: member.clientId,
    id: 'preview',
    first_name: form.values.first_name ?? '',
    last_name: form.values.last_name ?? '',
    override_invite_template: null,
    invite_template_id: null,
    rendered_flow_id: form.flowId.trim().toUpperCase() || defaultFlowId,
  };
}

/** Send invite: the form, its previews, and the send itself through the API's own code. */
export function registerSendRoutes(app: FastifyInstance, deps: Deps): void {
  // The form shows the recipient's email and pages as previews.
  const guard = { preHandler: requireMember(deps, 'canSend'), config: { previews: true } };

  app.get('/send', guard, async (req, reply) => {
    const member = memberOf(req);
    const form: SendForm = { values: {}, flowId: '', groupId: '', cc: [member.id] };
    return showSend(deps, req, reply, form, {});
  });

  app.post('/send', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const member = memberOf(req);
    const form = formOf(req.body);
    const teammates: Teammate[] = await teammatesOf(deps, member);
    const { body, errors } = readSendBody(sendBodyOf({ ...form.values, flow_id: form.flowId }));
    const groupId = groupOf(member, form.groupId, errors);
    const origin = originOf(member, teammates, form.cc, groupId);

    if (field(req.body, 'action') === 'preview') {
      const ctx = await sendContext(deps, member.clientId);
      const prepared = await prepareInvite(deps, ctx, body, errors, origin);
      const draft =
        'invite' in prepared ? prepared.invite.row : draftOf(member, form, ctx.settings.default_flow_id);
      const preview = await previewSend(deps, draft);
      const shown = 'errors' in prepared ? shownErrors(prepared.errors) : undefined;
      return showSend(deps, req, reply, form, { errors: shown, preview });
    }

    if (errors.group_id) {
      return showSend(deps, req, reply, form, {
        errors: shownErrors(errors),
        status: statusOf('bad_request'),
      });
    }
    const [result] = (await sendInviteBatch(deps, member.clientId, [body], undefined, origin)).results;
    if (!result || 'errors' in result) {
      const refused = { ...result?.errors, ...errors };
      return showSend(deps, req, reply, form, {
        errors: shownErrors(refused),
        status: statusOf('bad_request'),
      });
    }
    setFlash(reply, deps.config, 'invite_sent');
    return seeOther(reply, `/console/invites/${result.invite.id}`);
  });
}
