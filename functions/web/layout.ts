import type { Language } from '../domain/referral';
import { PRIVACY_PATH } from './emails/render';
import { html, type SafeHtml } from './html';

export const SITE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --accent: #0b5394; --error: #b00020; --muted: #555; }
* { box-sizing: border-box; }
body { font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #f9a825; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 1rem; }
header { border-bottom: 1px solid #ccc; }
fieldset { border: 1px solid #999; margin: 1.25rem 0; padding: .75rem 1rem; }
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
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
a[href^="mailto:"] { overflow-wrap: anywhere; }
.face-scale .faces { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: .35rem; }
.face-scale label.face { display: flex; flex-direction: column; align-items: center; justify-content: flex-start; gap: .25rem; min-height: 44px; min-width: 44px; margin: 0; padding: .5rem .15rem; border: 2px solid #767676; border-radius: 8px; font-weight: 400; font-size: .9rem; text-align: center; line-height: 1.2; cursor: pointer; }
.face-scale label.face input { margin: 0; }
.face-scale label.face:has(input:checked) { border-color: var(--accent); background: #e8f0fb; font-weight: 700; }
.face-scale label.face:focus-within { outline: 3px solid var(--accent); outline-offset: 2px; }
.face-scale .face-icon { width: 2.5rem; height: 2.5rem; }
`;

export interface PageOptions {
  title: string;
  lang?: Language;
  body: SafeHtml;
}

export function page({ title, lang = 'sv', body }: PageOptions): string {
  const skip = lang === 'en' ? 'Skip to content' : 'Hoppa till innehållet';
  const service = lang === 'en' ? 'Bris support groups – Stockholm' : 'Bris stödgrupper – Stockholms stad';
  return (
    '<!doctype html>' +
    html`<html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title} – ${service}</title>
        <link rel="stylesheet" href="/assets/site.css" />
      </head>
      <body>
        <a class="skip" href="#main">${skip}</a>
        <header>
          <p><strong>${service}</strong></p>
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
