import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { newId, parseUuid } from '../lib/ids.ts';
import { copyFor } from '../templates/copy/index.ts';
import type { Branding } from './branding.ts';
import { brand, field, formToken, requireCsrf, type ScopeOf, seeOther, sendPage } from './link.http.ts';
import { submitResponseForm, uploadDocument } from './link.service.ts';
import {
  formReceivedPage,
  MAX_UPLOAD_MB,
  PAY_FREQUENCIES,
  responseFormPage,
  uploadPage,
} from './pages/alternatives.ts';
import { messagePage } from './pages/messages.ts';
import { href, PageError } from './scope.ts';
import { countUpload, fullProblem, uploadRoom, uploadsClosed } from './upload-limits.ts';

type Req = { Params: Record<string, string>; Querystring: Record<string, string>; Body: unknown };

/** The alert a redirect back to the upload form names in `?error=`. */
function uploadError(b: Branding, error: string | undefined): string | null {
  const copy = copyFor(b.language).upload;
  if (error === 'missing') return copy.missing;
  if (error === 'too_large') return copy.tooLarge(MAX_UPLOAD_MB);
  return null;
}

/** Answers are short text; anything longer is cut rather than refused. */
const answer = (body: unknown, name: string) => field(body, name).trim().slice(0, 200);

/** The ways to finish without a login: a document upload, or a short response form. */
export function alternativeRoutes(app: FastifyInstance, deps: Deps, p: string, scopeOf: ScopeOf): void {
  app.get<Req>(`${p}/upload`, async (req, reply) => {
    const scope = await scopeOf(req);
    const closed = uploadsClosed(scope.invite, scope.userToken !== null, deps.clock.now());
    if (closed) throw new PageError(closed, scope.invite);
    const room = await uploadRoom(deps, scope);
    const full = fullProblem(room);
    if (full) throw new PageError(full, scope.invite);
    const b = await brand(deps, scope);
    const page = uploadPage(b, {
      action: href(scope, '/upload'),
      csrf: await formToken(deps, scope, req, reply),
      submission: newId(),
      error: uploadError(b, req.query.error),
      back: href(scope, '/items'),
      room,
    });
    return sendPage(reply, page);
  });

  app.post<Req>(`${p}/upload`, async (req, reply) => {
    const scope = await scopeOf(req);
    if (!req.isMultipart()) throw new PageError('bad_request', scope.invite);
    // A body that is not the multipart it claims to be is the sender's fault, not a 500.
    const file = await req.file().catch(() => {
      throw new PageError('bad_request', scope.invite);
    });
    // Fields before the file part arrive with it; the form puts its tokens first.
    const value = (name: string) => {
      const f = file?.fields[name];
      const one = Array.isArray(f) ? f[0] : f;
      return one && one.type === 'field' ? String(one.value) : '';
    };
    await requireCsrf(deps, scope, req, value('_csrf'));
    if (!file || file.filename === '') return seeOther(reply, href(scope, '/upload', { error: 'missing' }));
    // Refusals that need not read the file let it pass unread, so the request still ends.
    const closed = uploadsClosed(scope.invite, scope.userToken !== null, deps.clock.now());
    if (closed) {
      file.file.resume();
      throw new PageError(closed, scope.invite);
    }
    const wait = await countUpload(deps, scope);
    if (wait !== null) {
      file.file.resume();
      const page = messagePage('too_many_uploads', await brand(deps, scope));
      return sendPage(reply.header('retry-after', String(wait)), page.html, page.status);
    }
    let content: Buffer;
    try {
      content = await file.toBuffer();
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE')
        throw new PageError('bad_request', scope.invite);
      return seeOther(reply, href(scope, '/upload', { error: 'too_large' }));
    }
    if (content.length === 0) return seeOther(reply, href(scope, '/upload', { error: 'missing' }));
    const submission = parseUuid(value('_submission')) ?? newId();
    await uploadDocument(
      deps,
      scope,
      { fileName: file.filename, contentType: file.mimetype || 'application/octet-stream', content },
      submission,
    );
    return seeOther(reply, href(scope, '/success'));
  });

  app.get<Req>(`${p}/form`, async (req, reply) => {
    const scope = await scopeOf(req);
    const b = await brand(deps, scope);
    const page = responseFormPage(b, {
      action: href(scope, '/form'),
      csrf: await formToken(deps, scope, req, reply),
      submission: newId(),
      error: req.query.error === 'employer' ? copyFor(b.language).form.missingEmployer : null,
      back: href(scope, '/items'),
    });
    return sendPage(reply, page);
  });

  app.post<Req>(`${p}/form`, async (req, reply) => {
    const scope = await scopeOf(req);
    await requireCsrf(deps, scope, req, field(req.body, '_csrf'));
    const answers = {
      employer: answer(req.body, 'employer'),
      job_title: answer(req.body, 'job_title'),
      pay_frequency: (PAY_FREQUENCIES as readonly string[]).includes(answer(req.body, 'pay_frequency'))
        ? answer(req.body, 'pay_frequency')
        : '',
      monthly_income: answer(req.body, 'monthly_income'),
    };
    if (!answers.employer) return seeOther(reply, href(scope, '/form', { error: 'employer' }));
    const submission = parseUuid(field(req.body, '_submission')) ?? newId();
    await submitResponseForm(deps, scope, answers, submission);
    return seeOther(reply, href(scope, '/form/received'));
  });

  app.get<Req>(`${p}/form/received`, async (req, reply) => {
    const scope = await scopeOf(req);
    return sendPage(reply, formReceivedPage(await brand(deps, scope), { items: href(scope, '/items') }));
  });
}
