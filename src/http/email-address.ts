import { domainToASCII } from 'node:url';

// Django's EmailValidator, which DRF's EmailField runs: a dot-atom local part in ASCII, and a
// domain of dot-separated labels ending in a label of two or more letters, digits or hyphens.
const LOCAL_PART = /^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*$/i;
const DOMAIN = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/i;
const MAX_LENGTH = 320;

/**
 * Whether `value` is an email address Django accepts. An internationalised domain
 * (`user@bücher.de`) is judged by its punycode (`xn--bcher-kva.de`), as Django does; the
 * address is kept as given, and the mailer writes the punycode form on the wire.
 *
 * Narrower than Django in three ways the API has always refused, since an invite goes to a
 * mailbox on a public domain: `localhost` (which Django lets through by name), IP literals
 * (`user@[10.0.0.1]`) and quoted local parts (`"john doe"@example.com`).
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > MAX_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at < 0 || !LOCAL_PART.test(value.slice(0, at))) return false;
  const domain = value.slice(at + 1);
  if (DOMAIN.test(domain)) return true;
  const ascii = domainToASCII(domain);
  return ascii !== '' && DOMAIN.test(ascii);
}
