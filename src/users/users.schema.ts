import { type Static, Type } from '@sinclair/typebox';
import { Cursor, Limit, Nullable, Page, Text, Timestamp, Uuid } from '../http/schema.ts';

export const UserObject = Type.Object(
  {
    id: Uuid({ description: 'Unique ID of the user.' }),
    created_at: Timestamp(),
    external_id: Nullable(
      Type.String({ description: 'External identifier given when the user was invited.' }),
    ),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone_number: Nullable(Type.String()),
    items_connected: Type.Array(Type.String(), {
      description: 'Items the user has connected accounts through.',
    }),
    employers_connected: Type.Array(Type.String(), { description: 'Employers of the connected accounts.' }),
  },
  { $id: 'UserObject' },
);
export type UserObject = Static<typeof UserObject>;

export const UserList = Page(Type.Ref(UserObject), 'One page of users, newest first.');

export const ListUsersQuery = Type.Object({
  external_id: Type.Optional(Text(255, { description: 'Only users with this external_id.' })),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const UserListFilters = Type.Object({ external_id: Type.Optional(Type.String({ maxLength: 255 })) });
export type UserListFilters = Static<typeof UserListFilters>;

export const CreateUserTokenRequest = Type.Object({
  user: Uuid({ description: 'ID of the user the token is for.' }),
});
export type CreateUserTokenRequest = Static<typeof CreateUserTokenRequest>;

export const UserTokenObject = Type.Object(
  { user_token: Type.String({ description: 'JWT (HS256) valid for one hour.' }) },
  { $id: 'UserTokenObject' },
);
