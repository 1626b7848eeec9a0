import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  AccountList,
  AccountObject,
  type ListAccountsQuery,
  ListAccountsQuery as ListQuery,
} from './accounts.schema.ts';
import { getAccount, listAccounts } from './accounts.service.ts';

const tags = ['Accounts'];

/** Accounts users connected through Link (the sandbox emulator). */
export async function accountsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: ListAccountsQuery }>(
    '/v2/accounts',
    {
      schema: {
        operationId: 'listAccounts',
        summary: 'List all accounts',
        description: 'Newest first; filter by `user`. Follow `next` / `previous` as given.',
        tags,
        querystring: ListQuery,
        response: { 200: AccountList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listAccounts(deps, req.principal.clientId, req.query),
  );

  app.get<{ Params: IdParams }>(
    '/v2/accounts/:id',
    {
      schema: {
        operationId: 'retrieveAccount',
        summary: 'Retrieve an account',
        tags,
        params: IdParams,
        response: { 200: Type.Ref(AccountObject), ...errorResponses },
      },
    },
    (req) => getAccount(deps, req.principal.clientId, req.params.id.toLowerCase()),
  );
}
