import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Page, Timestamp, Uuid } from '../http/schema.ts';

export const InviteDocument = Type.Object(
  {
    id: Uuid(),
    invite: Uuid({ description: 'ID of the invite it was uploaded to.' }),
    user: Uuid({ description: 'ID of the user who uploaded it.' }),
    file_name: Type.String({ description: 'The name the file had on the recipient’s device.' }),
    content_type: Type.String({ description: 'The type the recipient’s browser gave it.' }),
    size: Type.Integer({ description: 'Bytes.' }),
    sha256: Type.String({ description: 'Hex SHA-256 of the bytes.' }),
    download_url: Type.String({ description: 'Where to fetch the bytes (Basic auth), as an attachment.' }),
    created_at: Timestamp({ description: 'When it was uploaded.' }),
  },
  {
    $id: 'InviteDocument',
    description: '(invitekit) A document the recipient uploaded in Link instead of logging in.',
  },
);
export type InviteDocument = Static<typeof InviteDocument>;

export const InviteDocumentList = Page(Type.Ref(InviteDocument), 'One page of documents, newest first.');

export const FormResponse = Type.Object(
  {
    id: Uuid(),
    invite: Uuid(),
    user: Uuid(),
    answers: Type.Record(Type.String(), Type.String(), {
      description: 'The response form’s answers, by field (employer, job title, pay, pay frequency, …).',
    }),
    created_at: Timestamp({ description: 'When the form was sent.' }),
  },
  {
    $id: 'FormResponse',
    description: '(invitekit) A response form the recipient filled in instead of logging in.',
  },
);
export type FormResponse = Static<typeof FormResponse>;

export const FormResponseList = Page(Type.Ref(FormResponse), 'One page of responses, newest first.');

export const ListQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) });
export type ListQuery = Static<typeof ListQuery>;

export const DocumentParams = Type.Object({
  id: Type.String({
    format: 'uuid',
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  }),
  document_id: Type.String({
    format: 'uuid',
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  }),
});
export type DocumentParams = { id: string; document_id: string };
