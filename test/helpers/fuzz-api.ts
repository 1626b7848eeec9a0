import fc from 'fast-check';
import { junk, notJson, query } from './fuzz.ts';

type Json = Record<string, any>;

/** Ids the fuzzer draws from, so that requests reach real objects as well as missing ones. */
export interface Pools {
  invites: string[];
  users: string[];
  templates: string[];
  accounts: string[];
  webhooks: string[];
  deliveries: string[];
  tokens: string[];
}

export interface Operation {
  method: string;
  path: string;
  op: Json;
}

/** Every operation the app documents, pages included. */
export function operationsOf(doc: Json): Operation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
}

/**
 * One of `xs` as it is when the value is drawn (the pools are restocked as the fuzzer deletes
 * what they hold), or `fallback` while it is empty.
 */
const pick = <T>(xs: () => T[], fallback: fc.Arbitrary<T>) =>
  fc.tuple(fc.nat(), fallback).map(([i, other]) => {
    const live = xs();
    return live.length > 0 ? live[i % live.length]! : other;
  });

/** Path segments no route can read, or that name nothing. */
export const badSegment = fc.constantFrom(
  'abc',
  '%zz',
  '%C3%28',
  '%2e%2e',
  '..',
  '%00',
  'null',
  '0424137bc-edc5-35de-c1b5-1c3cddb4b227',
  '0190C5B8-8FA1-77B3-89AF-14B3E18DA8A7',
  'a'.repeat(300),
  '%F0%9F%98%80',
  '%20',
);

/** A value for a path parameter: mostly real ids of the right kind, else random or broken ones. */
export function paramValue(name: string, path: string, pools: Pools): fc.Arbitrary<string> {
  const ids = (): string[] => {
    if (name === 'inviteId') return pools.invites;
    if (name === 'accountId') return pools.accounts;
    if (name === 'delivery_id') return pools.deliveries;
    if (name === 'itemId') return ['item_000000001', 'item_000000007', 'item_000000020', 'item_000000099'];
    if (path.startsWith('/v2/invite-templates')) return pools.templates;
    if (path.startsWith('/v2/users')) return pools.users;
    if (path.startsWith('/v2/accounts')) return pools.accounts;
    if (path.startsWith('/v2/webhooks')) return pools.webhooks;
    return pools.invites;
  };
  if (name === '*')
    return fc.array(fc.oneof(badSegment, fc.webSegment()), { maxLength: 3 }).map((s) => s.join('/'));
  return fc.oneof(
    { arbitrary: pick(ids, fc.uuid()), weight: 6 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: pick(() => Object.values(pools).flat(), fc.uuid()), weight: 1 },
    { arbitrary: badSegment, weight: 1 },
  );
}

const SAMPLES: Record<string, fc.Arbitrary<unknown>> = {
  phone_number: fc.constantFrom('(800) 900-0010', '+44 20 7946 0958', '212 555 5555', '+15005550004', '12'),
  url: fc.constantFrom(
    'https://203.0.113.9/hook',
    'http://127.0.0.1:9/x',
    'https://hooks.invalid/in',
    'ftp://x',
  ),
  logo_url: fc.constantFrom('https://acme.example/logo.png', 'http://x', 'javascript:alert(1)'),
  color: fc.constantFrom('#1A73E8', '#abc', 'red', '#12345'),
};

/** Values that fit a JSON schema (from the OpenAPI document), with real ids where a field names one. */
export function fromSchema(
  schema: Json,
  doc: Json,
  pools: Pools,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema.$ref)
    return fromSchema(doc.components.schemas[schema.$ref.split('/').pop()], doc, pools, name, depth);
  const value = ((): fc.Arbitrary<unknown> => {
    if (SAMPLES[name]) return SAMPLES[name]!;
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) return fc.oneof(...branches.map((b: Json) => fromSchema(b, doc, pools, name, depth + 1)));
    switch (schema.type) {
      case 'string':
        if (schema.format === 'email')
          return fc.oneof(fc.emailAddress(), fc.constantFrom('test1@argyle.com'));
        if (schema.format === 'uuid') return pick(() => [...pools.users, ...pools.templates], fc.uuid());
        if (schema.format === 'date-time')
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        if (name === 'user') return pick(() => pools.users, fc.uuid());
        return fc.string({
          unit: 'grapheme',
          minLength: schema.minLength ?? 0,
          maxLength: Math.min(schema.maxLength ?? 40, 40),
        });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -5, max: schema.maximum ?? 500 });
      case 'number':
        return fc.double({ noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        if (depth > 4) return fc.constant([]);
        return fc.array(fromSchema(schema.items ?? {}, doc, pools, name, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 4, 4),
        });
      case 'object': {
        const props = Object.entries((schema.properties ?? {}) as Record<string, Json>);
        if (props.length === 0 || depth > 4) return fc.object({ maxDepth: 1, maxKeys: 3 });
        return fc.record(
          Object.fromEntries(props.map(([k, s]) => [k, fromSchema(s, doc, pools, k, depth + 1)])),
          { requiredKeys: schema.required ?? [] },
        );
      }
      default:
        return junk;
    }
  })();
  return schema.nullable ? fc.oneof({ arbitrary: value, weight: 4 }, fc.constant(null)) : value;
}

/** A request body as text: fitting the operation's schema, a fitting one with a field broken, or junk. */
export function bodyFor(op: Json, doc: Json, pools: Pools): fc.Arbitrary<string | undefined> {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const fitting = schema ? fromSchema(schema, doc, pools) : fc.constant({});
  const broken = fc
    .tuple(fitting, fc.string({ maxLength: 20 }), junk)
    .map(([v, k, j]) => (v && typeof v === 'object' ? { ...v, [k]: j } : j));
  return fc.oneof(
    { arbitrary: fitting.map((v) => JSON.stringify(v)), weight: 6 },
    { arbitrary: broken.map((v) => JSON.stringify(v) ?? ''), weight: 3 },
    { arbitrary: junk.map((v) => JSON.stringify(v) ?? ''), weight: 1 },
    { arbitrary: notJson, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 2 },
  );
}

/** A query string: the operation's own parameters with fitting or junk values, or anything at all. */
export function queryFor(op: Json, doc: Json, pools: Pools): fc.Arbitrary<string> {
  const params = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
  const own = fc
    .record(
      Object.fromEntries(
        params.map((p) => [p.name, fc.oneof(fromSchema(p.schema ?? {}, doc, pools, p.name), junk)]),
      ),
      { requiredKeys: [] },
    )
    .map((q) => new URLSearchParams(Object.entries(q).map(([k, v]) => [k, asText(v)])).toString());
  return fc.oneof({ arbitrary: own, weight: 3 }, { arbitrary: query, weight: 1 }, fc.constant(''));
}

/** Any generated value as query text; objects without a prototype have no toString. */
function asText(v: unknown): string {
  if (v !== null && typeof v === 'object') return JSON.stringify(v) ?? '';
  return String(v);
}
