import { escapeHtml as e } from '../../lib/html.ts';
import { type Copy, copyFor } from '../../templates/copy/index.ts';
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
const megabytes = (bytes: number) => Math.floor((bytes / MB) * 10) / 10;

/** The limits in words, and what is left of them once something was uploaded. */
function uploadHint(copy: Copy['upload'], room: UploadRoom): string {
  const each = copy.each(MAX_UPLOAD_MB);
  if (room.files === UPLOAD_LIMITS.files && room.bytes === UPLOAD_LIMITS.totalMb * MB) {
    return `${each} ${copy.room(UPLOAD_LIMITS.files, UPLOAD_LIMITS.totalMb)}`;
  }
  return `${each} ${copy.left(room.files, megabytes(room.bytes))}`;
}

/** Upload a document (a pay stub, a W-2) instead of logging in. */
export function uploadPage(brand: Branding, v: AlternativeForm & { room: UploadRoom }): string {
  const copy = copyFor(brand.language).upload;
  // The token fields come before the file so they are read before the file is.
  return layout({
    title: copy.title,
    brand,
    body: `<h1>${e(copy.title)}</h1>${alert(v.error)}
<p class="lead">${e(copy.lead(brand.company))}</p>
<form method="post" action="${e(v.action)}" enctype="multipart/form-data">${hidden('_csrf', v.csrf)}${hidden('_submission', v.submission)}
<label for="document">${e(copy.label)}</label>
<input id="document" name="document" type="file" accept=".pdf,.png,.jpg,.jpeg,.heic,application/pdf,image/*" required aria-describedby="document-hint">
<p class="hint" id="document-hint">${e(uploadHint(copy, v.room))}</p>
<button class="btn" type="submit">${e(copy.button)}</button></form>
<p class="muted back"><a href="${e(v.back)}">${e(copy.back)}</a></p>`,
  });
}

/** The values stored with an answer; each shown in the page's language. */
export const PAY_FREQUENCIES = ['weekly', 'every two weeks', 'twice a month', 'monthly'] as const;

/** A short form about the job instead of logging in. */
export function responseFormPage(brand: Branding, v: AlternativeForm): string {
  const copy = copyFor(brand.language).form;
  const options = PAY_FREQUENCIES.map(
    (f) => `<option value="${e(f)}">${e(copy.frequencies[f])}</option>`,
  ).join('');
  return layout({
    title: copy.title,
    brand,
    body: `<h1>${e(copy.title)}</h1>${alert(v.error)}
<p class="lead">${e(copy.lead(brand.company))}</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}${hidden('_submission', v.submission)}
<label for="employer">${e(copy.employer)}</label><input id="employer" name="employer" type="text" autocomplete="organization" required>
<label for="job_title">${e(copy.jobTitle)}</label><input id="job_title" name="job_title" type="text" autocomplete="organization-title">
<label for="pay_frequency">${e(copy.payFrequency)}</label><select id="pay_frequency" name="pay_frequency">${options}</select>
<label for="monthly_income">${e(copy.monthlyIncome)}</label>
<input id="monthly_income" name="monthly_income" type="text" inputmode="decimal">
<button class="btn" type="submit">${e(copy.button)}</button></form>
<p class="muted back"><a href="${e(v.back)}">${e(copy.back)}</a></p>`,
  });
}

/** After the response form: thanks, and the way back to connect an account after all. */
export function formReceivedPage(brand: Branding, links: { items: string }): string {
  const copy = copyFor(brand.language).received;
  return layout({
    title: copy.title,
    brand,
    body: `<h1>${e(copy.title)}</h1>
<p class="lead">${e(copy.lead(brand.company))}</p>
<a class="btn" href="${e(links.items)}">${e(copy.button)}</a>`,
  });
}
