import type { ErrorObject } from 'ajv';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { addFieldError, type FieldErrors, fieldErrorsFromAjv } from '../errors.ts';
import { stripText } from '../http/drf-input.ts';
import { validatorCompiler } from '../http/validation.ts';
import type { SendInviteRequest } from './invites.schema.ts';
import { SendInviteRequest as SendInviteSchema } from './invites.schema.ts';

export interface Recipient {
  firstName: string;
  lastName: string;
  email: string | null;
  phoneNumber: string | null;
  phoneE164: string | null;
}

// Text arrives trimmed (validation strips it, as DRF does), so blank text is empty.
const filled = (v: string | null | undefined): v is string => v !== undefined && v !== null && v !== '';
const blank = (v: string | null | undefined): boolean => !filled(v);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The rules the schema cannot state: a name (first/last, or the deprecated full_name
 * filling whichever is absent), at least one contact, and a dialable phone number.
 * Adds to `errors` (which may already hold the schema's), so one answer lists every
 * problem; fields the schema already rejected are not judged again.
 */
export function resolveRecipient(raw: SendInviteRequest, errors: FieldErrors): Recipient | null {
  const add = (field: string, message: string) => {
    if (!errors[field]) addFieldError(errors, field ? [field] : [], message);
  };
  const body = {
    first_name: str(raw.first_name),
    last_name: str(raw.last_name),
    full_name: str(raw.full_name),
    email: str(raw.email),
    phone_number: str(raw.phone_number),
  };
  let first = body.first_name ?? '';
  let last = body.last_name ?? '';
  if ((!first || !last) && filled(body.full_name)) {
    const [head = '', ...rest] = body.full_name.split(/\s+/);
    if (!first) first = head;
    if (!last) last = rest.join(' ');
  }
  const missing = (v: string | undefined) =>
    v === undefined ? 'This field is required.' : 'This field may not be blank.';
  if (!first) add('first_name', missing(body.first_name));
  if (!last && blank(body.full_name)) add('last_name', missing(body.last_name));

  let phoneE164: string | null = null;
  if (filled(body.phone_number)) {
    const parsed = parsePhoneNumberFromString(body.phone_number, 'US');
    if (parsed?.isValid()) phoneE164 = parsed.number;
    else add('phone_number', 'Enter a valid phone number.');
  }
  if (blank(body.email) && blank(body.phone_number) && !errors.email && !errors.phone_number) {
    add('', 'Either email or phone_number is required.');
  }
  if (Object.keys(errors).length > 0) return null;
  return {
    firstName: first,
    lastName: last,
    email: filled(body.email) ? body.email : null,
    phoneNumber: filled(body.phone_number) ? body.phone_number : null,
    phoneE164,
  };
}

/**
 * Clients following the seed ("email: required when phone_number is empty", "full_name:
 * required when first_name and last_name are empty") send empty strings for what they lack;
 * treat those as absent before validation, whitespace included (validation would make it blank).
 */
export function dropEmptyContacts(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const b = body as Record<string, unknown>;
  for (const key of ['email', 'phone_number', 'full_name']) {
    const value = b[key];
    if (typeof value === 'string' && stripText(value) === '') delete b[key];
  }
}

type Check = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

// The body schema of `POST /v2/invites`, checked by the same rules (text trimmed, U+0000 refused).
const checkSend = validatorCompiler({
  schema: SendInviteSchema,
  method: 'POST',
  url: '/v2/invites',
  httpPart: 'body',
}) as unknown as Check;

/**
 * A send body read as `POST /v2/invites` reads its own: blank contacts dropped, then the
 * schema's complaints. For bodies that come another way (a batch's items, the Console's forms).
 */
export function readSendBody(item: unknown): { body: SendInviteRequest; errors: FieldErrors } {
  dropEmptyContacts(item);
  const errors = checkSend(item) ? {} : fieldErrorsFromAjv(checkSend.errors ?? []);
  return { body: item as SendInviteRequest, errors };
}
