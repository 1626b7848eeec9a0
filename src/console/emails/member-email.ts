import type { Deps } from '../../deps.ts';
import { newId } from '../../lib/ids.ts';

interface MemberMessage {
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends a Console email to a member at once, from the configured From: it belongs to no invite
 * and carries no Reply-To.
 */
export async function sendMemberEmail(
  deps: Deps,
  to: { client_id: string; email: string },
  message: MemberMessage,
): Promise<void> {
  await deps.channels.email.send({
    messageId: `<${newId()}@invitekit>`,
    clientId: to.client_id,
    deliveryId: null,
    to: to.email,
    replyTo: null,
    fromName: null,
    ...message,
  });
}
