/** Node's codes for a connection that could not be made, or broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve now but will: class 08 (connection exception),
 * a shutdown or crash ending the session (57P01, 57P02), a server still starting (57P03),
 * and no connection slot left (53300).
 */
const SERVER_STATES = /^(?:08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** What node-postgres says of a connection that broke or never came, in its own words. */
const CLIENT_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
]);

/**
 * Whether an error is PostgreSQL being out of reach (stopped, restarting, the network cut):
 * nothing about the request, and the same request succeeds once the server is back. Network
 * errors of anything else a request talks to (webhook receivers) are handled where they occur.
 */
export function isConnectionFailure(error: Error & { code?: unknown }): boolean {
  const code = error.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code) || SERVER_STATES.test(code);
  return CLIENT_MESSAGES.has(error.message);
}
