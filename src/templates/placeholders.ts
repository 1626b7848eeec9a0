export type Placeholder = '[Name]' | '[Company]' | '[Sender]' | '[Link]';
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

const TOKEN = /\[(?:Name|Company|Sender|Link)\]/g;

/**
 * The longest a rendered customer-text field may be, in UTF-16 code units, once its placeholders
 * are filled. The schema bounds what a customer writes, but a repeated placeholder multiplies the
 * value it stands for: 5,000 characters of "[Name]" with a 511-character name would be 425,000
 * characters, and the recipient's page and email show about ten such fields. Each bound is the
 * longest text its fields accept plus room for several filled placeholders, so no real invite
 * reaches it: `line` for a button, a sender or the company (255 written), `subject` (998),
 * `copy` for headers, paragraphs and steps (5,000), `body` for a template's email body (10,000).
 *
 * The largest outputs that leaves, with every field at its bound: for ASCII text, and for text that
 * is all `"` (six bytes each once escaped), which the schema alone already allows to reach about
 * 280 kB of email HTML without a single placeholder:
 * - email: 58,000 characters of customer text (subject, header, body, three rows of heading and
 *   text, button, signature); HTML 60 kB, under 360 kB; plain text 56 kB (168 kB if every
 *   character takes three bytes); subject 2 kB.
 * - landing page: 38,000 characters (header twice, subheader, three steps, button, company);
 *   41 kB, under 240 kB. Success page: 20,000 characters; 23 kB, under 125 kB.
 * - SMS: 1,600 characters, Twilio's limit for one message (see `renderSms`).
 */
export const TEXT_LIMITS = { line: 1_000, subject: 2_000, copy: 6_000, body: 12_000 } as const;
export type TextLimit = keyof typeof TEXT_LIMITS;

/**
 * Puts each placeholder's value in its place, in one pass over `text`: a value is inserted as it
 * is, never read again for placeholders nor for `$` replacement patterns. Placeholders without a
 * value stay as written. Stops soon after the result passes `max`, so that a repeated placeholder
 * costs no more than the bound; a result longer than `max` was cut short and needs `clip`.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues, max: number): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(TOKEN)) {
    const value = values[match[0] as Placeholder];
    if (value === undefined) continue;
    out += text.slice(from, match.index) + value;
    from = match.index + match[0].length;
    if (out.length > max) return out;
  }
  return out + text.slice(from);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * `text` in at most `max` code units: cut, when it is longer, so that it ends in `more` and never
 * in half a surrogate pair. Text is cut before it is escaped, so HTML never holds half an entity.
 */
export function clip(text: string, max: number, more = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - more.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}${more}`.slice(0, max);
}

/** `text` with its placeholders filled, within the bound for its kind of field. */
export function fillText(text: string, values: PlaceholderValues, limit: TextLimit): string {
  const max = TEXT_LIMITS[limit];
  return clip(fillPlaceholders(text, values, max), max);
}
