import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
import { DEFAULT_COLOR } from '../../templates/render.ts';
import type { Branding } from '../branding.ts';

// Mobile first: one column that reads at 320 px; wider screens only get more air.
const STYLE = `
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827;overflow-wrap:anywhere}
.bar{height:6px;background:var(--brand)}
main{max-width:30rem;margin:0 auto;padding:1rem .75rem}
.card{background:#fff;border-radius:12px;padding:1.5rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.logo{display:block;width:56px;height:56px;border-radius:50%;object-fit:cover;margin:0 0 1rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}h2{font-size:1.125rem;margin:1.5rem 0 .5rem}
p{margin:0 0 1rem}.lead{color:#374151}.muted{color:#4b5563;font-size:.9375rem}
a{color:#1d4ed8}a:hover{color:#1e3a8a}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.btn{display:block;width:100%;min-height:48px;margin:1.25rem 0 0;padding:.75rem 1rem;border:0;border-radius:8px;
background:var(--brand);color:var(--on-brand);font-family:inherit;font-size:1rem;font-weight:600;line-height:1.5;text-align:center;text-decoration:none;cursor:pointer}
.btn:hover{filter:brightness(.92);color:var(--on-brand)}
.btn.secondary{background:#fff;color:#1f2937;border:2px solid #6b7280}
ol.steps{margin:1rem 0;padding:0;list-style:none;counter-reset:s}
ol.steps li{counter-increment:s;position:relative;padding:0 0 .75rem 2.5rem;min-height:2rem}
ol.steps li::before{content:counter(s);position:absolute;left:0;top:0;width:1.75rem;height:1.75rem;border-radius:50%;
background:var(--brand);color:var(--on-brand);font-weight:700;text-align:center;line-height:1.75rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input:not([type=hidden]):not([type=file]),select,textarea{width:100%;min-height:44px;padding:.5rem .75rem;
border:1px solid #6b7280;border-radius:8px;font:inherit;color:inherit;background:#fff}
input[type=file]{width:100%;font:inherit;padding:.5rem 0}
.hint{color:#4b5563;font-size:.875rem;margin:.25rem 0 0}
.alert{background:#fef2f2;border:1px solid #f87171;color:#991b1b;padding:.75rem 1rem;border-radius:8px;margin:0 0 1rem}
.search{display:flex;gap:.5rem;align-items:flex-end}.search div{flex:1}.search .btn{width:auto;margin:0}
ul.items{list-style:none;margin:1rem 0 0;padding:0;border-top:1px solid #e5e7eb}
ul.items a{display:flex;justify-content:space-between;align-items:center;gap:.5rem;padding:.875rem .25rem;
border-bottom:1px solid #e5e7eb;text-decoration:none;color:#111827}
ul.items a:hover{background:#f9fafb}.kind{color:#4b5563;font-size:.875rem;white-space:nowrap}
details{margin:1rem 0 0;background:#f9fafb;border-radius:8px;padding:.5rem .75rem}summary{cursor:pointer;font-weight:600}
code{font:.9375rem ui-monospace,monospace;background:#eef2ff;padding:0 .25rem;border-radius:4px}
.back{margin:1rem 0 0}.others{margin:1.5rem 0 0;padding:1rem 0 0;border-top:1px solid #e5e7eb}
footer{color:#4b5563;font-size:.875rem;text-align:center;margin:1.5rem 0}
@media (min-width:48rem){main{padding:3rem 1rem}.card{padding:2rem 2.25rem}h1{font-size:1.75rem}}
`;

export interface Shell {
  title: string;
  brand: Branding | null;
  body: string;
}

/** A whole page. `body` is already escaped HTML. */
export function layout({ title, brand, body }: Shell): string {
  const language = brand?.language ?? 'en';
  const copy = copyFor(language).layout;
  const vars = `:root{--brand:${brand?.color ?? DEFAULT_COLOR};--on-brand:${brand?.onColor ?? '#ffffff'}}`;
  const logo = brand?.logo
    ? `<img class="logo" src="${e(brand.logo)}" alt="${e(copy.logoAlt(brand.company))}">`
    : '';
  return `<!doctype html><html lang="${e(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${e(title)}</title><style>${vars}${STYLE}</style></head>
<body><div class="bar"></div><main><div class="card">${logo}${body}</div>
<footer>${e(copy.footer)}</footer></main></body></html>`;
}

export const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${e(name)}" value="${e(value)}">`;

export const alert = (message: string | null) =>
  message ? `<p class="alert" role="alert">${e(message)}</p>` : '';
