import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  DocumentParams,
  FormResponseList,
  InviteDocumentList,
  ListQuery,
} from './invite-documents.schema.ts';
import { listInviteDocuments, listInviteResponses, readInviteDocument } from './invite-documents.service.ts';

const tags = ['Invites'];

/** `attachment; filename="…"` with the name in ASCII and, for any other character, RFC 5987's `filename*`. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function inviteDocumentsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Params: IdParams; Querystring: ListQuery }>(
    '/v2/invites/:id/documents',
    {
      schema: {
        operationId: 'listInviteDocuments',
        summary: 'List the documents of an invite',
        description:
          '(invitekit) What the recipient uploaded in Link instead of logging in: name, type, size and where to download it. Newest first; cursor pagination.',
        tags,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: InviteDocumentList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listInviteDocuments(deps, req.principal.clientId, req.params.id.toLowerCase(), req.query),
  );

  app.get<{ Params: DocumentParams }>(
    '/v2/invites/:id/documents/:document_id/content',
    {
      schema: {
        operationId: 'downloadInviteDocument',
        summary: 'Download a document',
        description:
          "(invitekit) The uploaded bytes, always as an attachment of type application/octet-stream: a file's claimed type is the uploader's word, never a reason to show it inline.",
        tags,
        params: DocumentParams,
        response: {
          200: {
            description: 'The file.',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const doc = await readInviteDocument(
        deps,
        req.principal.clientId,
        req.params.id.toLowerCase(),
        req.params.document_id.toLowerCase(),
      );
      return reply
        .type('application/octet-stream')
        .header('content-disposition', attachment(doc.fileName))
        .send(doc.content);
    },
  );

  app.get<{ Params: IdParams; Querystring: ListQuery }>(
    '/v2/invites/:id/responses',
    {
      schema: {
        operationId: 'listInviteResponses',
        summary: 'List the response forms of an invite',
        description:
          '(invitekit) The answers the recipient gave in Link’s response form instead of logging in. Newest first; cursor pagination.',
        tags,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: FormResponseList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listInviteResponses(deps, req.principal.clientId, req.params.id.toLowerCase(), req.query),
  );
}
