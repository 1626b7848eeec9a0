/** Links a message carries: the invite URL with its delivery reference, the open pixel, the SMS callback. */
export function deliveryLinks(publicUrl: string, inviteId: string, deliveryId: string) {
  return {
    url: `${publicUrl}/connect/${inviteId}?d=${deliveryId}`,
    openPixel: `${publicUrl}/t/${deliveryId}/open.gif`,
    smsStatusCallback: `${publicUrl}/callbacks/twilio/status/${deliveryId}`,
  };
}
