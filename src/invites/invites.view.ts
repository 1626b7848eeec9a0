import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { parseJson } from '../db/json.ts';
import type { PayloadLoader } from '../events/recorder.ts';
import { inviteUrl } from '../lib/links.ts';
import { iso, isoOrNull } from '../lib/time.ts';
import { findInviteView, type InviteView } from './invites.repo.ts';
import type { InviteObject } from './invites.schema.ts';

export function toInviteObject(view: InviteView, publicUrl: string, userToken: string | null): InviteObject {
  return {
    id: view.id,
    user: view.user_id,
    user_token: userToken,
    email: view.email,
    phone_number: view.phone_number,
    full_name: `${view.first_name} ${view.last_name}`.trim(),
    first_name: view.first_name,
    last_name: view.last_name,
    revoked_at: isoOrNull(view.revoked_at),
    status: view.status as InviteObject['status'],
    group_id: view.group_id,
    url: inviteUrl(publicUrl, view.id),
    created_at: iso(view.created_at),
    updated_at: iso(view.updated_at),
    invited_at: iso(view.invited_at),
    flow_id: view.flow_id,
    flow_items: parseJson<string[]>(view.flow_items),
    reply_to: parseJson<string[]>(view.reply_to),
    deliveries: parseJson(view.deliveries).map((d) => ({
      id: d.id,
      method: d.method,
      status: d.status,
      sent_at: iso(d.sent_at),
      updated_at: iso(d.updated_at),
      attempts: Number(d.attempts),
      next_attempt_at: isoOrNull(d.next_attempt_at),
      last_error: d.last_error,
      status_detail: d.status_detail,
      kind: d.kind,
    })),
    invite_template_id: view.invite_template_id,
    rendered_flow_id: view.rendered_flow_id,
    expires_at: isoOrNull(view.expires_at),
    expired_at: isoOrNull(view.expired_at),
  };
}

/** A webhook's data about an invite: its ids, the event's facts, and the invite as of now (never a user token). */
export function invitePayload(
  trx: Db,
  config: Pick<Config, 'PUBLIC_URL'>,
  clientId: string,
  inviteId: string,
): PayloadLoader {
  return async (facts) => {
    const view = await findInviteView(trx, clientId, inviteId);
    if (!view) return null;
    const { user_token: _token, ...invite } = toInviteObject(view, config.PUBLIC_URL, null);
    return { invite: view.id, user: view.user_id, ...facts, resource: invite };
  };
}
