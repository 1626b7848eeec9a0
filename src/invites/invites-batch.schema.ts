import { Type } from '@sinclair/typebox';
import { FieldErrors } from '../http/schema.ts';
import { InviteObject, SendInviteRequest } from './invites.schema.ts';

/** The most invites one batch may send. */
export const MAX_BATCH = 1000;

export const BatchSendRequest = Type.Object(
  {
    invites: Type.Array(SendInviteRequest, {
      minItems: 1,
      maxItems: MAX_BATCH,
      description: `1 to ${MAX_BATCH} invites, each exactly as \`POST /v2/invites\` takes one.`,
    }),
  },
  {
    $id: 'BatchSendRequest',
    description: '(invitekit) Invites to send in one request.',
    examples: [
      {
        invites: [
          { first_name: 'Sarah', last_name: 'Longfield', email: 'sarah@email.com' },
          { first_name: 'Tom', last_name: 'Baker', phone_number: '212-555-0100' },
        ],
      },
    ],
  },
);

/** The body's envelope alone: each item is judged on its own, so a bad one fails only itself. */
export const BatchEnvelope = Type.Object({
  invites: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH }),
});

export const BatchSendResult = Type.Union(
  [
    Type.Object(
      { invite: Type.Ref(InviteObject) },
      { description: 'The invite was sent: the invite object, as `POST /v2/invites` answers it.' },
    ),
    Type.Object(
      { errors: Type.Ref(FieldErrors) },
      {
        description:
          'The invite was not sent: its field errors, exactly as `POST /v2/invites` answers them with a 400.',
      },
    ),
  ],
  { $id: 'BatchSendResult', description: '(invitekit) What became of one invite of a batch.' },
);

export const BatchSendResponse = Type.Object(
  {
    results: Type.Array(Type.Ref(BatchSendResult), {
      description: 'One result per invite of the request, in its order.',
    }),
  },
  { description: '(invitekit) What became of each invite of a batch.' },
);
