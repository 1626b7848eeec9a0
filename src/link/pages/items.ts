import type { Item } from '../../accounts/items.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import type { Branding } from '../branding.ts';
import { hidden, layout } from './layout.ts';

export interface ItemsView {
  items: Item[];
  query: string;
  search: { action: string; params: Record<string, string> };
  itemHref: (item: Item) => string;
  others: string;
}

/** The catalog (or the invite's flow items) with search. */
export function itemsPage(brand: Branding, v: ItemsView): string {
  const list =
    v.items.length === 0
      ? `<p class="muted" role="status">No employer or payroll provider matches “${e(v.query)}”.</p>`
      : `<ul class="items">${v.items
          .map(
            (i) =>
              `<li><a href="${e(v.itemHref(i))}"><span>${e(i.name)}</span><span class="kind">${e(i.kind)}</span></a></li>`,
          )
          .join('')}</ul>`;
  const keep = Object.entries(v.search.params)
    .map(([k, val]) => hidden(k, val))
    .join('');
  return layout({
    title: 'Find your employer',
    brand,
    body: `<h1>Find your employer or payroll provider</h1>
<form class="search" method="get" action="${e(v.search.action)}" role="search">${keep}
<div><label for="q">Search employers, payroll platforms and gig apps</label>
<input id="q" name="q" type="search" value="${e(v.query)}" autocomplete="off"></div>
<button class="btn secondary" type="submit">Search</button></form>${list}${v.others}`,
  });
}

/** The ways on when a login will not do: a document, or a short form. */
export function otherOptions(links: { upload: string; form: string }): string {
  return `<div class="others"><h2>Can't log in?</h2><p class="muted">You can
<a href="${e(links.upload)}">upload a document</a> such as a pay stub instead, or
<a href="${e(links.form)}">answer a few questions</a> about your job.</p></div>`;
}
