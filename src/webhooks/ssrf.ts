import { type LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Webhook URLs are chosen by API clients, so without these checks a client could make the
 * server call its own admin ports, the cloud metadata service (169.254.169.254) or the
 * private network behind it.
 */

/** [first address, prefix length] of every IPv4 range a webhook may not reach. */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

/** The same for IPv6; ranges that embed an IPv4 address are judged by that address instead. */
const BLOCKED_V6: [string, number][] = [
  ['::', 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

function v4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(ip: string): bigint {
  let text = ip;
  // A trailing dotted quad (::ffff:1.2.3.4) is the last 32 bits.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1]) {
    const v4 = v4ToBigInt(quad[1]);
    text = `${text.slice(0, quad.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function inRange(value: bigint, bits: number, base: bigint, prefix: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

const V4 = BLOCKED_V4.map(([ip, p]) => [v4ToBigInt(ip), p] as const);
const V6 = BLOCKED_V6.map(([ip, p]) => [v6ToBigInt(ip), p] as const);

function blockedV4(value: bigint): boolean {
  return V4.some(([base, prefix]) => inRange(value, 32, base, prefix));
}

/** The IPv4 address an IPv6 one stands for: IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16). */
function embeddedV4(value: bigint): bigint | null {
  if (inRange(value, 128, 0xffffn << 32n, 96)) return value & 0xffffffffn;
  if (inRange(value, 128, v6ToBigInt('64:ff9b::'), 96)) return value & 0xffffffffn;
  if (inRange(value, 128, 0x2002n << 112n, 16)) return (value >> 80n) & 0xffffffffn;
  return null;
}

/** True for addresses a webhook may not be sent to; anything that is not an IP address counts as one. */
export function isBlockedAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  switch (isIP(ip)) {
    case 4:
      return blockedV4(v4ToBigInt(ip));
    case 6: {
      const value = v6ToBigInt(ip.toLowerCase());
      const v4 = embeddedV4(value);
      if (v4 !== null) return blockedV4(v4);
      return V6.some(([base, prefix]) => inRange(value, 128, base, prefix));
    }
    default:
      return true;
  }
}

export class BlockedAddressError extends Error {
  readonly code = 'EWEBHOOKBLOCKED';
  constructor(host: string, address: string) {
    const what = host === address ? host : `${host} resolves to ${address}, which`;
    super(`${what} is a private, loopback or link-local address`);
  }
}

/** A URL's host without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Every address the host resolves to; throws BlockedAddressError when one of them is blocked. */
export async function checkHost(host: string): Promise<void> {
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw new BlockedAddressError(host, host);
    return;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(host, { all: true, verbatim: true }, (err, found) => (err ? reject(err) : resolve(found))),
  );
  const bad = addresses.find((a) => isBlockedAddress(a.address));
  if (bad) throw new BlockedAddressError(host, bad.address);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses blocked addresses at connect time, so a host
 * that resolved to a public address when the webhook was created cannot point the
 * connection somewhere private later (DNS rebinding).
 */
export function guardedLookup(
  hostname: string,
  options: { family?: number | string; all?: boolean; hints?: number },
  callback: LookupCallback,
): void {
  const family = options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : Number(options.family ?? 0);
  lookup(hostname, { family, hints: options.hints, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) return callback(new BlockedAddressError(hostname, bad.address), '');
    const first = addresses[0];
    if (!first) {
      return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
    }
    if (options.all) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
}
