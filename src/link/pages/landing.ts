import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
import type { Branding } from '../branding.ts';
import { hidden, layout } from './layout.ts';

/** The page an invite URL opens: the customer's text and one button into Link. */
export function landingPage(brand: Branding, form: { action: string; csrf: string }): string {
  const l = brand.landing;
  const steps = l.steps.map((s) => `<li>${e(s)}</li>`).join('');
  return layout({
    title: l.header,
    brand,
    body: `<h1>${e(l.header)}</h1><p class="lead">${e(l.subheader)}</p>
<h2>${e(copyFor(brand.language).landing.howItWorks)}</h2><ol class="steps">${steps}</ol>
<form method="post" action="${e(form.action)}">${hidden('_csrf', form.csrf)}
<button class="btn" type="submit">${e(l.button)}</button></form>`,
  });
}
