import { statusOf } from '../../errors.ts';
import { escapeHtml as e } from '../../lib/html.ts';
import type { Language } from '../../templates/copy/index.ts';
import type { Branding } from '../branding.ts';
import { layout } from './layout.ts';

/** Which part of a Shareable URL's query was not valid. */
export type BadLinkPart = 'email' | 'external_id';

const COPY: Record<
  Language,
  {
    badLink: { title: string; part: Record<BadLinkPart, string>; advice: string };
    tooMany: { title: string; text: string };
  }
> = {
  en: {
    badLink: {
      title: 'This link isn’t quite right',
      part: {
        email: 'The email address at the end of the link is not valid.',
        external_id: 'The ID at the end of the link is not valid.',
      },
      advice: 'Check that you copied the whole link, or ask whoever shared it for a new one.',
    },
    tooMany: {
      title: 'Too many tries in a short time',
      text: 'This link has been used a lot in the last minute. Wait a minute, then go back and try again.',
    },
  },
  es: {
    badLink: {
      title: 'Este enlace no es correcto',
      part: {
        email: 'La dirección de correo electrónico al final del enlace no es válida.',
        external_id: 'El identificador al final del enlace no es válido.',
      },
      advice: 'Compruebe que copió el enlace completo o pida uno nuevo a quien se lo compartió.',
    },
    tooMany: {
      title: 'Demasiados intentos en poco tiempo',
      text: 'Este enlace se ha usado mucho en el último minuto. Espere un minuto, vuelva atrás e inténtelo de nuevo.',
    },
  },
};

const copyOf = (brand: Branding) => COPY[brand.language];

function page(brand: Branding, title: string, text: string): string {
  return layout({ title, brand, body: `<h1>${e(title)}</h1><p class="lead">${e(text)}</p>` });
}

/** A Shareable URL whose `?external_id=` or `?email=` cannot be taken: nothing was made. */
export function badLinkPage(brand: Branding, part: BadLinkPart): { status: number; html: string } {
  const c = copyOf(brand).badLink;
  return { status: statusOf('bad_request'), html: page(brand, c.title, `${c.part[part]} ${c.advice}`) };
}

/** A Shareable URL that made as many invites as it may this minute: nothing was made. */
export function tooManyEntriesPage(brand: Branding): { status: number; html: string } {
  const c = copyOf(brand).tooMany;
  return { status: statusOf('too_many_requests'), html: page(brand, c.title, c.text) };
}
