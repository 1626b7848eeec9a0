/** The parts of a JSON Schema that say how a value is read; TypeBox schemas are plain JSON Schema. */
interface Schema {
  type?: unknown;
  const?: unknown;
  enum?: unknown;
  format?: unknown;
  properties?: Record<string, Schema>;
  required?: unknown;
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

// The hosted API reads bodies with Django REST framework, whose CharField (and EmailField,
// URLField, RegexField: every text field) strips surrounding whitespace before validating
// (`trim_whitespace=True`), so `" sarah@email.com "` is valid and stored trimmed and `"  "` is
// blank. Its choice, UUID and date-time fields take their text as sent, and so does a free-form
// JSON object (`dds_config`, a webhook's `config`). Doing it here, against the route's own
// body schema, makes it hold for every field of every body at once.
const AS_SENT_FORMATS = new Set(['uuid', 'date-time', 'date', 'time']);

/** What Python's `str.strip()` removes: the characters `str.isspace()` is true for. */
function isPythonSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** `str.strip()`: JavaScript's `trim()` differs (it strips U+FEFF, keeps U+0085 and U+001C–U+001F). */
export function stripText(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isPythonSpace(value.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

const branchesOf = (schema: Schema): Schema[] => [
  ...(schema.anyOf ?? []),
  ...(schema.oneOf ?? []),
  ...(schema.allOf ?? []),
];

const typed = (schema: Schema, type: string) =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

/** Whether a string in this place is free text, which DRF trims, rather than a choice or an id. */
function isFreeText(schema: Schema): boolean {
  if (schema.const !== undefined || schema.enum !== undefined) return false;
  if (typed(schema, 'string')) return !AS_SENT_FORMATS.has(String(schema.format));
  return branchesOf(schema).some(isFreeText);
}

/**
 * `value` with every free-text string the schema describes stripped, in place where it is an
 * object or an array. Keys the schema does not name are left alone, as DRF ignores them.
 */
export function trimText(schema: Schema, value: unknown): unknown {
  if (typeof value === 'string') return isFreeText(schema) ? stripText(value) : value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items && !Array.isArray(items)) {
      for (let i = 0; i < value.length; i++) value[i] = trimText(items, value[i]);
    }
  } else if (value !== null && typeof value === 'object') {
    const fields = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(schema.properties ?? {})) {
      if (Object.hasOwn(fields, key)) fields[key] = trimText(field, fields[key]);
    }
  }
  for (const branch of branchesOf(schema)) trimText(branch, value);
  return value;
}

const takesText = (schema: Schema): boolean =>
  typed(schema, 'string') || (branchesOf(schema).length > 0 && branchesOf(schema).every(takesText));

/**
 * Drops the optional text parameters a query string gives empty (`?cursor=`, `?reply_to=`):
 * django-filter skips a filter whose value is empty, and DRF's cursor pagination reads an
 * empty cursor as the first page. Numbers (`?limit=`) and lists (`?status=`) keep their own rules.
 */
export function dropEmptyParams(schema: Schema, query: unknown): void {
  if (query === null || typeof query !== 'object') return;
  const params = query as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const [key, param] of Object.entries(schema.properties ?? {})) {
    if (params[key] === '' && !required.includes(key) && takesText(param)) delete params[key];
  }
}
