import type { FastifySchema } from 'fastify';
import { AppError, fieldErrorsFromAjv } from '../errors.ts';
import type { FlowObject, FlowType } from '../flows/flows.schema.ts';
import { validatorCompiler } from '../http/validation.ts';
import { field } from './forms.ts';
import type { FormValues } from './pages/template-fields.tsx';

/** The text fields of each template object, as the API names them. */
const GROUPS = {
  brand: ['logo'],
  email: [
    'subject',
    'sender',
    'header',
    'subheader',
    ...([1, 2, 3] as const).flatMap((i) => [
      `body_text_icon_${i}`,
      `body_text_header_${i}`,
      `body_text_subheader_${i}`,
    ]),
  ],
  landing_page: ['header', 'subheader', 'step_1', 'step_2', 'step_3'],
  success_page: ['header', 'subheader', 'button_text', 'button_url'],
} as const;

/** Every field the template form posts. */
export const TEMPLATE_FIELDS = [
  'type',
  'name',
  'language',
  'brand.own_color',
  'brand.color',
  ...Object.entries(GROUPS).flatMap(([group, keys]) => keys.map((k) => `${group}.${k}`)),
  'email.reply_to',
  'sms_text',
  'flow_items',
  'active',
  'notify_emails',
  'allow_email_override',
] as const;

export function valuesOf(body: unknown, names: readonly string[]): FormValues {
  return Object.fromEntries(names.map((name) => [name, field(body, name)]));
}

const onOff = (on: boolean | undefined | null) => (on ? 'on' : '');
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** A saved flow as its form shows it. */
export function flowValues(flow: FlowObject): FormValues {
  const values: FormValues = {
    type: flow.type,
    name: flow.name,
    language: flow.language,
    'brand.own_color': onOff(Boolean(flow.brand?.color)),
    'brand.color': text(flow.brand?.color),
    flow_items: (flow.flow_items ?? []).join('\n'),
  };
  const objects: Record<string, Record<string, unknown> | null | undefined> = {
    brand: flow.brand,
    landing_page: flow.landing_page,
    success_page: flow.success_page,
    email: flow.type === 'email_sms_template' ? flow.email : null,
  };
  for (const [group, keys] of Object.entries(GROUPS)) {
    for (const key of keys) values[`${group}.${key}`] = text(objects[group]?.[key]);
  }
  if (flow.type === 'email_sms_template') {
    values['email.reply_to'] = (flow.email?.reply_to ?? []).join('\n');
    values.sms_text = text(flow.sms_text);
  } else {
    values.active = onOff(flow.active);
    values.notify_emails = flow.notify_emails.join('\n');
    values.allow_email_override = onOff(flow.allow_email_override);
  }
  return values;
}

const listOf = (value: string | undefined, split: RegExp) =>
  (value ?? '')
    .split(split)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The API request a form makes: every field of the flow, a blank one as `null` (cleared), so
 * that what is saved is exactly what the form shows. The type's own fields only.
 */
export function requestOf(values: FormValues, type: FlowType): Record<string, unknown> {
  const out: Record<string, unknown> = { name: values.name ?? '', language: values.language || 'en' };
  for (const [group, keys] of Object.entries(GROUPS)) {
    if (group === 'email' && type !== 'email_sms_template') continue;
    const object: Record<string, unknown> = {};
    for (const key of keys) {
      const value = values[`${group}.${key}`] ?? '';
      if (value.trim() !== '') object[key] = value;
    }
    if (group === 'brand' && values['brand.own_color'] === 'on') object.color = values['brand.color'] ?? '';
    if (group === 'email') {
      const replyTo = listOf(values['email.reply_to'], /[\s,;]+/);
      if (replyTo.length > 0) object.reply_to = replyTo;
    }
    out[group] = Object.keys(object).length > 0 ? object : null;
  }
  const items = listOf(values.flow_items, /\r?\n/);
  out.flow_items = items.length > 0 ? items : null;
  if (type === 'email_sms_template') {
    out.sms_text = values.sms_text?.trim() ? values.sms_text : null;
  } else {
    out.active = values.active === 'on';
    out.notify_emails = listOf(values.notify_emails, /[\s,;]+/);
    out.allow_email_override = values.allow_email_override === 'on';
  }
  return out;
}

/** Without the nulls: a new flow has nothing to clear. */
export function withoutNulls(request: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([, v]) => v !== null));
}

/**
 * Checks a request against the API's own body schema, trimming text as the API does, and
 * throws the API's field errors; the request as the API would read it otherwise.
 */
export function checkBody<T>(schema: FastifySchema['body'], body: Record<string, unknown>): T {
  const check = validatorCompiler({
    schema: schema as object,
    method: 'POST',
    url: '/console',
    httpPart: 'body',
  });
  const result = check(body) as boolean | { error?: unknown };
  const errors = (check as unknown as { errors?: Parameters<typeof fieldErrorsFromAjv>[0] | null }).errors;
  if (result !== true && errors && errors.length > 0) throw AppError.fields(fieldErrorsFromAjv(errors));
  return body as T;
}
