/** The one-time link that sets a member's password (or makes the first admin). */
export function setPasswordUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/console/set-password?token=${encodeURIComponent(token)}`;
}
