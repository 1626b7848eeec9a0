import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import { isEmailAddress } from '../http/email-address.ts';
import { authFailureGuard } from '../http/rate-limit.ts';
import { endSession, endSessionOfToken, SESSION_MAX_MS, startSession } from '../members/sessions.service.ts';
import {
  createFirstAdmin,
  type OpenLink,
  openLink,
  setPasswordByLink,
} from '../members/set-password.service.ts';
import { requestPasswordReset, verifySignIn } from '../members/sign-in.service.ts';
import { clearCookie, cookieOptions, SESSION_COOKIE } from './cookies.ts';
import { sendMemberEmail } from './emails/member-email.ts';
import { resetEmail } from './emails/reset-email.tsx';
import { type FlashKey, setFlash } from './flash.ts';
import { type FormErrors, field, formErrorsOf, requireCsrf } from './forms.ts';
import { ForgotPasswordPage } from './pages/forgot-password.tsx';
import { FirstAdminPage, NewPasswordPage } from './pages/set-password.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { seeOther, sendPage } from './render.ts';
import { safeNext } from './session.hook.ts';
import { shellOf } from './shell.ts';
import { setPasswordUrl } from './urls.ts';

type Req = FastifyRequest<{ Querystring: Record<string, string | undefined>; Body: unknown }>;

const WRONG = 'The email or password is incorrect.';
/** A form refused for its input shows again, with the errors beside its fields. */
const BAD_REQUEST = statusOf('bad_request');

/** The sign-in page, which `/console` shows whoever is signed out. */
export async function showSignIn(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  form: { email?: string; next?: string; errors?: FormErrors } = {},
  status = 200,
) {
  const next = form.next ?? safeNext((req.query as { next?: unknown }).next);
  const shell = await shellOf(deps, req, reply);
  return sendPage(
    reply,
    <SignInPage shell={shell} email={form.email} next={next} errors={form.errors} />,
    status,
  );
}

/** Signs the browser in as `member`: a new session, its token in the cookie. */
async function beginSession(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  member: { client_id: string; id: string },
) {
  // Whoever this browser was signed in as before is signed out: one browser, one session.
  await endSessionOfToken(deps, req.cookies[SESSION_COOKIE]);
  const { token } = await startSession(deps, member);
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps.config, SESSION_MAX_MS / 1000));
}

