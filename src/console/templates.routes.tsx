import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import {
  CreateFlowRequest,
  type FlowObject,
  type FlowType,
  UpdateFlowRequest,
} from '../flows/flows.schema.ts';
import { createFlow, deleteFlow, flowIdOf, getFlow, listFlows, updateFlow } from '../flows/flows.service.ts';
import { getInviteSettings, updateInviteSettings } from '../settings/invite-settings.service.ts';
import { field, formErrorsOf, requireCsrf } from './forms.ts';
import { TemplateDeletePage } from './pages/template-delete.tsx';
import type { FormValues } from './pages/template-fields.tsx';
import { TemplateFormPage } from './pages/template-form.tsx';
import { TemplatePreviewPanel } from './pages/template-preview.tsx';
import { TemplatesPage } from './pages/templates.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';
import {
  checkBody,
  flowValues,
  requestOf,
  TEMPLATE_FIELDS,
  valuesOf,
  withoutNulls,
} from './templates.form.ts';
import { previewTemplate } from './templates.preview.ts';

/** The most templates the list shows; clients keep a handful. */
const LIST_LIMIT = 100;
const TEMPLATE_KEYS = ['brand', 'email', 'sms_text', 'landing_page', 'success_page', 'flow_items'] as const;

type IdParams = { Params: { id: string } };

/** A flow id from the path, as stored; anything else names nothing. */
function flowIdFrom(req: FastifyRequest<IdParams>): string {
  if (!/^[0-9A-Za-z]{8}$/.test(req.params.id)) throw AppError.notFound();
  return flowIdOf(req.params.id);
}

const typeOf = (values: FormValues): FlowType =>
  values.type === 'shareable_url' ? 'shareable_url' : 'email_sms_template';

/** The request without the fields the API would refuse, so a preview never shows what cannot be saved. */
function withoutRefused(request: Record<string, unknown>): Record<string, unknown> {
  let errors: Record<string, string[]> | null = null;
  try {
    checkBody(UpdateFlowRequest, request);
  } catch (err) {
    errors = formErrorsOf(err);
    if (!errors) throw err;
  }
  for (const key of Object.keys(errors ?? {})) {
    const [top = '', inner] = key.split('.');
    const object = request[top];
    if (inner !== undefined && object !== null && typeof object === 'object') {
      delete (object as Record<string, unknown>)[inner];
    } else {
      delete request[top];
    }
  }
  return request;
}

/** What the recipient would get from the form as it stands. */
function previewOf(deps: Deps, clientId: string, values: FormValues) {
  const type = typeOf(values);
  const request = withoutRefused(requestOf(values, type));
  const template = Object.fromEntries(
    TEMPLATE_KEYS.filter((k) => request[k] !== null && request[k] !== undefined).map((k) => [k, request[k]]),
  );
  return previewTemplate(deps, clientId, { type, language: values.language ?? 'en', template });
}

async function isDefault(deps: Deps, clientId: string, flowId: string): Promise<boolean> {
  return (await getInviteSettings(deps, clientId)).default_flow_id === flowId;
}

