import { SignJWT } from 'jose';
import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';

export const USER_TOKEN_ISSUER = 'invitekit';
const LIFETIME_SECONDS = 3600;

/** A user token: HS256 JWT valid for one hour, as the hosted API issues them. */
export function issueUserToken(
  deps: Pick<Deps, 'clock' | 'userTokenKey'>,
  clientId: string,
  userId: string,
): Promise<string> {
  const iat = Math.floor(deps.clock.now().getTime() / 1000);
  return new SignJWT({ client_id: clientId, user_id: userId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .setJti(newId())
    .setIssuer(USER_TOKEN_ISSUER)
    .sign(deps.userTokenKey);
}
