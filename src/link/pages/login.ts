import type { Item } from '../../accounts/items.ts';
import { escapeHtml as e } from '../../lib/html.ts';
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

/** The Item's login form. */
export function loginPage(brand: Branding, v: LoginView): string {
  return layout({
    title: `Log in to ${v.item.name}`,
    brand,
    body: `<h1>Log in to ${e(v.item.name)}</h1>${alert(v.error)}
<p class="lead">Use the username and password you use at ${e(v.item.name)}.</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="btn" type="submit">Connect</button></form>
<details><summary>Sandbox credentials</summary><p class="hint">Username <code>test_1</code>, <code>test_2</code>
or <code>test_3</code>, password <code>passgood</code>; then the verification code <code>8081</code>,
<code>8082</code> or <code>8083</code>.</p></details>
${v.back ? `<p class="muted back"><a href="${e(v.back)}">Choose a different employer</a></p>` : ''}${v.others}`,
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
  return layout({
    title: 'Enter your verification code',
    brand,
    body: `<h1>Enter your verification code</h1>${alert(v.error)}
<p class="lead">${e(v.item.name)} sent you a code to confirm it's you.</p>
<form method="post" action="${e(v.action)}">${hidden('_csrf', v.csrf)}
<label for="code">Verification code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<button class="btn" type="submit">Verify</button></form>`,
  });
}
