import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Nullable, Page, Timestamp, Uuid } from '../http/schema.ts';

export const ACCOUNT_STATUSES = ['connecting', 'connected', 'error'] as const;

export const AccountObject = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the account.' }),
    user: Uuid({ description: 'ID of the user who connected it.' }),
    item: Type.String({
      description: 'ID of the Item (employer or payroll platform), e.g. `item_000000001`.',
    }),
    item_name: Type.String({ description: '(invitekit) Name of the Item.' }),
    status: Type.Union(
      ACCOUNT_STATUSES.map((s) => Type.Literal(s)),
      {
        description:
          'connecting: credentials accepted, waiting for the verification code. connected: the account is ' +
          'connected. error: the last login attempt failed (see error_code).',
      },
    ),
    error_code: Nullable(
      Type.String({
        description: 'Why the last attempt failed, e.g. `invalid_credentials`; null otherwise.',
      }),
    ),
    invite: Nullable(
      Uuid({ description: '(invitekit) The invite it was connected through; null if embedded.' }),
    ),
    created_at: Timestamp(),
    updated_at: Timestamp({ description: 'When the status last changed.' }),
  },
  { $id: 'AccountObject' },
);
export type AccountObject = Static<typeof AccountObject>;

export const AccountList = Page(Type.Ref(AccountObject), 'One page of accounts, newest first.');

export const ListAccountsQuery = Type.Object({
  user: Type.Optional(Uuid({ description: 'Only the accounts of this user.' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
export type ListAccountsQuery = Static<typeof ListAccountsQuery>;

// Checked by TypeBox when a cursor is read, where the uuid format is unknown: plain text suffices.
export const AccountFilters = Type.Object(
  { user: Type.Optional(Type.String({ maxLength: 36 })) },
  { additionalProperties: false },
);
export type AccountFilters = Static<typeof AccountFilters>;
