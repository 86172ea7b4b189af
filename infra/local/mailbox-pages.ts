/**
 * The local mailbox's pages (/dev/mailbox): every email the system sent, newest first, each at its
 * simulated time, filtered by recipient; one email with its text part (links to follow) and its HTML
 * part in a sandboxed frame. In Swedish, and in English with `?lang=en`.
 */
import { DateTime } from 'luxon';
import { html, type SafeHtml } from '../../functions/web/html';
import { page } from '../../functions/web/layout';
import type { MailboxMessage } from './mailbox';

/** The /dev pages' own stylesheet (the site's CSP allows only stylesheets from the site itself). */
export const DEV_CSS_PATH = '/dev/dev.css';
export const DEV_CSS = `
main { max-width: 72rem; }
.mailbox-clock { font-size: 1.15rem; }
.clock-buttons button { margin-top: .25rem; }
.mail-list { table-layout: fixed; }
.mail-list .subject { width: 50%; }
.mail-list td.subject { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.mail-list .number { width: 3.5rem; }
.mail-list .at { width: 9.5rem; }
.mail-list td.to { overflow-wrap: anywhere; }
@media (max-width: 40rem) { .mail-list .to, .mail-list .number { display: none; } .mail-list .subject { width: auto; } }
.mail-text { white-space: pre-wrap; font: inherit; overflow-wrap: anywhere; }
.mail-html { width: 100%; height: 32rem; border: 1px solid #999; }
`;

/** The strict CSP of the /dev pages: the site's, plus frames from the site (the mail's HTML part). */
export const DEV_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'";
/**
 * A mail's HTML part: sandboxed with no scripts, forms or navigation of the page (the CSP's `sandbox` too,
 * so opening the address directly is as safe as the frame); its own inline styles only, as a mail client shows it.
 */
export const MAIL_HTML_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'";

export type DevLanguage = 'sv' | 'en';

const SV = {
  title: 'Brevlåda (lokal)',
  intro:
    'Alla mejl som systemet skickat lokalt, nyast först. Tiderna är den simulerade klockans (Stockholmstid).',
  clockNow: 'Klockan står på',
  advanceLegend: 'Flytta klockan framåt',
  hour: '1 timme framåt',
  day: '1 dygn framåt',
  week: '1 vecka framåt',
  daysLabel: 'Spola fram klockan (dagar)',
  daysButton: 'Spola fram',
  bounceLabel: 'Låt e-post till en adress studsa (som SES rapporterar en permanent studs)',
  bounceButton: 'Studsa',
  bouncing: 'Studsar',
  filterLabel: 'Visa mejl till',
  everyone: 'Alla mottagare',
  filterButton: 'Visa',
  shown: (n: number, of: number) => (n === of ? `${n} mejl.` : `${n} av ${of} mejl.`),
  caption: 'Skickade mejl, nyast först',
  number: 'Nr',
  to: 'Till',
  subject: 'Ämne',
  template: 'Mall',
  at: 'Skickat (simulerad tid)',
  copyOf: (n: number) => ` (kopia av nr ${n})`,
  bounced: ' (studsade)',
  back: '← Brevlådan',
  from: 'Från',
  language: 'Språk',
  textPart: 'Textdelen',
  htmlPart: 'HTML-delen',
  htmlFrame: (subject: string) => `HTML-delen av mejlet: ${subject}`,
  noHtml: 'Mejlet har ingen HTML-del.',
  attachments: 'Bilagor',
  otherLanguage: 'In English',
  unknownTime: 'okänd',
} as const;

const EN: { [K in keyof typeof SV]: (typeof SV)[K] extends string ? string : (typeof SV)[K] } = {
  title: 'Mailbox (local)',
  intro:
    'Every email the system has sent locally, newest first. Times are the simulated clock’s (Stockholm time).',
  clockNow: 'The clock reads',
  advanceLegend: 'Move the clock forward',
  hour: '1 hour forward',
  day: '1 day forward',
  week: '1 week forward',
  daysLabel: 'Move the clock forward (days)',
  daysButton: 'Move forward',
  bounceLabel: 'Make email to an address bounce (as SES reports a permanent bounce)',
  bounceButton: 'Bounce',
  bouncing: 'Bouncing',
  filterLabel: 'Show email to',
  everyone: 'All recipients',
  filterButton: 'Show',
  shown: (n: number, of: number) => (n === of ? `${n} emails.` : `${n} of ${of} emails.`),
  caption: 'Emails sent, newest first',
  number: 'No.',
  to: 'To',
  subject: 'Subject',
  template: 'Template',
  at: 'Sent (simulated time)',
  copyOf: (n: number) => ` (copy of no. ${n})`,
  bounced: ' (bounced)',
  back: '← Mailbox',
  from: 'From',
  language: 'Language',
  textPart: 'Text part',
  htmlPart: 'HTML part',
  htmlFrame: (subject: string) => `The email’s HTML part: ${subject}`,
  noHtml: 'The email has no HTML part.',
  attachments: 'Attachments',
  otherLanguage: 'På svenska',
  unknownTime: 'unknown',
};

const text = (lang: DevLanguage) => (lang === 'en' ? EN : SV);

/** Simulated instant as a person in Stockholm reads it. */
export function simulatedTime(at: Date | string | undefined, lang: DevLanguage): string {
  if (!at) return text(lang).unknownTime;
  const d = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return d.setZone('Europe/Stockholm').toFormat('yyyy-MM-dd HH:mm');
}

