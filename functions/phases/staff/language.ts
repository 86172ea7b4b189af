/**
 * The language of the staff pages. A person's choice is kept with her session: made on the sign-in page
 * (which starts in her browser's language), changed on any page by the language switch, a plain link
 * that adds `?lang=` to the page she is on.
 */
import type { Language } from '../../domain/referral';
import { shortDateTime } from '../../domain/stockholm-dates';
import { html, type SafeHtml } from '../../web/html';
import { inLanguageHref } from '../../web/language';

// One rule for every page's language (web/language.ts); the staff pages use its parts.
export { browserLanguage, inLanguageHref, LANGUAGES, requestedLanguage } from '../../web/language';

/** A date and time on a staff page, in Stockholm's time, written as the language writes it. */
export function staffDateTime(iso: string, lang: Language): string {
  return shortDateTime(iso, lang);
}

const NAMES: Record<Language, string> = { sv: 'Svenska', en: 'English' };
const SWITCH_LABEL: Record<Language, string> = { sv: 'Språk', en: 'Language' };

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
