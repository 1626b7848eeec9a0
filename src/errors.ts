import type { ErrorObject } from 'ajv';

/** A field-error tree in the DRF shape: `{"field": ["msg"], "nested": {"field": ["msg"]}}`. */
export type FieldErrors = { [key: string]: string[] | FieldErrors };

/** Every kind of error the server answers with, and its HTTP status: the one status table. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  header_fields_too_large: 431,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
} as const;
export type ErrorKind = keyof typeof ERROR_STATUS;

/** The HTTP status of an error kind. */
export const statusOf = (kind: ErrorKind): number => ERROR_STATUS[kind];

/**
 * The one application error. `body` is exactly what goes on the wire (CONTRACT.md):
 * `{"detail": "..."}` or a field-error tree.
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly kind: ErrorKind,
    readonly body: { detail: string } | FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : JSON.stringify(body));
    this.statusCode = ERROR_STATUS[kind];
  }

  /** `{"detail": ...}` with the status of `kind`. */
  static detail(kind: ErrorKind, detail: string, headers: Record<string, string> = {}): AppError {
    return new AppError(kind, { detail }, headers);
  }

  static notFound(): AppError {
    return new AppError('not_found', { detail: 'Not found.' });
  }

  static badRequest(detail: string): AppError {
    return new AppError('bad_request', { detail });
  }

  static fields(errors: FieldErrors): AppError {
    return new AppError('bad_request', errors);
  }

  static field(name: string, message: string): AppError {
    return new AppError('bad_request', { [name]: [message] });
  }
}

/** Adds `message` at `path` inside a field-error tree; an empty path means the body as a whole. */
export function addFieldError(tree: FieldErrors, path: string[], message: string): void {
  const keys = path.length === 0 ? ['non_field_errors'] : path;
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (Array.isArray(next)) return; // the parent is already wrong as a whole
    if (next === undefined) node[key] = {};
    node = node[key] as FieldErrors;
  }
  const last = keys[keys.length - 1];
  if (last === undefined) return;
  const existing = node[last];
  if (existing === undefined) node[last] = [message];
  else if (Array.isArray(existing) && !existing.includes(message)) existing.push(message);
}

function pyType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'object') return 'dict';
  return 'str';
}

function message(e: ErrorObject, atRoot: boolean): string {
  const p = e.params as Record<string, unknown>;
  const custom = (e.parentSchema as Record<string, unknown> | undefined)?.['x-error'];
  if (typeof custom === 'string' && e.keyword !== 'required' && e.keyword !== 'type') return custom;
  switch (e.keyword) {
    case 'required':
      return 'This field is required.';
    case 'type':
      switch (p.type) {
        case 'string':
          return 'Not a valid string.';
        case 'integer':
          return 'A valid integer is required.';
        case 'number':
          return 'A valid number is required.';
        case 'boolean':
          return 'Must be a valid boolean.';
        case 'array':
          return `Expected a list of items but got type "${pyType(e.data)}".`;
        case 'object':
          return atRoot
            ? `Invalid data. Expected a dictionary, but got ${pyType(e.data)}.`
            : `Expected a dictionary of items but got type "${pyType(e.data)}".`;
        default:
          return 'Invalid value.';
      }
    case 'minLength':
      return p.limit === 1
        ? 'This field may not be blank.'
        : `Ensure this field has at least ${p.limit} characters.`;
    case 'maxLength':
      return `Ensure this field has no more than ${p.limit} characters.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${p.limit}.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${p.limit}.`;
    case 'minItems':
      return p.limit === 1
        ? 'This list may not be empty.'
        : `Ensure this field has at least ${p.limit} elements.`;
    case 'maxItems':
      return `Ensure this field has no more than ${p.limit} elements.`;
    case 'format':
      if (p.format === 'email') return 'Enter a valid email address.';
      if (p.format === 'uuid') return 'Must be a valid UUID.';
      return 'Enter a valid value.';
    case 'enum':
      return `"${String(e.data)}" is not a valid choice.`;
    case 'nullCharacters':
      return 'Null characters are not allowed.';
    default:
      return 'Invalid value.';
  }
}

/** Turns Ajv errors into the DRF field-error tree. */
export function fieldErrorsFromAjv(errors: ErrorObject[]): FieldErrors {
  const tree: FieldErrors = {};
  for (const e of errors) {
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required')
      path.push(String((e.params as { missingProperty: string }).missingProperty));
    // anyOf/oneOf report their branches' errors too; the branch errors are the useful ones.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    addFieldError(tree, path, message(e, path.length === 0));
  }
  return tree;
}
