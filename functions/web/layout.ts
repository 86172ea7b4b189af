import type { Language } from '../domain/referral';
import { PRIVACY_PATH } from './emails/render';
import { html, type SafeHtml } from './html';
import { inLanguageHref, otherLanguage } from './language';
import { currentPageRequest } from './request-context';

/**
 * The focus indicator: a dark ring with a yellow halo inside it. The dark ring stands out against the white
 * page and the yellow halo; the halo against the dark ring and the blue buttons (WCAG 1.4.11, 3:1; a unit
 * test computes the ratios). Yellow alone was about 1.97:1 against white.
 */
export const FOCUS_RING = { outline: '#1a1a1a', halo: '#f9a825' } as const;

export const SITE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --accent: #0b5394; --error: #b00020; --muted: #555; }
* { box-sizing: border-box; }
body { font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, [tabindex]:focus {
  outline: 3px solid ${FOCUS_RING.outline}; outline-offset: 2px; box-shadow: 0 0 0 2px ${FOCUS_RING.halo};
}
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 1px solid #ccc; }
fieldset { border: 1px solid #999; margin: 1.25rem 0; padding: .75rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
label { display: block; font-weight: 600; margin-top: .75rem; }
.hint { color: var(--muted); font-size: .95rem; margin: .15rem 0 .25rem; }
input[type=text], input[type=email], select, textarea { width: 100%; font: inherit; padding: .5rem; border: 2px solid #555; border-radius: 4px; }
input[type=checkbox], input[type=radio] { width: 1.25rem; height: 1.25rem; vertical-align: middle; margin-right: .4rem; }
label.inline { display: inline; font-weight: 400; }
.field-error { color: var(--error); font-weight: 600; margin: .25rem 0; }
[aria-invalid=true] { border-color: var(--error) !important; }
.error-summary { border: 3px solid var(--error); padding: .75rem 1rem; margin: 1rem 0; }
.error-summary h2 { margin-top: 0; color: var(--error); font-size: 1.2rem; }
button { font: inherit; font-weight: 600; padding: .6rem 1.2rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; margin: .75rem .5rem 0 0; }
button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
.receipt { font-size: 1.5rem; font-weight: 700; letter-spacing: .05em; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .5rem 1rem; }
.site-language a, .site-language button { font-weight: 600; }
.site-language button { margin: 0; padding: .35rem .8rem; background: #fff; color: var(--accent); border: 2px solid var(--accent); }
body.staff header, body.staff main, body.staff footer { max-width: 80rem; }
body.staff header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .25rem 1.5rem; }
header p { margin: .25rem 0; }
.staff-nav { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1rem; font-size: .95rem; }
.staff-nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
.staff-nav form { display: inline; }
button.link { background: none; border: 0; padding: 0; margin: 0; color: var(--accent); font-weight: 400; text-decoration: underline; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: 1rem 0; }
.table-scroll table { font-size: .95rem; } .table-scroll th, .table-scroll td { padding: .4rem .35rem; }
.table-scroll thead th { vertical-align: bottom; hyphens: auto; }
caption { text-align: left; font-weight: 600; padding: .4rem 0; }
.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 1.25rem; }
.filters label { margin-top: .5rem; }
.filters select, .filters input { width: auto; max-width: 100%; }
input[type=date] { font: inherit; padding: .45rem; border: 2px solid #555; border-radius: 4px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 1rem 2rem; }
.charts figure { margin: 1rem 0; }
.charts figcaption { font-weight: 600; }
.charts svg { display: block; width: 100%; max-width: 30rem; height: auto; }
/* A wide table scrolls inside its own region on a phone instead of widening the page (WCAG 1.4.10). */
fieldset.wide { min-width: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
a[href^="mailto:"] { overflow-wrap: anywhere; }
.face-scale .faces { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: .35rem; }
.face-scale label.face { display: flex; flex-direction: column; align-items: center; justify-content: flex-start; gap: .25rem; min-height: 44px; min-width: 44px; margin: 0; padding: .5rem .15rem; border: 2px solid #767676; border-radius: 8px; font-weight: 400; font-size: .9rem; text-align: center; line-height: 1.2; cursor: pointer; }
.face-scale label.face input { margin: 0; }
.face-scale label.face:has(input:checked) { border-color: var(--accent); background: #e8f0fb; font-weight: 700; }
.face-scale label.face:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
.face-scale .face-icon { width: 2.5rem; height: 2.5rem; }
`;

/**
 * How the page offers the other language. A link to the same page with `?lang=` where nothing typed can be
 * lost; on a form page a submit button of the form (`form`), posted to `postTo`, so the page comes back in
 * the other language with everything typed still in it. `false`: the page has its own (staff pages).
 */
export type LanguageSwitch = { link: string } | { form: string; postTo: string } | false;

export interface PageOptions {
  title: string;
  lang?: Language;
  body: SafeHtml;
  /** A signed-in staff page: the wide layout, with this navigation (and sign-out) in the header. */
  staff?: SafeHtml;
  /** Default: a link to the path the request asked for; none outside a request or under /staff. */
  languageSwitch?: LanguageSwitch;
}

const SWITCH_LABEL: Record<Language, string> = { sv: 'Språk', en: 'Language' };
const LANGUAGE_NAME: Record<Language, string> = { sv: 'Svenska', en: 'English' };

function defaultSwitch(): LanguageSwitch {
  const here = currentPageRequest()?.here;
  // Staff pages render their own switch, which also changes the language kept with the session.
  if (!here || here === '/staff' || here.startsWith('/staff/') || here.startsWith('/staff?')) return false;
  return { link: here };
}

/** The switch, its name written in the other language and marked so (lang, hreflang) for screen readers. */
function languageSwitchHtml(lang: Language, choice: LanguageSwitch): SafeHtml {
  if (!choice) return html``;
  const other = otherLanguage(lang);
  const control =
    'link' in choice
      ? html`<a href="${inLanguageHref(choice.link, other)}" hreflang="${other}" lang="${other}"
          >${LANGUAGE_NAME[other]}</a
        >`
      : html`<button
          type="submit"
          form="${choice.form}"
          formaction="${inLanguageHref(choice.postTo, other)}"
          formnovalidate
          name="languageSwitch"
          value="${other}"
          lang="${other}"
        >
          ${LANGUAGE_NAME[other]}
        </button>`;
  return html`<nav class="site-language" aria-label="${SWITCH_LABEL[lang]}"><p>${control}</p></nav>`;
}

export function page({
  title,
  lang = 'sv',
  body,
  staff,
  languageSwitch = defaultSwitch(),
}: PageOptions): string {
  const skip = lang === 'en' ? 'Skip to content' : 'Hoppa till innehållet';
  const service = lang === 'en' ? 'Bris support groups – Stockholm' : 'Bris stödgrupper – Stockholms stad';
  return (
    '<!doctype html>' +
    html`<html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} \u2013 ${service}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body${staff ? html` class="staff"` : ''}>
        <a class="skip" href="#main">${skip}</a>
        <header>
          <p><strong>${service}</strong></p>
          ${languageSwitchHtml(lang, languageSwitch)} ${staff ?? ''}
        </header>
        <main id="main" tabindex="-1">${body}</main>
        <footer>
          <p class="hint">
            ${
              lang === 'en'
                ? 'For children aged 7–18 placed in family homes. Run by Bris together with the City of Stockholm.'
                : 'För familjehemsplacerade barn 7–18 år. Bris och Stockholms stad i idéburet offentligt partnerskap.'
            }
          </p>
          <p>
            <a href="${PRIVACY_PATH}${lang === 'en' ? '?lang=en' : ''}"
              >${lang === 'en' ? 'How we handle personal data' : 'Så behandlar vi personuppgifter'}</a
            >
          </p>
        </footer>
      </body>
    </html>`.value
  );
}

/**
 * A page `page()` rendered for everyone (a link page), as a signed-in staff page: the wide layout and the
 * staff navigation in the header, as `page({ staff })` draws them.
 */
export function asStaffLayout(rendered: string, staff: SafeHtml): string {
  if (!rendered.includes('<body>') || !rendered.includes('</header>'))
    throw new Error('The page has no body or header to put the staff navigation in');
  return rendered.replace('<body>', '<body class="staff">').replace('</header>', `${staff.value}</header>`);
}
