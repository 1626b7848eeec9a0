import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
import type { Branding } from '../branding.ts';
import { layout } from './layout.ts';

/** The customer's success page; there is always a way to connect another account. */
export function successPage(brand: Branding, links: { connectAnother: string }): string {
  const s = brand.success;
  const button = s.button;
  // Only http(s) URLs reach here (see branding); anything else leads back into Link.
  const primary = button
    ? `<a class="btn" href="${e(button.url ?? links.connectAnother)}">${e(button.text)}</a>`
    : '';
  const another =
    button && button.url === null
      ? ''
      : `<a class="btn${primary ? ' secondary' : ''}" href="${e(links.connectAnother)}">${e(copyFor(brand.language).success.connectAnother)}</a>`;
  return layout({
    title: s.header,
    brand,
    body: `<h1>${e(s.header)}</h1><p class="lead">${e(s.subheader)}</p>${primary}${another}`,
  });
}
