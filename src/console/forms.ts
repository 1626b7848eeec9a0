import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { CSRF_FIELD, csrfValid } from './csrf.ts';

/** Field errors as a form shows them: each field's messages, by field name. */
export type FormErrors = Record<string, string[]>;

/** A form field as text; a repeated field reads as its first value. */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  // No browser sends U+0000 in a form, and PostgreSQL text cannot hold it.
  return typeof first === 'string' ? first.replaceAll('\u0000', '') : '';
}

/**
 * Refuses (403) a form that does not carry the token its page was given; nothing has changed yet.
 * `signedOutForm`: the form is also shown signed out (sign-in), so the token of this browser's
 * signed-out pages is good too.
 */
export async function requireCsrf(
  deps: Deps,
  req: FastifyRequest,
  opts: { signedOutForm?: boolean } = {},
): Promise<void> {
  if (!(await csrfValid(deps, req, field(req.body, CSRF_FIELD), opts))) {
    throw AppError.detail('forbidden', 'This form has expired. Go back, reload the page and try again.');
  }
}

/**
 * The field errors a service refused a form's input with (the API's 400 shapes), for the form
 * to show beside its fields; null for any other error. A `detail` shows above the form.
 */
export function formErrorsOf(err: unknown): FormErrors | null {
  if (!(err instanceof AppError) || err.kind !== 'bad_request') return null;
  const body = err.body;
  if (typeof body.detail === 'string') return { non_field_errors: [body.detail] };
  const out: FormErrors = {};
  const walk = (tree: FieldErrors, prefix: string) => {
    for (const [key, value] of Object.entries(tree)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (Array.isArray(value)) out[name] = value;
      else walk(value, name);
    }
  };
  walk(body as FieldErrors, '');
  return out;
}
