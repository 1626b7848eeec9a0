import fc from 'fast-check';
import { inviteBody } from './app.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A DRF field-error tree: non-empty, every leaf a non-empty list of messages. */
export function isFieldErrors(v: unknown): boolean {
  if (!isObject(v) || Object.keys(v).length === 0) return false;
  return Object.values(v).every((x) =>
    Array.isArray(x) ? x.length > 0 && x.every((m) => typeof m === 'string' && m !== '') : isFieldErrors(x),
  );
}

export const isDetail = (v: unknown) =>
  isObject(v) && Object.keys(v).join() === 'detail' && typeof v.detail === 'string';

const hugeString = fc
  .constantFrom(255, 256, 5001, 70_000, 1_100_000)
  .chain((n) => fc.constantFrom('a', 'é', '😀', ' ').map((c) => c.repeat(n)));
const oddString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\u202E',
  'null',
  '<script>',
  "'; drop table invites; --",
  '[Link]',
  '+1 (800) 900-0010',
  '212-555-5555',
  'test1@argyle.com',
  'ÉMILE@EXAMPLE.COM',
  '0e41254b-bed6-12cd-959d-63470f57c7f5',
);
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  oddString,
  fc.emailAddress(),
  fc.uuid(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.object({ maxDepth: 2 }),
  { arbitrary: hugeString, weight: 1 },
);
const maybe = (a: fc.Arbitrary<unknown>) => fc.oneof(junk, a);

const overrideTemplate = maybe(
  fc.record(
    {
      brand: maybe(fc.record({ color: junk, logo: junk }, { requiredKeys: [] })),
      email: maybe(
        fc.record(
          {
            reply_to: maybe(fc.array(maybe(fc.emailAddress()), { maxLength: 25 })),
            subject: junk,
            sender: junk,
            header: junk,
            body_text_icon_1: junk,
            body_text_header_2: junk,
          },
          { requiredKeys: [] },
        ),
      ),
      sms_text: junk,
      landing_page: maybe(fc.record({ header: junk, flow_id: junk }, { requiredKeys: [] })),
      success_page: maybe(fc.record({ button_url: junk, button_text: junk }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

const text = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
/** Per field: plausible values (so some bodies are accepted) or junk. */
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  first_name: maybe(text(255)),
  last_name: maybe(text(255)),
  full_name: maybe(text(511)),
  email: maybe(fc.emailAddress()),
  phone_number: maybe(
    fc.constantFrom('(800) 900-0010', '+44 20 7946 0958', '212 555 5555', '+1-800-900-0020'),
  ),
  external_id: maybe(fc.string({ maxLength: 255 })),
  flow_id: maybe(fc.string({ maxLength: 100 })),
  flow_items: maybe(fc.array(text(100), { maxLength: 5 })),
  dds_config: maybe(fc.object({ maxDepth: 2 })),
  invite_template_id: junk,
  override_invite_template: overrideTemplate,
};

/** A valid body with a few fields replaced by other values, one perhaps removed, junk keys added. */
export const mutatedBody = fc
  .tuple(
    fc.array(
      fc.constantFrom(...Object.keys(FIELDS)).chain((k) => FIELDS[k]!.map((v) => [k, v] as const)),
      { maxLength: 3 },
    ),
    fc.option(fc.constantFrom('first_name', 'last_name', 'email', 'phone_number')),
    fc.dictionary(fc.string(), fc.anything({ maxDepth: 2 }), { maxKeys: 3 }),
  )
  .map(([over, removed, extra]) => {
    const body: Record<string, unknown> = { ...extra, ...inviteBody(), ...Object.fromEntries(over) };
    if (removed) delete body[removed];
    return body;
  });

/** Text that is not JSON, nor blank (a blank body reads as no body). */
export const notJson = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.json().map((j) => j.slice(0, -1)),
    fc.tuple(fc.json(), fc.string({ minLength: 1 })).map(([j, s]) => j + s),
    fc.constantFrom('{', '{"a":}', "{'a': 1}", 'NaN', '{"a": 1,}', '\uFEFF{}', 'undefined'),
  )
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return s.trim() !== '';
    }
  });

// White-box: a well-formed cursor payload with one part replaced by junk, so the decoder's
// checks (not only base64 and JSON parsing) meet bad input.
export const cursorJunk = fc
  .tuple(
    fc.record({
      d: fc.constantFrom('n', 'p'),
      k: fc.tuple(fc.constantFrom('2026-01-15T12:00:00.000Z', ''), fc.uuid()),
      l: fc.integer({ min: 1, max: 200 }),
      f: fc.record(
        {
          status: fc.subarray(['sent', 'initiated', 'attempted', 'completed', 'revoked']),
          reply_to: fc.emailAddress(),
          external_id: fc.string(),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.constantFrom(
      'd',
      'k',
      'k.0',
      'l',
      'f',
      'f.status',
      'f.status.0',
      'f.reply_to',
      'f.external_id',
      'none',
    ),
    junk,
  )
  .map(([payload, where, value]) => {
    const parts = where.split('.');
    let node: any = payload;
    for (const part of parts.slice(0, -1)) node = node[part] ??= [];
    if (where !== 'none') node[parts[parts.length - 1]!] = value;
    return Buffer.from(JSON.stringify(payload)).toString('base64url');
  });

/** A real cursor with a few characters replaced, inserted or cut. */
export const editedCursor = (real: () => string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.constantFrom('replace', 'insert', 'cut'), fc.string({ maxLength: 3 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      let c = real();
      for (const [at, how, text] of edits) {
        const i = at % (c.length + 1);
        c =
          how === 'cut'
            ? c.slice(0, i)
            : c.slice(0, i) + text + c.slice(how === 'replace' ? i + text.length : i);
      }
      return c;
    });

const queryValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.integer({ min: -10, max: 500 }).map(String),
  fc.constantFrom(
    'sent',
    'sent,revoked',
    'SENT',
    ',,,',
    'sent, bogus',
    '1e2',
    ' 5',
    '0x10',
    '200',
    '1.0',
    '',
  ),
  fc.emailAddress(),
  fc.base64String(),
  cursorJunk,
  hugeString.map((s) => s.slice(0, 6000)),
);
const queryKey = fc.oneof(
  { arbitrary: fc.constantFrom('status', 'limit', 'reply_to', 'cursor', 'external_id'), weight: 5 },
  fc.constantFrom('status[]', 'Limit', '', 'limit ', 'foo'),
  fc.string(),
);
const pctJunk = fc.constantFrom('%', '%zz', '%C3%28', '%00', '%FF', '%E2%82', '%25', '+', '&', '=', '#');
const encodeValue = fc.constantFrom('encode', 'raw', 'twice', 'junk');

export const query = fc
  .array(fc.tuple(queryKey, queryValue, encodeValue, pctJunk), { maxLength: 6 })
  .map((pairs) =>
    pairs
      .map(([k, v, how, pct]) => {
        const value =
          how === 'encode'
            ? encodeURIComponent(v)
            : how === 'twice'
              ? encodeURIComponent(encodeURIComponent(v))
              : how === 'junk'
                ? `${encodeURIComponent(v)}${pct}`
                : v.replace(/[#&\s]/g, '');
        return `${encodeURIComponent(k)}=${value}`;
      })
      .join('&'),
  );
