import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { statusOf } from '../errors.ts';
import { listFlows } from '../flows/flows.service.ts';
import {
  type InviteSettingsObject,
  UpdateInviteSettingsRequest,
} from '../settings/invite-settings.schema.ts';
import { getInviteSettings, updateInviteSettings } from '../settings/invite-settings.service.ts';
import { setFlash } from './flash.ts';
import { formErrorsOf, requireCsrf } from './forms.ts';
import { SettingsPage } from './pages/settings.tsx';
import type { FormValues } from './pages/template-fields.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';
import { checkBody, valuesOf } from './templates.form.ts';

const FIELDS = [
  'company_name',
  'sender',
  'brand.own_color',
  'brand.color',
  'brand.logo',
  'default_flow_id',
  'require_external_id',
  'reminders.enabled',
  'reminders.after_days',
  'reminders.max_count',
  'reminders.send_window.start',
  'reminders.send_window.end',
  'reminders.send_window.timezone',
  'expiry.enabled',
  'expiry.after_days',
] as const;

const TIME_ZONES = Intl.supportedValuesOf('timeZone');
const onOff = (on: boolean) => (on ? 'on' : '');

function settingsValues(s: InviteSettingsObject): FormValues {
  return {
    company_name: s.company_name ?? '',
    sender: s.sender ?? '',
    'brand.own_color': onOff(s.brand.color !== null),
    'brand.color': s.brand.color ?? '',
    'brand.logo': s.brand.logo ?? '',
    default_flow_id: s.default_flow_id ?? '',
    require_external_id: onOff(s.require_external_id),
    'reminders.enabled': onOff(s.reminders.enabled),
    'reminders.after_days': String(s.reminders.after_days),
    'reminders.max_count': String(s.reminders.max_count),
    'reminders.send_window.start': s.reminders.send_window.start,
    'reminders.send_window.end': s.reminders.send_window.end,
    'reminders.send_window.timezone': s.reminders.send_window.timezone,
    'expiry.enabled': onOff(s.expiry.enabled),
    'expiry.after_days': String(s.expiry.after_days),
  };
}

/** A whole number as a number; anything else as typed, for the API to refuse with its message. */
const integer = (value: string | undefined) => (/^\s*\d{1,9}\s*$/.test(value ?? '') ? Number(value) : value);
/** A blank text resets the setting. */
const orNull = (value: string | undefined) => (value?.trim() ? value : null);

/** The API request the form makes: every setting, as the form shows it. */
function requestOf(v: FormValues): Record<string, unknown> {
  return {
    company_name: orNull(v.company_name),
    sender: orNull(v.sender),
    brand: {
      color: v['brand.own_color'] === 'on' ? (v['brand.color'] ?? '') : null,
      logo: orNull(v['brand.logo']),
    },
    default_flow_id: orNull(v.default_flow_id),
    require_external_id: v.require_external_id === 'on',
    reminders: {
      enabled: v['reminders.enabled'] === 'on',
      after_days: integer(v['reminders.after_days']),
      max_count: integer(v['reminders.max_count']),
      send_window: {
        start: v['reminders.send_window.start'] ?? '',
        end: v['reminders.send_window.end'] ?? '',
        timezone: v['reminders.send_window.timezone'] ?? '',
      },
    },
    expiry: { enabled: v['expiry.enabled'] === 'on', after_days: integer(v['expiry.after_days']) },
  };
}

/** The Settings page: the client's invite settings, through the API's own service. */
export function registerSettingsRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canEditFlows') };

  async function page(
    req: FastifyRequest,
    reply: FastifyReply,
    form: { values: FormValues; errors?: Record<string, string[]> },
    status = 200,
  ) {
    const flows = await listFlows(deps, memberOf(req).clientId, { limit: 100 });
    const templates = flows.results.filter((f) => f.type === 'email_sms_template');
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <SettingsPage
        shell={shell}
        values={form.values}
        errors={form.errors}
        templates={templates}
        timeZones={TIME_ZONES}
      />,
      status,
    );
  }

  app.get('/settings', guard, async (req, reply) => {
    const settings = await getInviteSettings(deps, memberOf(req).clientId);
    return page(req, reply, { values: settingsValues(settings) });
  });

  app.post('/settings', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const values = valuesOf(req.body, FIELDS);
    try {
      await updateInviteSettings(
        deps,
        memberOf(req).clientId,
        checkBody(UpdateInviteSettingsRequest, requestOf(values)),
      );
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return page(req, reply, { values, errors }, statusOf('bad_request'));
    }
    setFlash(reply, deps.config, 'settings_saved');
    return seeOther(reply, '/console/settings');
  });
}
