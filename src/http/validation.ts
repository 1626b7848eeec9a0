import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { dropEmptyParams, trimText } from './drf-input.ts';
import { isEmailAddress } from './email-address.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((formatsPlugin as unknown as { default?: typeof formatsPlugin }).default ??
  formatsPlugin) as unknown as (ajv: Ajv, formats: string[]) => Ajv;

// Bodies are taken as sent (no coercion), like a DRF serializer of JSON; query strings and
// path params are text, so they are coerced, and a single `?status=x` becomes an array.
const bodyAjv = addFormats(new Ajv({ allErrors: true, strict: false, verbose: true, coerceTypes: false }), [
  'email',
  'uuid',
  'uri',
  'date-time',
]);
const textAjv = addFormats(new Ajv({ allErrors: true, strict: false, verbose: true, coerceTypes: 'array' }), [
  'email',
  'uuid',
  'uri',
  'date-time',
]);

for (const ajv of [bodyAjv, textAjv]) ajv.addFormat('email', isEmailAddress);

const pointer = (key: string) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

const nullCharacterAt = (instancePath: string): ErrorObject => ({
  instancePath,
  schemaPath: '',
  keyword: 'nullCharacters',
  params: {},
  message: 'Null characters are not allowed.',
});

/**
 * Where a string (or an object key) holds U+0000: PostgreSQL text and jsonb cannot store it,
 * so it is refused on every database, as DRF's CharField refuses it. The walk keeps its own
 * stack, in document order, so that no nesting of the data can exhaust the call stack.
 */
function nullCharacters(data: unknown): ErrorObject[] {
  const found: ErrorObject[] = [];
  const stack: { value: unknown; path: string; badKey?: boolean }[] = [{ value: data, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, badKey } = next;
    if (badKey || (typeof value === 'string' && value.includes('\u0000'))) found.push(nullCharacterAt(path));
    if (badKey || value === null || typeof value !== 'object') continue;
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as readonly [string, unknown];
      stack.push({ value: child, path: path + pointer(key), badKey: key.includes('\u0000') });
    }
  }
  return found;
}

/**
 * Validates a request part as DRF reads it: a body's text fields trimmed first, and a query
 * string's empty text parameters taken as absent (see drf-input.ts). Both change the data in place.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  // Compiled on the route's first request: compiling every route's at start slowed it for
  // routes a process may never answer.
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown) => {
    compiled ??= (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ErrorObject[] | null | undefined;
  const prepare = (data: unknown): unknown => {
    if (httpPart === 'body') return trimText(schema as object, data);
    if (httpPart === 'querystring') dropEmptyParams(schema as object, data);
    return data;
  };
  const check = (input: unknown) => {
    const data = prepare(input);
    const valid = validate(data);
    const nul = nullCharacters(data);
    if (nul.length === 0) {
      check.errors = validate.errors;
      return valid;
    }
    check.errors = [...(validate.errors ?? []), ...nul];
    return false;
  };
  check.errors = null as ErrorObject[] | null | undefined;
  return check as ReturnType<FastifySchemaCompiler<unknown>>;
};
