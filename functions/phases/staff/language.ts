/**
 * The language of the staff pages. A person's choice is kept with her session: made on the sign-in page
 * (which starts in her browser's language), changed on any page by the language switch, a plain link
 * that adds `?lang=` to the page she is on.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Language } from '../../domain/referral';
import { ZONE } from '../../domain/time-zone';
import { html, type SafeHtml } from '../../web/html';

export const LANGUAGES = ['sv', 'en'] as const satisfies readonly Language[];
const languageSchema = z.enum(LANGUAGES);

/** The language a request asks for with `?lang=`; anything else is no request (never an error page). */
export function requestedLanguage(query: string | undefined): Language | undefined {
  const parsed = languageSchema.safeParse(query);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The language the browser prefers among ours (`Accept-Language`, by its q-values; Swedish on a tie or
 * when it names neither): the sign-in page's language before a person has chosen.
 */
export function browserLanguage(acceptLanguage: string | undefined): Language {
  let best: { lang: Language; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = LANGUAGES.find((l) => range === l || range.startsWith(`${l}-`));
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q || (q === best.q && lang === 'sv' && best.lang !== 'sv')) best = { lang, q };
  }
  return best?.lang ?? 'sv';
}

/** A date and time on a staff page, in Stockholm's time, written as the language writes it. */
export function staffDateTime(iso: string, lang: Language): string {
  const at = DateTime.fromISO(iso, { zone: ZONE });
  return lang === 'en'
    ? at.setLocale('en-GB').toFormat('d LLL yyyy, HH:mm')
    : at.setLocale('sv-SE').toFormat('yyyy-LL-dd HH:mm');
}

const NAMES: Record<Language, string> = { sv: 'Svenska', en: 'English' };
const SWITCH_LABEL: Record<Language, string> = { sv: 'Språk', en: 'Language' };

/** `here` (a path with its query) asking for `lang`. */
export function inLanguageHref(here: string, lang: Language): string {
  const url = new URL(here, 'http://staff.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/**
 * The switch to the other language, on every staff page: a link to the same page, its name written in
 * that language and marked so (lang, hreflang) for screen readers.
 */
export function languageSwitch(lang: Language, here: string): SafeHtml {
  const other: Language = lang === 'en' ? 'sv' : 'en';
  return html`<nav aria-label="${SWITCH_LABEL[lang]}" class="language-switch">
    <p>
      <a href="${inLanguageHref(here, other)}" hreflang="${other}" lang="${other}">${NAMES[other]}</a>
    </p>
  </nav>`;
}
