import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError, addFieldError, type FieldErrors } from '../errors.ts';
import type { SendInviteRequest } from './invites.schema.ts';

export interface Recipient {
  firstName: string;
  lastName: string;
  email: string | null;
  phoneNumber: string | null;
  phoneE164: string | null;
}

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';

/**
 * The rules the schema cannot state: a name (first/last, or the deprecated full_name
 * filling whichever is absent), at least one contact, and a dialable phone number.
 */
export function resolveRecipient(body: SendInviteRequest): Recipient {
  const errors: FieldErrors = {};
  let first = body.first_name?.trim() ?? '';
  let last = body.last_name?.trim() ?? '';
  if ((!first || !last) && !blank(body.full_name)) {
    const [head = '', ...rest] = body.full_name!.trim().split(/\s+/);
    if (!first) first = head;
    if (!last) last = rest.join(' ');
  }
  if (!first) addFieldError(errors, ['first_name'], 'This field is required.');
  if (!last && blank(body.full_name)) addFieldError(errors, ['last_name'], 'This field is required.');

  let phoneE164: string | null = null;
  if (!blank(body.phone_number)) {
    const parsed = parsePhoneNumberFromString(body.phone_number!, 'US');
    if (parsed?.isValid()) phoneE164 = parsed.number;
    else addFieldError(errors, ['phone_number'], 'Enter a valid phone number.');
  }
  if (blank(body.email) && blank(body.phone_number)) {
    addFieldError(errors, [], 'Either email or phone_number is required.');
  }
  if (Object.keys(errors).length > 0) throw AppError.fields(errors);
  return {
    firstName: first,
    lastName: last,
    email: blank(body.email) ? null : body.email!,
    phoneNumber: blank(body.phone_number) ? null : body.phone_number!,
    phoneE164,
  };
}
