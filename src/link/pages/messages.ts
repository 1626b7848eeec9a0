import { type ErrorKind, statusOf } from '../../errors.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
import type { Branding } from '../branding.ts';
import type { PageProblem } from '../scope.ts';
import { UPLOAD_LIMITS } from '../upload-limits.ts';
import { layout } from './layout.ts';

/**
 * The kind of error each page answers, which gives its status. `inactive` is no error: the
 * visitor did nothing wrong and has nothing to do, so its page is a plain 200, a status no kind
 * of the error table stands for.
 */
const KINDS: Record<PageProblem, ErrorKind | 'ok'> = {
  not_found: 'not_found',
  expired: 'gone',
  inactive: 'ok',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  bad_request: 'bad_request',
  too_large: 'payload_too_large',
  completed: 'conflict',
  upload_files_full: 'conflict',
  upload_bytes_full: 'payload_too_large',
  too_many_uploads: 'too_many_requests',
  busy: 'unavailable',
  storage_full: 'insufficient_storage',
  error: 'internal',
};

/** A page that explains why the flow cannot go on, in the invite's language, and its HTTP status. */
export function messagePage(problem: PageProblem, brand: Branding | null): { status: number; html: string } {
  const m = copyFor(brand?.language).problems(UPLOAD_LIMITS)[problem];
  const kind = KINDS[problem];
  return {
    status: kind === 'ok' ? 200 : statusOf(kind),
    html: layout({
      title: m.title,
      brand,
      body: `<h1>${e(m.title)}</h1><p class="lead">${e(m.text)}</p>`,
    }),
  };
}