/** Sign-in, sign-out, the one-time password links and the forgotten-password form. */
export function authRoutes(app: FastifyInstance, deps: Deps, track: (work: Promise<void>) => void): void {
  // The per-address limit of API logins, shared with them: an address guessing here guesses there too.
  const guard = authFailureGuard(deps);

  // A browser already signed in may sign in again (as someone else, or from a sign-in page
  // opened before): the new session replaces the old one.
  app.post('/sign-in', async (req: Req, reply) => {
    await requireCsrf(deps, req, { signedOutForm: true });
    const email = field(req.body, 'email').trim();
    const password = field(req.body, 'password');
    const next = safeNext(field(req.body, 'next'));
    const errors: FormErrors = {};
    if (email === '') errors.email = ['This field may not be blank.'];
    if (password === '') errors.password = ['This field may not be blank.'];
    if (Object.keys(errors).length > 0)
      return showSignIn(deps, req, reply, { email, next, errors }, BAD_REQUEST);
    try {
      await guard?.check(req, false);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      reply.headers(err.headers);
      return showSignIn(
        deps,
        req,
        reply,
        { email, next, errors: { non_field_errors: [err.message] } },
        err.statusCode,
      );
    }
    const outcome = await verifySignIn(deps, email, password);
    if (outcome.kind === 'throttled') {
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
      reply.header('retry-after', String(outcome.retryAfterSeconds));
      const message = `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      return showSignIn(
        deps,
        req,
        reply,
        { email, next, errors: { non_field_errors: [message] } },
        statusOf('too_many_requests'),
      );
    }
    if (outcome.kind === 'refused') {
      await guard?.failed(req);
      return showSignIn(
        deps,
        req,
        reply,
        { email, next, errors: { non_field_errors: [WRONG] } },
        BAD_REQUEST,
      );
    }
    await beginSession(deps, req, reply, outcome.member);
    return seeOther(reply, next);
  });

  app.post('/sign-out', async (req, reply) => {
    if (!req.member) return seeOther(reply, '/console');
    await requireCsrf(deps, req);
    await endSession(deps, req.member.sessionId);
    clearCookie(reply, deps.config, SESSION_COOKIE);
    setFlash(reply, deps.config, 'signed_out');
    return seeOther(reply, '/console');
  });

  const linkGone = () =>
    AppError.detail(
      'gone',
      'This link has expired or was already used. Ask for a new one with "Forgot your password?" on the sign-in page.',
    );

  async function showLink(
    req: Req,
    reply: FastifyReply,
    link: OpenLink,
    form: Record<string, string>,
    errors?: FormErrors,
  ) {
    const shell = await shellOf(deps, req, reply);
    const action = `/console/set-password?token=${encodeURIComponent(req.query.token ?? '')}`;
    const status = errors ? BAD_REQUEST : 200;
    if (link.purpose === 'setup') {
      return sendPage(
        reply,
        <FirstAdminPage
          shell={shell}
          action={action}
          errors={errors}
          clientName={link.clientName}
          email={form.email}
          name={form.name}
        />,
        status,
      );
    }
    return sendPage(
      reply,
      <NewPasswordPage
        shell={shell}
        action={action}
        errors={errors}
        email={link.member.email}
        reset={link.purpose === 'reset'}
      />,
      status,
    );
  }

  app.get('/set-password', async (req: Req, reply) => {
    const link = await openLink(deps, req.query.token);
    if (!link) throw linkGone();
    return showLink(req, reply, link, {});
  });

  app.post('/set-password', async (req: Req, reply) => {
    await requireCsrf(deps, req);
    const link = await openLink(deps, req.query.token);
    if (!link) throw linkGone();
    const form = { email: field(req.body, 'email'), name: field(req.body, 'name') };
    const password = field(req.body, 'password');
    let member: { client_id: string; id: string };
    let flash: FlashKey;
    try {
      if (link.purpose === 'setup') {
        member = await createFirstAdmin(deps, link, { ...form, password });
        flash = 'welcome';
      } else {
        member = await setPasswordByLink(deps, link, password);
        flash = 'password_set';
      }
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return showLink(req, reply, link, form, errors);
    }
    await beginSession(deps, req, reply, member);
    setFlash(reply, deps.config, flash);
    return seeOther(reply, '/console');
  });

  app.get('/forgot-password', async (req, reply) => {
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <ForgotPasswordPage shell={shell} />);
  });

  app.post('/forgot-password', async (req: Req, reply) => {
    await requireCsrf(deps, req);
    const email = field(req.body, 'email').trim();
    if (!isEmailAddress(email)) {
      const shell = await shellOf(deps, req, reply);
      const errors = {
        email: [email === '' ? 'This field may not be blank.' : 'Enter a valid email address.'],
      };
      return sendPage(reply, <ForgotPasswordPage shell={shell} email={email} errors={errors} />, BAD_REQUEST);
    }
    // Each request counts against the address as a failed login would, so one address cannot
    // send reset emails to a long list of people.
    await guard?.check(req, false);
    await guard?.failed(req);
    // The answer is the same, and as quick, whether or not the address belongs to a member.
    track(sendResetLinks(deps, email));
    setFlash(reply, deps.config, 'reset_sent');
    return seeOther(reply, '/console');
  });
}

/** Emails a reset link to each active membership of the address (none: nothing is sent). */
async function sendResetLinks(deps: Deps, email: string): Promise<void> {
  try {
    for (const { member, token } of await requestPasswordReset(deps, email)) {
      const message = resetEmail({
        email: member.email,
        clientName: member.client_name,
        url: setPasswordUrl(deps.config.PUBLIC_URL, token),
      });
      await sendMemberEmail(deps, member, message);
    }
  } catch (err) {
    deps.log.error({ err }, 'sending a password reset link failed');
  }
}
