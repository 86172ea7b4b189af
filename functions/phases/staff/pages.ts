/** Staff pages: sign-in, the referral overview and timeline, and the partnership report with SVG charts. */
import { DateTime } from 'luxon';
import { describeLegalBasis } from '../../domain/consent';
import type { Note, StaffNoteKind } from '../../domain/notes';
import type { DistrictFigures } from '../../domain/report';
import type { Referral } from '../../domain/referral';
import type { AuditEvent, StaffSession } from '../../ports';
import type { OverviewRow } from './staff';
import {
  labelOptions,
  outcomeLabel,
  PHASE_LABELS,
  phaseLabel,
  phaseStepName,
  staffLanguage,
  STATUS_LABELS,
  statusLabel,
} from '../../web/audit-labels';
import { failureHint } from '../../web/failure-messages';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';
import { failureNotice, timeline } from './referral-parts';

const when = (iso: string) =>
  DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).toFormat('yyyy-LL-dd HH:mm');

/** The navigation of every signed-in staff page: who is signed in, where to go, and signing out. */
export function staffNav(session: StaffSession): SafeHtml {
  const member = session.role !== 'partnership-admin';
  return html`<nav aria-label="Personal">
    <p>
      ${session.name}
      (${session.role === 'coordinator' ? 'samordnare' : session.role === 'social-worker' ? `socialsekreterare, ${session.district ?? 'dina egna anmälningar'}` : 'partnerskapets uppföljning'})
      · ${member ? html`<a href="/staff/tasks">Mina uppgifter</a> · <a href="/staff">Översikt</a> · ` : ''}<a
        href="/staff/report"
        >Rapport</a
      >
    </p>
    <form method="post" action="/staff/sign-out">
      <button type="submit" class="secondary">Logga ut</button>
    </form>
  </nav>`;
}

export function staffPage(title: string, session: StaffSession | undefined, body: SafeHtml): string {
  return page({ title, body: html`${session ? staffNav(session) : ''}${body}` });
}

export function signInPage(message?: string, error?: string): string {
  return staffPage(
    'Logga in',
    undefined,
    html`<h1>Logga in för personal</h1>
      ${message ? html`<p role="status">${message}</p>` : ''}
      <form method="post" action="/staff/sign-in" novalidate>
        <label for="email">Din e-postadress i arbetet</label>
        ${error ? html`<p class="field-error" id="email-error">${error}</p>` : ''}
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="email"
          required
          ${error ? html`aria-invalid="true" aria-describedby="email-error"` : ''}
        />
        <button type="submit">Skicka inloggningslänk</button>
      </form>`,
  );
}

export function signInConfirmPage(token: string): string {
  return staffPage(
    'Bekräfta inloggning',
    undefined,
    html`<h1>Bekräfta inloggning</h1>
      <form method="post" action="/staff/sign-in/${token}"><button type="submit">Logga in</button></form>`,
  );
}

export function simpleStaffPage(title: string, text: string, session?: StaffSession): string {
  return staffPage(
    title,
    session,
    html`<h1>${title}</h1>
      <p>${text}</p>`,
  );
}

