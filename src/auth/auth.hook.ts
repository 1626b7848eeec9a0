import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { AuthFailureGuard } from '../http/rate-limit.ts';
import { authCacheOf, type Principal, verifyCredentials } from './keys.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="api"' };

function unauthorized(detail: string): AppError {
  return AppError.detail('unauthorized', detail, CHALLENGE);
}

/**
 * HTTP Basic: username = api_key_id, password = api_key_secret. With a `guard`, an address
 * that failed too often is refused before its credentials are verified, and every failure counts.
 */
export function basicAuth(deps: Pick<Deps, 'db' | 'clock' | 'config'>, guard?: AuthFailureGuard) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    if (!header || !/^basic\s/i.test(header)) {
      throw unauthorized('Authentication credentials were not provided.');
    }
    const encoded = header.slice(6).trim();
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const wellFormed = /^[A-Za-z0-9+/]+=*$/.test(encoded) && colon >= 0;
    const keyId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // A key verified lately: the common case, checked once (the check hashes the secret).
    const cached = wellFormed ? authCacheOf(deps).get(keyId, secret, deps.clock.now().getTime()) : null;
    await guard?.check(request, cached !== null);
    if (!wellFormed) {
      await guard?.failed(request);
      throw unauthorized('Invalid basic header. Credentials not correctly base64 encoded.');
    }
    const principal = cached ?? (await verifyCredentials(deps, keyId, secret));
    if (!principal) {
      await guard?.failed(request);
      throw unauthorized('Invalid username/password.');
    }
    request.principal = principal;
  };
}
