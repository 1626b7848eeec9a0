import { parseJson } from '../db/json.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { findDocument, listDocuments, listFormResponses } from './invite-documents.repo.ts';
import type { FormResponse, InviteDocument, ListQuery } from './invite-documents.schema.ts';
import { findInvite } from './invites.repo.ts';

async function ensureInvite(deps: Pick<Deps, 'db'>, clientId: string, inviteId: string) {
  if (!(await findInvite(deps.db, clientId, inviteId))) throw AppError.notFound();
}

/** The documents the invite's recipient uploaded, newest first; another client's invite is not found. */
export async function listInviteDocuments(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  inviteId: string,
  query: ListQuery,
) {
  await ensureInvite(deps, clientId, inviteId);
  const request = readPage(query);
  const rows = await listDocuments(deps.db, clientId, inviteId, request.page);
  const base = `${deps.config.PUBLIC_URL}/v2/invites/${inviteId}/documents`;
  return listPage(
    rows,
    request,
    base,
    (d): InviteDocument => ({
      id: d.id,
      invite: inviteId,
      user: d.user_id,
      file_name: d.file_name,
      content_type: d.content_type,
      size: Number(d.size),
      sha256: d.sha256,
      download_url: `${base}/${d.id}/content`,
      created_at: iso(d.created_at),
    }),
  );
}

/** One document's bytes and the name to save them under. */
export async function readInviteDocument(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  inviteId: string,
  id: string,
) {
  const doc = await findDocument(deps.db, clientId, inviteId, id);
  if (!doc) throw AppError.notFound();
  return { fileName: doc.file_name, content: Buffer.from(doc.content) };
}

/** The response forms the invite's recipient sent, newest first. */
export async function listInviteResponses(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  inviteId: string,
  query: ListQuery,
) {
  await ensureInvite(deps, clientId, inviteId);
  const request = readPage(query);
  const rows = await listFormResponses(deps.db, clientId, inviteId, request.page);
  const base = `${deps.config.PUBLIC_URL}/v2/invites/${inviteId}/responses`;
  return listPage(
    rows,
    request,
    base,
    (r): FormResponse => ({
      id: r.id,
      invite: inviteId,
      user: r.user_id,
      answers: parseJson<Record<string, string>>(r.data),
      created_at: iso(r.created_at),
    }),
  );
}
