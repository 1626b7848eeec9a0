/** The sandbox recipients of the hosted API's Link: username → verification code. */
const LOGINS: Record<string, string> = { test_1: '8081', test_2: '8082', test_3: '8083' };
const PASSWORD = 'passgood';

/** True when the username and password are one of the sandbox logins. */
export function checkSandboxLogin(username: string, password: string): boolean {
  return Object.hasOwn(LOGINS, username) && password === PASSWORD;
}

/** The code the sandbox login expects at the verification step. */
export function expectedCode(username: string | null): string | null {
  return username !== null && Object.hasOwn(LOGINS, username) ? (LOGINS[username] ?? null) : null;
}
