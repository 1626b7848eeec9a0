import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  CreateUserTokenRequest as CreateTokenBody,
  type CreateUserTokenRequest,
  ListUsersQuery as ListQuery,
  type ListUsersQuery,
  UserList,
  UserObject,
  UserTokenObject,
} from './users.schema.ts';
import { createUserToken, eraseUser, getUser, listUsers } from './users.service.ts';

export async function usersRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: ListUsersQuery }>(
    '/v2/users',
    {
      schema: {
        operationId: 'listUsers',
        summary: 'List all users',
        tags: ['Users'],
        querystring: ListQuery,
        response: { 200: UserList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listUsers(deps, req.principal.clientId, req.query),
  );

  app.get<{ Params: IdParams }>(
    '/v2/users/:id',
    {
      schema: {
        operationId: 'retrieveUser',
        summary: 'Retrieve a user',
        tags: ['Users'],
        params: IdParams,
        response: { 200: Type.Ref(UserObject), ...errorResponses },
      },
    },
    (req) => getUser(deps, req.principal.clientId, req.params.id.toLowerCase()),
  );

  app.delete<{ Params: IdParams }>(
    '/v2/users/:id',
    {
      schema: {
        operationId: 'deleteUser',
        summary: 'Delete a user',
        description:
          "Erases the user with everything that names them: their invites and deliveries, the invites' " +
          'events, connected accounts, uploaded documents and form answers, captured messages, webhook ' +
          'deliveries about them, and the jobs still queued for them (nothing more is sent). A suppression ' +
          'of their address stays while another invite still uses it. Answers 204, as the hosted API ' +
          'does; the user is then gone (404).',
        tags: ['Users'],
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await eraseUser(deps, req.principal.clientId, req.params.id.toLowerCase());
      return reply.code(204).send();
    },
  );

  app.post<{ Body: CreateUserTokenRequest }>(
    '/v2/user-tokens',
    {
      schema: {
        operationId: 'createUserToken',
        summary: 'Create a user token',
        description: 'A new user token (valid for one hour) for an existing user, for embedded Link.',
        tags: ['Users'],
        body: CreateTokenBody,
        response: { 200: Type.Ref(UserTokenObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => createUserToken(deps, req.principal.clientId, req.body.user.toLowerCase()),
  );
}
