import { type ErrorKind, statusOf } from '../../errors.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import type { Branding } from '../branding.ts';
import type { PageProblem } from '../scope.ts';
import { UPLOAD_LIMITS } from '../upload-limits.ts';
import { layout } from './layout.ts';

const MESSAGES: Record<PageProblem, { kind: ErrorKind; title: string; text: string }> = {
  not_found: {
    kind: 'not_found',
    title: 'We couldn’t find this page',
    text: 'Check that the link is complete, or ask whoever sent it for a new one.',
  },
  expired: {
    kind: 'gone',
    title: 'This invite has expired',
    text: 'The link is no longer active. If you still need to connect your account, ask whoever invited you to send a new invite.',
  },
  unauthorized: {
    kind: 'unauthorized',
    title: 'This link is no longer valid',
    text: 'The session has expired or the link is incomplete. Go back to the app that opened it and try again.',
  },
  forbidden: {
    kind: 'forbidden',
    title: 'This page has expired',
    text: 'For your security the form could not be sent. Go back, reload the page and try again.',
  },
  bad_request: {
    kind: 'bad_request',
    title: 'That didn’t work',
    text: 'The page could not handle what was sent. Go back, reload the page and try again.',
  },
  too_large: {
    kind: 'payload_too_large',
    title: 'That file is too large',
    text: 'Go back and choose a smaller file.',
  },
  completed: {
    kind: 'conflict',
    title: 'This invite is already complete',
    text: 'We already have what we need, so there is nothing more to upload here. You can close this page.',
  },
  upload_files_full: {
    kind: 'conflict',
    title: 'You’ve uploaded as many documents as we can take',
    text: `One invite takes up to ${UPLOAD_LIMITS.files} documents, and they have all been received. If you need to send more, contact whoever invited you.`,
  },
  upload_bytes_full: {
    kind: 'payload_too_large',
    title: 'That would be more than we can take',
    text: `One invite takes up to ${UPLOAD_LIMITS.totalMb} MB of documents in all, and this file would go over that. Go back and choose a smaller file, or contact whoever invited you.`,
  },
  too_many_uploads: {
    kind: 'too_many_requests',
    title: 'Too many uploads in a short time',
    text: `One invite takes up to ${UPLOAD_LIMITS.perMinute} uploads a minute. Wait two minutes, then go back and try again.`,
  },
  busy: {
    kind: 'unavailable',
    title: 'We’re a little busy',
    text: 'Nothing was lost. Wait a few seconds, then go back and try again.',
  },
  storage_full: {
    kind: 'insufficient_storage',
    title: 'We couldn’t save that',
    text: 'Nothing was saved. Please try again later.',
  },
  error: {
    kind: 'internal',
    title: 'Something went wrong',
    text: 'Please try again in a moment.',
  },
};

/** A page that explains why the flow cannot go on, and its HTTP status. */
export function messagePage(problem: PageProblem, brand: Branding | null): { status: number; html: string } {
  const m = MESSAGES[problem];
  return {
    status: statusOf(m.kind),
    html: layout({
      title: m.title,
      brand,
      body: `<h1>${e(m.title)}</h1><p class="lead">${e(m.text)}</p>`,
    }),
  };
}
