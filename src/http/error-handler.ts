import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, fieldErrorsFromAjv } from '../errors.ts';

/** Maps every error to the contract's wire format; anything unexpected is a logged 500. */
export function handleError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  // Errors the router raises before any route (a malformed URL) skip the hooks that set these.
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  if (error instanceof AppError) {
    return reply.code(error.statusCode).headers(error.headers).send(error.body);
  }
  if (error.validation) {
    // A path id that is not a UUID cannot name anything.
    if (error.validationContext === 'params') return reply.code(404).send({ detail: 'Not found.' });
    return reply.code(400).send(fieldErrorsFromAjv(error.validation as never));
  }
  switch (error.code) {
    // A path the router cannot read (bad percent-encoding, an over-long id) names nothing.
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return reply.code(404).send({ detail: 'Not found.' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return reply.code(415).send({
        detail: `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.`,
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply.code(413).send({ detail: 'Request body is too large.' });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send({ detail: error.message });
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ detail: 'A server error occurred.' });
}

const CLIENT_ERRORS: Record<string, [status: number, reason: string, detail: string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request did not arrive in time.'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.'],
};

/**
 * Requests Node refuses before Fastify sees them (too slow to arrive, unreadable HTTP),
 * answered in the same wire format, and the connection closed.
 */
export function handleClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [
    400,
    'Bad Request',
    'Malformed request.',
  ];
  const body = JSON.stringify({ detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
