import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

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

// Stricter than ajv-formats' "fast" email: a dotted domain with a 2+ letter TLD.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
for (const ajv of [bodyAjv, textAjv]) ajv.addFormat('email', (v: string) => v.length <= 254 && EMAIL.test(v));

export const isEmail = (v: string): boolean => v.length <= 254 && EMAIL.test(v);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validate: ValidateFunction = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
  return validate as ReturnType<FastifySchemaCompiler<unknown>>;
};
