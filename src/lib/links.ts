/** The URL an invite's messages lead to: its landing page. */
export function inviteUrl(publicUrl: string, inviteId: string): string {
  return `${publicUrl}/connect/${inviteId}`;
}

/** Links a message carries: the invite URL with its delivery reference, the open pixel, the SMS callback. */
export function deliveryLinks(publicUrl: string, inviteId: string, deliveryId: string) {
  return {
    url: `${inviteUrl(publicUrl, inviteId)}?d=${deliveryId}`,
    openPixel: `${publicUrl}/t/${deliveryId}/open.gif`,
    smsStatusCallback: `${publicUrl}/callbacks/twilio/status/${deliveryId}`,
  };
}
