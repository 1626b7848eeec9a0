import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionFailure } from '../db/pg-errors.ts';
import { DatabaseBusyError, StorageFullError } from '../db/sqlite-errors.ts';
import { AppError, type ErrorKind, fieldErrorsFromAjv, statusOf } from '../errors.ts';

/** The 415 of a body whose type the API does not read. */
export function unsupportedMediaType(contentType: string | undefined): AppError {
  return AppError.detail(
    'unsupported_media_type',
    `Unsupported media type "${contentType ?? ''}" in request.`,
  );
}

/** What Fastify's own errors are, in the contract's terms; null when nothing in particular. */
function fromFastify(error: FastifyError, request: FastifyRequest): AppError | null {
  if (error.validation) {
    // A path id that is not a UUID cannot name anything.
    if (error.validationContext === 'params') return AppError.notFound();
    return AppError.fields(fieldErrorsFromAjv(error.validation as never));
  }
  switch (error.code) {
    // A path the router cannot read (bad percent-encoding, an over-long id) names nothing.
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return AppError.notFound();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request.headers['content-type']);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return AppError.detail('payload_too_large', 'Request body is too large.');
  }
  return null;
}

/**
 * Whether an error (or what it wraps) is the database failing the request: busy (another
 * process's write lock), out of storage, or out of reach (PostgreSQL stopped or cut off).
 */
export function databaseFault(error: unknown): 'busy' | 'full' | 'unreachable' | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseBusyError) return 'busy';
    if (e instanceof StorageFullError) return 'full';
    if (isConnectionFailure(e)) return 'unreachable';
  }
  return null;
}

/**
 * Seconds a client is asked to wait when the database is busy. A lock held by another process
 * is usually gone within seconds; a client that waits about as long as the server did before
 * giving up is likely to get through.
 */
export const BUSY_RETRY_AFTER = '5';

/** Seconds a client is asked to wait while the database is out of reach: a restart or failover takes longer. */
const UNREACHABLE_RETRY_AFTER = '10';

/**
 * What a database that cannot take the request is, in the contract's terms (logged with its
 * cause); null when the error is something else. The error may arrive wrapped.
 */
function fromDatabase(error: unknown, request: FastifyRequest): AppError | null {
  const fault = databaseFault(error);
  if (fault === 'busy') {
    request.log.warn({ err: error }, 'database busy');
    return AppError.detail('unavailable', 'The database is busy. Try again shortly.', {
      'Retry-After': BUSY_RETRY_AFTER,
    });
  }
  if (fault === 'full') {
    request.log.error({ err: error }, 'database storage is full');
    return AppError.detail('insufficient_storage', "The server's storage is full; nothing was saved.");
  }
  if (fault === 'unreachable') {
    // Never a 500: the request was fine, and the same request succeeds once the database is back.
    request.log.error({ err: error }, 'database unreachable');
    return AppError.detail('unavailable', 'The service is temporarily unavailable. Try again shortly.', {
      'Retry-After': UNREACHABLE_RETRY_AFTER,
    });
  }
  return null;
}

/** Maps every error to the contract's wire format; anything unexpected is a logged 500. */
export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  // Errors the router raises before any route (a malformed URL) skip the hooks that set these.
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  const known =
    error instanceof AppError ? error : (fromDatabase(error, request) ?? fromFastify(error, request));
  if (known) return reply.code(known.statusCode).headers(known.headers).send(known.body);
  // Other client errors Fastify raises (its plugins' 4xx) keep their status and message.
  const status = error.statusCode ?? statusOf('internal');
  if (status >= statusOf('bad_request') && status < statusOf('internal')) {
    return reply.code(status).send({ detail: error.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(statusOf('internal')).send({ detail: 'A server error occurred.' });
}

const CLIENT_ERRORS: Record<string, [kind: ErrorKind, reason: string, detail: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['request_timeout', 'Request Timeout', 'The request did not arrive in time.'],
  HPE_HEADER_OVERFLOW: [
    'header_fields_too_large',
    'Request Header Fields Too Large',
    'The request headers are too large.',
  ],
};

/**
 * Requests Node refuses before Fastify sees them (too slow to arrive, unreadable HTTP),
 * answered in the same wire format, and the connection closed.
 */
export function handleClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [kind, reason, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [
    'bad_request',
    'Bad Request',
    'Malformed request.',
  ];
  const status = statusOf(kind);
  const body = JSON.stringify({ detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
