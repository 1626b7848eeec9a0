import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;

// N=2^15 costs ~50-100 ms per guess: slow for an attacker, paid once per key per cache TTL here.
const N = 32768;
const R = 8;
const P = 1;
const LEN = 32;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking stored keys. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, LEN, { N, r: R, p: P, maxmem: 256 * N * R });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * A stored hash of the current cost that no secret matches (its salt and hash are all zero
 * bytes): a key id that does not exist is checked against it, so that a wrong secret costs
 * the same whether or not the id exists, and the time of a refusal does not tell which ids do.
 */
export const NO_KEY_HASH = ['scrypt', N, R, P, 'A'.repeat(22), 'A'.repeat(43)].join('$');

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltB64, hashB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64url');
  const cost = { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * Number(n) * Number(r) };
  const actual = await scryptAsync(secret, Buffer.from(saltB64, 'base64url'), expected.length, cost);
  return timingSafeEqual(actual, expected);
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
