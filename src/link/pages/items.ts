import type { Item } from '../../accounts/items.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import { copyFor } from '../../templates/copy/index.ts';
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
  const copy = copyFor(brand.language).items;
  const list =
    v.items.length === 0
      ? `<p class="muted" role="status">${e(copy.noMatch(v.query))}</p>`
      : `<ul class="items">${v.items
          .map(
            (i) =>
              `<li><a href="${e(v.itemHref(i))}"><span>${e(i.name)}</span><span class="kind">${e(copy.kinds[i.kind])}</span></a></li>`,
          )
          .join('')}</ul>`;
  const keep = Object.entries(v.search.params)
    .map(([k, val]) => hidden(k, val))
    .join('');
  return layout({
    title: copy.title,
    brand,
    body: `<h1>${e(copy.heading)}</h1>
<form class="search" method="get" action="${e(v.search.action)}" role="search">${keep}
<div><label for="q">${e(copy.searchLabel)}</label>
<input id="q" name="q" type="search" value="${e(v.query)}" autocomplete="off"></div>
<button class="btn secondary" type="submit">${e(copy.search)}</button></form>${list}${v.others}`,
  });
}

/** The ways on when a login will not do: a document, or a short form. */
export function otherOptions(brand: Branding, links: { upload: string; form: string }): string {
  const copy = copyFor(brand.language).items;
  const [before, upload, between, form, after] = copy.others.map(e);
  return `<div class="others"><h2>${e(copy.othersHeading)}</h2><p class="muted">${before}
<a href="${e(links.upload)}">${upload}</a>${between}
<a href="${e(links.form)}">${form}</a>${after}</p></div>`;
}