/** The page with the dev stylesheet linked after the site's (layout.ts knows nothing of /dev). */
function devPage(title: string, lang: DevLanguage, body: SafeHtml): string {
  return page({ title, lang, body }).replace(
    '</head>',
    `<link rel="stylesheet" href="${DEV_CSS_PATH}" /></head>`,
  );
}

function withLang(path: string, lang: DevLanguage, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...params, ...(lang === 'en' ? { lang: 'en' } : {}) }).toString();
  return query ? `${path}?${query}` : path;
}

export interface MailboxPageInput {
  messages: readonly MailboxMessage[];
  /** Only mail to this address (lower case compared); undefined: everyone's. */
  recipient?: string;
  now: Date;
  bouncing: readonly string[];
  lang: DevLanguage;
}

export function mailboxPage({ messages, recipient, now, bouncing, lang }: MailboxPageInput): string {
  const t = text(lang);
  const recipients = [...new Set(messages.flatMap((m) => m.to.map((a) => a.toLowerCase())))].sort();
  const wanted = recipient?.toLowerCase();
  const shown = messages
    .filter((m) => !wanted || m.to.some((a) => a.toLowerCase() === wanted))
    .sort((a, b) => b.id - a.id);
  const back = withLang('/dev/mailbox', lang, wanted ? { to: wanted } : {});
  return devPage(
    t.title,
    lang,
    html`<h1>${t.title}</h1>
      <p>
        <a
          href="${withLang('/dev/mailbox', lang === 'en' ? 'sv' : 'en')}"
          lang="${lang === 'en' ? 'sv' : 'en'}"
          >${t.otherLanguage}</a
        >
      </p>
      <p>${t.intro}</p>
      <p class="mailbox-clock" data-testid="simulated-now">
        ${t.clockNow}
        <strong><time datetime="${now.toISOString()}">${simulatedTime(now, lang)}</time></strong>
      </p>
      <form method="post" action="/dev/clock/advance" class="clock-buttons">
        <input type="hidden" name="back" value="${back}" />
        <fieldset>
          <legend>${t.advanceLegend}</legend>
          <button type="submit" name="hours" value="1">${t.hour}</button>
          <button type="submit" name="days" value="1">${t.day}</button>
          <button type="submit" name="weeks" value="1">${t.week}</button>
        </fieldset>
      </form>
      <form method="post" action="/dev/clock/advance">
        <input type="hidden" name="back" value="${back}" />
        <label for="days">${t.daysLabel}</label>
        <input type="text" id="days" name="days" value="15" inputmode="numeric" /><button type="submit">
          ${t.daysButton}
        </button>
      </form>
      <form method="post" action="/dev/mailbox/bounce">
        <input type="hidden" name="back" value="${back}" />
        <label for="bounce-address">${t.bounceLabel}</label>
        <input type="email" id="bounce-address" name="address" required /><button type="submit">
          ${t.bounceButton}
        </button>
      </form>
      ${bouncing.length ? html`<p>${t.bouncing}: ${bouncing.join(', ')}</p>` : ''}
      <form method="get" action="/dev/mailbox">
        ${lang === 'en' ? html`<input type="hidden" name="lang" value="en" />` : ''}
        <label for="to">${t.filterLabel}</label>
        <select id="to" name="to">
          <option value="">${t.everyone}</option>
          ${recipients.map(
            (a) => html`<option value="${a}" ${a === wanted ? html`selected` : ''}>${a}</option>`,
          )}
        </select>
        <button type="submit">${t.filterButton}</button>
      </form>
      <p role="status">${t.shown(shown.length, messages.length)}</p>
      <table class="mail-list">
        <caption class="visually-hidden">
          ${t.caption}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="number">${t.number}</th>
            <th scope="col" class="at">${t.at}</th>
            <th scope="col" class="subject">${t.subject}</th>
            <th scope="col" class="to">${t.to}</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (m) =>
              html`<tr>
                <td class="number">${m.id}</td>
                <td class="at">${simulatedTime(m.sentAt, lang)}</td>
                <td class="subject" title="${m.subject}">
                  <a href="${withLang(`/dev/mailbox/${m.id}`, lang)}">${m.subject}</a
                  >${m.repeatOf ? t.copyOf(m.repeatOf) : ''}${m.bounced ? t.bounced : ''}
                </td>
                <td class="to">${m.to.join(', ')}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export function mailPage(m: MailboxMessage, lang: DevLanguage): string {
  const t = text(lang);
  const parts = m.text.split(/(https?:\/\/\S+)/g);
  return devPage(
    m.subject,
    lang,
    html`<p><a href="${withLang('/dev/mailbox', lang)}">${t.back}</a></p>
      <h1>${m.subject}</h1>
      <p>
        ${t.to}: ${m.to.join(', ')} · ${t.from}: ${m.from} · ${t.template}: ${m.template} · ${t.language}:
        ${m.language} · ${t.at}: ${simulatedTime(m.sentAt, lang)}
      </p>
      <h2>${t.textPart}</h2>
      <pre class="mail-text">${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}">${p}</a>` : p))}</pre>
      <h2>${t.htmlPart}</h2>
      ${
        m.html
          ? html`<iframe
              class="mail-html"
              sandbox=""
              src="/dev/mailbox/${m.id}/html"
              title="${t.htmlFrame(m.subject)}"
            ></iframe>`
          : html`<p>${t.noHtml}</p>`
      }
      ${
        m.attachments.length
          ? html`<h2>${t.attachments}</h2>
              <ul>
                ${m.attachments.map((a) => html`<li>${a.filename} (${a.contentType})</li>`)}
              </ul>`
          : ''
      }`,
  );
}
