import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';

export const USER_TOKEN_ISSUER = 'invitekit';
const LIFETIME_SECONDS = 3600;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/**
 * A user token: an HS256 JWT valid for one hour, with the hosted API's claims. Signed with
 * node:crypto directly: WebCrypto signing (as in jose) runs on the thread pool and cost
 * a third of a retrieve request's time; tests verify these tokens with jose.
 */
export function issueUserToken(
  deps: Pick<Deps, 'clock' | 'userTokenKey'>,
  clientId: string,
  userId: string,
): Promise<string> {
  // A credential's lifetime runs on the server's time, whatever a sandbox client's clock says.
  const iat = Math.floor(deps.clock.real().getTime() / 1000);
  const claims = {
    client_id: clientId,
    sub: userId,
    user_id: userId,
    iat,
    exp: iat + LIFETIME_SECONDS,
    jti: newId(),
    iss: USER_TOKEN_ISSUER,
  };
  const unsigned = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createHmac('sha256', deps.userTokenKey).update(unsigned).digest('base64url');
  return Promise.resolve(`${unsigned}.${signature}`);
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The bytes of canonical base64url (its own alphabet, no padding, unused bits zero); null for
 * any other spelling, which Buffer would read leniently, so that a token has one spelling only.
 */
function fromBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export interface UserTokenClaims {
  clientId: string;
  userId: string;
}

/** The client and user of a user token this server issued and that has not expired; null otherwise. */
export function verifyUserToken(
  deps: Pick<Deps, 'clock' | 'userTokenKey'>,
  token: string,
): UserTokenClaims | null {
  const [header, payload, signature, ...extra] = token.split('.');
  if (header !== HEADER || payload === undefined || signature === undefined || extra.length > 0) return null;
  const expected = createHmac('sha256', deps.userTokenKey).update(`${header}.${payload}`).digest();
  const given = fromBase64url(signature);
  const claimsJson = fromBase64url(payload);
  if (!given || !claimsJson || given.length !== expected.length || !timingSafeEqual(given, expected))
    return null;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(claimsJson.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const now = deps.clock.real().getTime() / 1000;
  const { client_id: clientId, sub, exp, iss } = claims;
  if (typeof clientId !== 'string' || typeof sub !== 'string' || typeof exp !== 'number') return null;
  if (iss !== USER_TOKEN_ISSUER || exp <= now) return null;
  return { clientId, userId: sub };
}