export function overviewPage(
  session: StaffSession,
  rows: OverviewRow[],
  districts: string[],
  filters: Record<string, string | undefined>,
): string {
  const select = (name: string, label: string, options: [string, string][]) =>
    html`<label for="${name}">${label}</label>
      <select id="${name}" name="${name}">
        <option value="">Alla</option>
        ${options.map(
          ([v, l]) => html`<option value="${v}" ${filters[name] === v ? html`selected` : ''}>${l}</option>`,
        )}
      </select>`;
  return staffPage(
    'Översikt',
    session,
    html`<h1>Anmälningar</h1>
      <form method="get" action="/staff">
        ${
          districts.length > 1
            ? select(
                'district',
                'Stadsdelsområde',
                districts.map((d) => [d, d]),
              )
            : ''
        }
        ${select('phase', 'Fas', labelOptions(PHASE_LABELS, staffLanguage(session)))}
        ${select(
          'status',
          'Läge',
          labelOptions(STATUS_LABELS, staffLanguage(session)).filter(([s]) => s !== 'erased'),
        )}
        <button type="submit">Filtrera</button>
      </form>
      <p>${rows.length} anmälningar.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Ärende</th>
            <th scope="col">Barn</th>
            <th scope="col">Stadsdelsområde</th>
            <th scope="col">Fas</th>
            <th scope="col">Läge</th>
            <th scope="col">Inkom</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <td><a href="/staff/referrals/${r.referralId}">${r.referralId}</a></td>
                <td>${r.childLabel}, ${r.age} år</td>
                <td>${r.district}</td>
                <td>${phaseLabel(r.phase, staffLanguage(session))}</td>
                <td>
                  ${statusLabel(r.status, staffLanguage(session))}${r.failure ? html` <span class="hint">(${failureHint(r.failure, staffLanguage(session))})</span>` : ''}
                </td>
                <td>${when(r.createdAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

const NOTE_TITLES: Record<StaffNoteKind, string> = {
  'information-request-note': 'Kommentar till begäran om komplettering',
  'information-answer': 'Socialsekreterarens komplettering',
  'decline-reason': 'Motivering till avslaget',
  'withdrawal-reason': 'Skäl till återkallelsen',
  'questionnaire-comment': 'Kommentar i utvärderingen',
};

/** Free text about the referral: shown here, after sign-in, never in email. */
function notesSection(notes: Note[] | { hidden: number }): SafeHtml {
  if (!Array.isArray(notes))
    return html`<h2>Anteckningar</h2>
      <p>
        ${
          notes.hidden
            ? `Det finns ${notes.hidden === 1 ? 'en anteckning' : `${notes.hidden} anteckningar`}. Anteckningar visas bara för Bris samordnare och för socialsekreteraren som gjorde anmälan.`
            : 'Inga anteckningar.'
        }
      </p>`;
  return html`<h2>Anteckningar</h2>
    ${
      notes.length
        ? notes.map(
            (n) =>
              html`<section class="note" aria-label="${NOTE_TITLES[n.kind]}">
                <h3>${NOTE_TITLES[n.kind]}</h3>
                <p class="hint">${n.by}, ${when(n.at)}</p>
                <blockquote><p>${n.text}</p></blockquote>
              </section>`,
          )
        : html`<p>Inga anteckningar.</p>`
    }`;
}

export function referralPage(
  session: StaffSession,
  r: Referral,
  events: AuditEvent[],
  notice?: string,
  notes: Note[] | { hidden: number } = { hidden: 0 },
): string {
  return staffPage(
    r.referralId,
    session,
    html`<h1>Ärende ${r.referralId}</h1>
      ${notice ? html`<p role="status">${notice}</p>` : ''}
      <table>
        <tbody>
          <tr>
            <th scope="row">Barn</th>
            <td>
              ${r.child.protectedIdentity ? 'Skyddade personuppgifter' : r.child.firstName},
              ${r.child.ageAtReferral} år
            </td>
          </tr>
          <tr>
            <th scope="row">Stadsdelsområde</th>
            <td>${r.district}</td>
          </tr>
          <tr>
            <th scope="row">Fas</th>
            <td>${phaseLabel(r.phase, staffLanguage(session))}</td>
          </tr>
          <tr>
            <th scope="row">Läge</th>
            <td>
              ${statusLabel(r.status, staffLanguage(session))}${r.outcome ? `, ${outcomeLabel(r.outcome, staffLanguage(session))}` : ''}
            </td>
          </tr>
          ${
            r.legalBasis
              ? html`<tr>
                  <th scope="row">Rättslig grund</th>
                  <td>${describeLegalBasis(r.legalBasis)}</td>
                </tr>`
              : ''
          }
          ${
            r.failure
              ? html`<tr>
                  <th scope="row">Fel</th>
                  <td>${failureNotice(r, staffLanguage(session))}</td>
                </tr>`
              : ''
          }
        </tbody>
      </table>
      ${
        r.status === 'needs-attention'
          ? html`<form method="post" action="/staff/referrals/${r.referralId}/retry">
              <button type="submit">
                Försök igen från steget ${phaseStepName(r.failure?.phase ?? r.phase, staffLanguage(session))}
              </button>
            </form>`
          : ''
      }
      ${notesSection(notes)}
      <h2>Tidslinje</h2>
      ${timeline(events, staffLanguage(session))}`,
  );
}

/** A horizontal bar chart drawn on the server: no script, readable without colour (values are written out). */
function barChart(title: string, rows: { label: string; value: number }[]): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 22;
  const height = rows.length * rowHeight + 30;
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg
      role="img"
      aria-label="${title}"
      viewBox="0 0 640 ${height}"
      width="100%"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${rows.map(
        (r, i) =>
          html`<text x="0" y="${i * rowHeight + 16}" font-size="13">${r.label}</text>
            <rect
              x="200"
              y="${i * rowHeight + 4}"
              width="${Math.round((r.value / max) * 380)}"
              height="16"
              fill="#0b5394"
            ></rect>
            <text x="${205 + Math.round((r.value / max) * 380)}" y="${i * rowHeight + 16}" font-size="13"
              >${r.value}</text
            >`,
      )}
    </svg>
  </figure>`;
}

const pct = (x?: number) => (x === undefined ? '–' : `${Math.round(x * 100)} %`);
const num = (x?: number) => (x === undefined ? '–' : String(x));

export function reportPage(
  session: StaffSession,
  from: string,
  to: string,
  districts: DistrictFigures[],
  total: DistrictFigures,
): string {
  const cols: [keyof DistrictFigures, string][] = [
    ['referrals', 'Anmälda'],
    ['screenedIn', 'Godkända'],
    ['consented', 'Samtycke'],
    ['placed', 'Placerade'],
    ['completed', 'Genomförda'],
    ['withdrawn', 'Återkallade'],
    ['attendanceRate', 'Närvaro'],
    ['medianDaysToFirstMeeting', 'Median dagar till första träff'],
    ['weekly', 'Veckogrupp'],
    ['weekend', 'Stödhelg'],
    ['childScore', 'Barnens snitt (1–5)'],
    ['carerScore', 'Familjehemmens snitt (1–5)'],
  ];
  const cell = (f: DistrictFigures, k: keyof DistrictFigures) =>
    k === 'attendanceRate' ? pct(f[k] as number | undefined) : num(f[k] as number | undefined);
  return staffPage(
    'Rapport',
    session,
    html`<h1>Partnerskapets uppföljning</h1>
      <form method="get" action="/staff/report">
        <label for="from">Från (ÅÅÅÅ-MM-DD)</label><input type="text" id="from" name="from" value="${from}" />
        <label for="to">Till (ÅÅÅÅ-MM-DD)</label><input type="text" id="to" name="to" value="${to}" />
        <button type="submit">Visa</button>
      </form>
      <p><a href="/staff/report.csv?from=${from}&amp;to=${to}">Ladda ner som CSV</a></p>
      ${barChart(
        'Anmälningar per stadsdelsområde',
        districts.map((d) => ({ label: d.district, value: d.referrals })),
      )}
      ${barChart(
        'Genomförda per stadsdelsområde',
        districts.map((d) => ({ label: d.district, value: d.completed })),
      )}
      ${barChart('Format: veckogrupp och stödhelg (alla områden)', [
        { label: 'Veckogrupp', value: total.weekly },
        { label: 'Stödhelg', value: total.weekend },
      ])}
      <table>
        <caption>
          Per stadsdelsområde, anmälningar ${from} – ${to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stadsdelsområde</th>
            ${cols.map(([, l]) => html`<th scope="col">${l}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${[...districts, total].map(
            (d) =>
              html`<tr>
                <th scope="row">${d.district}</th>
                ${cols.map(([k]) => html`<td>${cell(d, k)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export const REPORT_COLUMNS = [
  'district',
  'referrals',
  'screenedIn',
  'consented',
  'placed',
  'completed',
  'withdrawn',
  'attendanceRate',
  'medianDaysToFirstMeeting',
  'weekly',
  'weekend',
  'childScore',
  'carerScore',
] as const;
