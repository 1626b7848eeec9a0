import type { Db } from '../db/client.ts';
import type { InvitesTable } from '../db/tables.ts';
import { newId } from '../lib/ids.ts';
import { type RenderContext, renderEmail, renderSms } from '../templates/render.ts';
import { insertDelivery, insertOutboxMessage } from './deliveries.repo.ts';

/**
 * Creates one delivery per contact of the invite and hands each message to the capture
 * channel, which stores the rendered message in the outbox. Runs inside the caller's
 * transaction, so an accepted invite always has its messages.
 */
export async function createDeliveries(
  trx: Db,
  invite: Pick<InvitesTable, 'client_id' | 'id' | 'email' | 'phone_e164'>,
  render: RenderContext,
  at: string,
): Promise<void> {
  const base = {
    client_id: invite.client_id,
    invite_id: invite.id,
    status: 'sent' as const,
    status_detail: null,
  };
  const times = { created_at: at, sent_at: at, updated_at: at };
  if (invite.email) {
    const id = newId();
    const mail = renderEmail(render);
    await insertDelivery(trx, { ...base, ...times, id, method: 'email', recipient: invite.email });
    await insertOutboxMessage(trx, {
      client_id: invite.client_id,
      id: newId(),
      delivery_id: id,
      channel: 'email',
      to_address: invite.email,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      created_at: at,
    });
  }
  if (invite.phone_e164) {
    const id = newId();
    await insertDelivery(trx, { ...base, ...times, id, method: 'sms', recipient: invite.phone_e164 });
    await insertOutboxMessage(trx, {
      client_id: invite.client_id,
      id: newId(),
      delivery_id: id,
      channel: 'sms',
      to_address: invite.phone_e164,
      subject: null,
      text_body: renderSms(render),
      html_body: null,
      created_at: at,
    });
  }
}
