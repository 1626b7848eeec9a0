import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A Console email's HTML: a plain document, its title the subject, around `body`. */
export function emailHtml(subject: string, body: ComponentChildren): string {
  return `<!doctype html>${renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{subject}</title>
      </head>
      <body>{body}</body>
    </html>,
  )}`;
}