/** The Templates pages (flows): list, create, edit with a live preview, default, Shareable URLs, delete. */
export function registerTemplatesRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canEditFlows') };
  // The editor shows the recipient's email and pages beside the form.
  const editor = { ...guard, config: { previews: true } };

  async function formPage(
    req: FastifyRequest,
    reply: FastifyReply,
    page: { flow: FlowObject | null; values: FormValues; errors?: Record<string, string[]> },
    status = 200,
  ) {
    const clientId = memberOf(req).clientId;
    const [preview, byDefault] = await Promise.all([
      previewOf(deps, clientId, page.values),
      page.flow ? isDefault(deps, clientId, page.flow.id) : false,
    ]);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TemplateFormPage
        shell={shell}
        flow={page.flow}
        values={page.values}
        errors={page.errors}
        preview={preview}
        isDefault={byDefault}
      />,
      status,
    );
  }

  app.get('/templates', guard, async (req, reply) => {
    const clientId = memberOf(req).clientId;
    const [flows, settings] = await Promise.all([
      listFlows(deps, clientId, { limit: LIST_LIMIT }),
      getInviteSettings(deps, clientId),
    ]);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <TemplatesPage shell={shell} flows={flows.results} defaultFlowId={settings.default_flow_id} />,
    );
  });

  app.get('/templates/new', editor, async (req, reply) =>
    formPage(req, reply, { flow: null, values: { type: 'email_sms_template', language: 'en' } }),
  );

  app.post('/templates/new', editor, async (req, reply) => {
    await requireCsrf(deps, req);
    const values = valuesOf(req.body, TEMPLATE_FIELDS);
    if (field(req.body, '_action') === 'preview') return formPage(req, reply, { flow: null, values });
    try {
      const body = { type: typeOf(values), ...withoutNulls(requestOf(values, typeOf(values))) };
      const flow = await createFlow(deps, memberOf(req).clientId, checkBody(CreateFlowRequest, body));
      return seeOther(reply, `/console/templates/${flow.id}`);
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return formPage(req, reply, { flow: null, values, errors }, statusOf('bad_request'));
    }
  });

  // The preview alone, for the page to refresh as the form changes; nothing is saved.
  app.post('/templates/preview', editor, async (req, reply) => {
    await requireCsrf(deps, req);
    const preview = await previewOf(deps, memberOf(req).clientId, valuesOf(req.body, TEMPLATE_FIELDS));
    return reply
      .type('text/html; charset=utf-8')
      .send(renderToString(<TemplatePreviewPanel preview={preview} />));
  });

  app.get<IdParams>('/templates/:id', editor, async (req, reply) => {
    const flow = await getFlow(deps, memberOf(req).clientId, flowIdFrom(req));
    return formPage(req, reply, { flow, values: flowValues(flow) });
  });

  app.post<IdParams>('/templates/:id', editor, async (req, reply) => {
    await requireCsrf(deps, req);
    const clientId = memberOf(req).clientId;
    const flow = await getFlow(deps, clientId, flowIdFrom(req));
    // The type never changes, whatever the form says.
    const values = { ...valuesOf(req.body, TEMPLATE_FIELDS), type: flow.type };
    if (field(req.body, '_action') === 'preview') return formPage(req, reply, { flow, values });
    try {
      await updateFlow(deps, clientId, flow.id, checkBody(UpdateFlowRequest, requestOf(values, flow.type)));
      return seeOther(reply, `/console/templates/${flow.id}`);
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return formPage(req, reply, { flow, values, errors }, statusOf('bad_request'));
    }
  });

  app.post<IdParams>('/templates/:id/default', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const clientId = memberOf(req).clientId;
    const flow = await getFlow(deps, clientId, flowIdFrom(req));
    try {
      await updateInviteSettings(deps, clientId, { default_flow_id: flow.id });
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      throw AppError.detail('bad_request', Object.values(errors).flat().join(' '));
    }
    return seeOther(reply, '/console/templates');
  });

  app.post<IdParams>('/templates/:id/active', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const clientId = memberOf(req).clientId;
    const id = flowIdFrom(req);
    const flow = await getFlow(deps, clientId, id);
    if (flow.type !== 'shareable_url') {
      throw AppError.detail('bad_request', 'Only a Shareable URL can be activated or deactivated.');
    }
    await updateFlow(deps, clientId, id, { active: field(req.body, 'active') === 'true' });
    return seeOther(reply, '/console/templates');
  });

  app.get<IdParams>('/templates/:id/delete', guard, async (req, reply) => {
    const flow = await getFlow(deps, memberOf(req).clientId, flowIdFrom(req));
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <TemplateDeletePage shell={shell} flow={flow} />);
  });

  app.post<IdParams>('/templates/:id/delete', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    await deleteFlow(deps, memberOf(req).clientId, flowIdFrom(req));
    return seeOther(reply, '/console/templates');
  });
}
