import type { Item } from '../../accounts/items.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
import type { Branding } from '../branding.ts';
import { alert, hidden, layout } from './layout.ts';

export interface LoginView {
  item: Item;
  action: string;
  csrf: string;
  error: string | null;
  back: string | null;
  others: string;
}

/** Escaped text with its `quoted` parts shown as code. */
const withCode = (text: string) => e(text).replace(/`([^`]*)`/g, '<code>$1</code>');

/** The Item's login form. */
export function loginPage(brand: Branding, v: LoginView): string {
  const copy = copyFor(brand.language).login;
  return layout({
    title: copy.title(v.item.name),
    brand,
    body: `<h1>${e(copy.title(v.item.name))}</h1>${alert(v.error)}
<p class="lead">${e(copy.lead(v.item.name))}</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}
<label for="username">${e(copy.username)}</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required>
<label for="password">${e(copy.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="btn" type="submit">${e(copy.button)}</button></form>
<details><summary>${e(copy.sandboxSummary)}</summary><p class="hint">${withCode(copy.sandboxHint)}</p></details>
${v.back ? `<p class="muted back"><a href="${e(v.back)}">${e(copy.back)}</a></p>` : ''}${v.others}`,
  });
}

export interface VerifyView {
  item: Item;
  action: string;
  csrf: string;
  error: string | null;
}

/** The verification code step after the credentials were accepted. */
export function verifyPage(brand: Branding, v: VerifyView): string {
  const copy = copyFor(brand.language).verify;
  return layout({
    title: copy.title,
    brand,
    body: `<h1>${e(copy.title)}</h1>${alert(v.error)}
<p class="lead">${e(copy.lead(v.item.name))}</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}
<label for="code">${e(copy.label)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<button class="btn" type="submit">${e(copy.button)}</button></form>`,
  });
}
