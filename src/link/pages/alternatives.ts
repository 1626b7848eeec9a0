import { escapeHtml as e } from '../../lib/html.ts';
import type { Branding } from '../branding.ts';
import { MB, UPLOAD_LIMITS, type UploadRoom } from '../upload-limits.ts';
import { alert, hidden, layout } from './layout.ts';

export interface AlternativeForm {
  action: string;
  csrf: string;
  submission: string;
  error: string | null;
  back: string;
}

export const MAX_UPLOAD_MB = UPLOAD_LIMITS.fileMb;

/** Megabytes as a person reads them: whole, or to one decimal, never rounded up. */
const megabytes = (bytes: number) => `${Math.floor((bytes / MB) * 10) / 10} MB`;

/** The limits in words, and what is left of them once something was uploaded. */
function uploadHint(room: UploadRoom): string {
  const each = `PDF or image, up to ${MAX_UPLOAD_MB} MB each.`;
  if (room.files === UPLOAD_LIMITS.files && room.bytes === UPLOAD_LIMITS.totalMb * MB) {
    return `${each} You can upload up to ${UPLOAD_LIMITS.files} documents, ${UPLOAD_LIMITS.totalMb} MB in all.`;
  }
  const more = room.files === 1 ? '1 more document' : `${room.files} more documents`;
  return `${each} You can upload ${more}, ${megabytes(room.bytes)} in all.`;
}

/** Upload a document (a pay stub, a W-2) instead of logging in. */
export function uploadPage(brand: Branding, v: AlternativeForm & { room: UploadRoom }): string {
  // The token fields come before the file so they are read before the file is.
  return layout({
    title: 'Upload a document',
    brand,
    body: `<h1>Upload a document</h1>${alert(v.error)}
<p class="lead">A recent pay stub, W-2 or offer letter shows ${brand.company ? `${e(brand.company)} ` : ''}your income and employer.</p>
<form method="post" action="${e(v.action)}" enctype="multipart/form-data">${hidden('_csrf', v.csrf)}${hidden('_submission', v.submission)}
<label for="document">Document</label>
<input id="document" name="document" type="file" accept=".pdf,.png,.jpg,.jpeg,.heic,application/pdf,image/*" required aria-describedby="document-hint">
<p class="hint" id="document-hint">${e(uploadHint(v.room))}</p>
<button class="btn" type="submit">Upload</button></form>
<p class="muted back"><a href="${e(v.back)}">Back to log in instead</a></p>`,
  });
}

export const PAY_FREQUENCIES = ['weekly', 'every two weeks', 'twice a month', 'monthly'] as const;

/** A short form about the job instead of logging in. */
export function responseFormPage(brand: Branding, v: AlternativeForm): string {
  const options = PAY_FREQUENCIES.map((f) => `<option value="${e(f)}">${e(f)}</option>`).join('');
  return layout({
    title: 'Tell us about your job',
    brand,
    body: `<h1>Tell us about your job</h1>${alert(v.error)}
<p class="lead">${brand.company ? `${e(brand.company)} will follow up if it needs more.` : 'You will hear back if more is needed.'}</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}${hidden('_submission', v.submission)}
<label for="employer">Employer name</label><input id="employer" name="employer" type="text" autocomplete="organization" required>
<label for="job_title">Job title</label><input id="job_title" name="job_title" type="text" autocomplete="organization-title">
<label for="pay_frequency">How often are you paid?</label><select id="pay_frequency" name="pay_frequency">${options}</select>
<label for="monthly_income">Monthly income before taxes (USD)</label>
<input id="monthly_income" name="monthly_income" type="text" inputmode="decimal">
<button class="btn" type="submit">Send answers</button></form>
<p class="muted back"><a href="${e(v.back)}">Back to log in instead</a></p>`,
  });
}

/** After the response form: thanks, and the way back to connect an account after all. */
export function formReceivedPage(brand: Branding, links: { items: string }): string {
  return layout({
    title: 'Thanks, we got your answers',
    brand,
    body: `<h1>Thanks, we got your answers</h1>
<p class="lead">${brand.company ? `${e(brand.company)} has received them.` : 'They have been received.'} Connecting your payroll account as well is the fastest way to finish.</p>
<a class="btn" href="${e(links.items)}">Connect an account</a>`,
  });
}
