import { type Copy, en } from './en.ts';
import { es } from './es.ts';

/** The languages of the built-in copy; a flow's `language` is one of them. */
export type Language = 'en' | 'es';

const CATALOGUES: Record<Language, Copy> = { en, es };

const isLanguage = (lang: unknown): lang is Language =>
  typeof lang === 'string' && Object.hasOwn(CATALOGUES, lang);

/** The built-in copy in `lang`; English for a language without copy. */
export function copyFor(lang: string | null | undefined): Copy {
  return CATALOGUES[isLanguage(lang) ? lang : 'en'];
}

export type { Copy };
