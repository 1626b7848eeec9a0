/** Passwords shorter than this are refused. */
export const MIN_PASSWORD_LENGTH = 12;
// Long enough for any passphrase, short enough that one sign-in cannot make scrypt hash megabytes.
const MAX_PASSWORD_LENGTH = 256;

/** What is wrong with a new password, in Django's words; empty when it may be used. */
export function passwordProblems(password: string, email: string): string[] {
  if (password.length === 0) return ['This field may not be blank.'];
  if (password.length > MAX_PASSWORD_LENGTH) {
    return [`Ensure this field has no more than ${MAX_PASSWORD_LENGTH} characters.`];
  }
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    problems.push(`This password is too short. It must contain at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const plain = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.includes('@') ? address.slice(0, address.lastIndexOf('@')) : address;
  if (address !== '' && (plain === address || plain === local)) {
    problems.push('The password is too similar to the email address.');
  }
  return problems;
}
