import { sha256 } from '../auth/secrets.ts';
import type { Deps } from '../deps.ts';
import { attemptsSince, recordAttempt } from './attempts.repo.ts';

// A quarter hour, counted per address typed whatever network it comes from: ten wrong passwords
// let a guesser try under a thousand a day against one member; five reset emails are plenty for
// a person and too few to flood an inbox.
const WINDOW_MS = 15 * 60 * 1000;
export const THROTTLES = {
  signIn: { name: 'sign-in', limit: 10 },
  resetEmail: { name: 'reset-email', limit: 5 },
} as const;
type Throttle = (typeof THROTTLES)[keyof typeof THROTTLES];

const subjectOf = (throttle: Throttle, email: string) =>
  sha256(`${throttle.name}\n${email.trim().toLowerCase()}`).toString('hex');

/** Whole seconds until `email` may try again; null when it may now. Counted on the server's clock. */
export async function waitFor(
  deps: Pick<Deps, 'db' | 'clock'>,
  throttle: Throttle,
  email: string,
): Promise<number | null> {
  const now = deps.clock.real().getTime();
  const since = new Date(now - WINDOW_MS).toISOString();
  const { count, oldest } = await attemptsSince(deps.db, subjectOf(throttle, email), since);
  if (count < throttle.limit || oldest === null) return null;
  return Math.max(1, Math.ceil((new Date(oldest).getTime() + WINDOW_MS - now) / 1000));
}

export async function countAttempt(
  deps: Pick<Deps, 'db' | 'clock'>,
  throttle: Throttle,
  email: string,
): Promise<void> {
  const now = deps.clock.real().getTime();
  await recordAttempt(
    deps.db,
    subjectOf(throttle, email),
    new Date(now).toISOString(),
    new Date(now - WINDOW_MS).toISOString(),
  );
}
