/**
 * Staff pages: sign-in, the referral overview and timeline, and the partnership report with SVG charts.
 * Each in the signed-in person's language (the session's; before sign-in the page's own), with the
 * language switch on every page.
 */
import { describeLegalBasis } from '../../domain/consent';
import { inLanguage } from '../../domain/messages';
import type { Note, StaffNoteKind } from '../../domain/notes';
import { shortMonthYear } from '../../domain/stockholm-dates';
import { stringify } from 'csv-stringify/sync';
import { referralFunnel, type DistrictFigures, type FunnelStage } from '../../domain/report';
import type { Language, Referral } from '../../domain/referral';
import type { Group, GroupStep } from '../../domain/partnership';
import type { AuditEvent, StaffSession } from '../../ports';
import { PROTECTED_IDENTITY, type OverviewRow } from './staff';
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
import { languageSwitch, staffDateTime } from './language';
import { failureNotice, timeline } from './referral-parts';

const SV = {
  staffNavigation: 'Personal',
  coordinator: 'samordnare',
  socialWorker: (district?: string) => `socialsekreterare, ${district ?? 'dina egna anmälningar'}`,
  partnershipAdmin: 'partnerskapets uppföljning',
  myTasks: 'Mina uppgifter',
  overview: 'Översikt',
  report: 'Rapport',
  signOut: 'Logga ut',
  signIn: 'Logga in',
  signInHeading: 'Logga in för personal',
  signInEmail: 'Din e-postadress i arbetet',
  sendSignInLink: 'Skicka inloggningslänk',
  signInSent: (minutes: number) =>
    `Om adressen får logga in har vi skickat en länk till den. Länken gäller i ${minutes} minuter.`,
  confirmSignIn: 'Bekräfta inloggning',
  signInRefusedTitle: 'Länken fungerar inte',
  signInRefused: 'Länken är använd, har gått ut eller finns inte. Begär en ny inloggningslänk.',
  forbiddenTitle: 'Ingen behörighet',
  forbidden: 'Du har inte behörighet att se det här.',
  noSuchReferralTitle: 'Finns inte',
  noSuchReferral: 'Det finns inget sådant ärende.',
  all: 'Alla',
  referrals: 'Anmälningar',
  district: 'Stadsdelsområde',
  phase: 'Fas',
  status: 'Läge',
  filter: 'Filtrera',
  referralCount: (n: number) => `${n} anmälningar.`,
  reference: 'Ärende',
  child: 'Barn',
  received: 'Inkom',
  age: (years: number) => `${years} år`,
  referralHeading: (id: string) => `Ärende ${id}`,
  legalBasis: 'Rättslig grund',
  failure: 'Fel',
  retryFrom: (step: string) => `Försök igen från steget ${step}`,
  retried: 'Ärendet fortsätter från steget som misslyckades.',
  notNeeded: 'Ärendet behöver ingen åtgärd.',
  notPossible: 'Ärendet kan inte startas om härifrån. Kontakta support.',
  groupsNeedingAttention: 'Grupper som behöver åtgärd',
  groupStep: (step: GroupStep, meeting?: number) =>
    step === 'schedule'
      ? 'schemat'
      : step === 'complete'
        ? 'avslutningen'
        : meeting
          ? `träff ${meeting}`
          : 'träffarna',
  groupStopped: (name: string, step: string, at: string) =>
    `Gruppen ${name} stannade vid ${step} på grund av ett tekniskt fel (${at}). Inga påminnelser eller förfrågningar om närvaro går ut förrän den startas igen.`,
  retryGroup: 'Försök igen',
  retryGroupLabel: (name: string) => `Försök igen med gruppen ${name}`,
  groupRetried: 'Gruppen fortsätter från steget som misslyckades.',
  groupNotNeeded: 'Gruppen behöver ingen åtgärd.',
  groupNotPossible: 'Det finns ingen sådan grupp.',
  notes: 'Anteckningar',
  hiddenNotes: (n: number) =>
    `Det finns ${n === 1 ? 'en anteckning' : `${n} anteckningar`}. Anteckningar visas bara för Bris samordnare och för socialsekreteraren som gjorde anmälan.`,
  noNotes: 'Inga anteckningar.',
  noteTitles: {
    'information-request-note': 'Kommentar till begäran om komplettering',
    'information-answer': 'Socialsekreterarens komplettering',
    'decline-reason': 'Motivering till avslaget',
    'withdrawal-reason': 'Skäl till återkallelsen',
    'questionnaire-comment': 'Kommentar i utvärderingen',
  } as Record<StaffNoteKind, string>,
  timeline: 'Tidslinje',
  summary: 'Ärendet i korthet',
  reportTitle: 'Rapport',
  reportHeading: 'Partnerskapets uppföljning',
  from: 'Från och med',
  to: 'Till och med',
  periodErrors: 'Perioden kunde inte visas',
  funnel: 'Från anmälan till genomförd grupp (alla områden)',
  funnelStages: {
    referrals: 'Anmälda',
    screenedIn: 'Godkända i bedömningen',
    consented: 'Med samtycke',
    placed: 'Placerade i grupp',
    completed: 'Genomförda',
  } as Record<FunnelStage, string>,
  trend: 'Anmälningar per månad (alla områden)',
  show: 'Visa',
  downloadCsv: 'Ladda ner som CSV',
  referralsPerDistrict: 'Anmälningar per stadsdelsområde',
  completedPerDistrict: 'Genomförda per stadsdelsområde',
  formats: 'Format: veckogrupp och stödhelg (alla områden)',
  weekly: 'Veckogrupp',
  weekend: 'Stödhelg',
  perDistrict: (from: string, to: string) => `Per stadsdelsområde, anmälningar ${from} – ${to}`,
  total: 'Totalt',
  columns: {
    referrals: 'Anmälda',
    screenedIn: 'Godkända',
    consented: 'Samtycke',
    placed: 'Placerade',
    completed: 'Genomförda',
    withdrawn: 'Återkallade',
    attendanceRate: 'Närvaro',
    medianDaysToFirstMeeting: 'Median dagar till första träff',
    weekly: 'Veckogrupp',
    weekend: 'Stödhelg',
    childScore: 'Barnens snitt (1–5)',
    carerScore: 'Familjehemmens snitt (1–5)',
  } as Record<ReportColumn, string>,
};

const EN: typeof SV = {
  staffNavigation: 'Staff',
  coordinator: 'coordinator',
  socialWorker: (district?: string) => `social worker, ${district ?? 'your own referrals'}`,
  partnershipAdmin: 'partnership follow-up',
  myTasks: 'My tasks',
  overview: 'Overview',
  report: 'Report',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signInHeading: 'Sign in for staff',
  signInEmail: 'Your work email address',
  sendSignInLink: 'Send sign-in link',
  signInSent: (minutes: number) =>
    `If the address may sign in, we have sent a link to it. The link is valid for ${minutes} minutes.`,
  confirmSignIn: 'Confirm sign-in',
  signInRefusedTitle: 'The link does not work',
  signInRefused: 'The link has been used, has expired or does not exist. Ask for a new sign-in link.',
  forbiddenTitle: 'Not allowed',
  forbidden: 'You are not allowed to see this.',
  noSuchReferralTitle: 'Not found',
  noSuchReferral: 'There is no such referral.',
  all: 'All',
  referrals: 'Referrals',
  district: 'City district',
  phase: 'Phase',
  status: 'Status',
  filter: 'Filter',
  referralCount: (n: number) => `${n} ${n === 1 ? 'referral' : 'referrals'}.`,
  reference: 'Reference',
  child: 'Child',
  received: 'Received',
  age: (years: number) => `${years} years`,
  referralHeading: (id: string) => `Referral ${id}`,
  legalBasis: 'Legal basis',
  failure: 'Failure',
  retryFrom: (step: string) => `Try again from the step ${step}`,
  retried: 'The referral goes on from the step that failed.',
  notNeeded: 'The referral needs no action.',
  notPossible: 'The referral cannot be restarted from here. Contact support.',
  groupsNeedingAttention: 'Groups that need attention',
  groupStep: (step: GroupStep, meeting?: number) =>
    step === 'schedule'
      ? 'the schedule'
      : step === 'complete'
        ? 'its completion'
        : meeting
          ? `meeting ${meeting}`
          : 'the meetings',
  groupStopped: (name: string, step: string, at: string) =>
    `The group ${name} stopped at ${step} because of a technical error (${at}). No reminders or attendance requests go out until it is started again.`,
  retryGroup: 'Try again',
  retryGroupLabel: (name: string) => `Try again with the group ${name}`,
  groupRetried: 'The group goes on from the step that failed.',
  groupNotNeeded: 'The group needs no action.',
  groupNotPossible: 'There is no such group.',
  notes: 'Notes',
  hiddenNotes: (n: number) =>
    `There ${n === 1 ? 'is one note' : `are ${n} notes`}. Notes are shown only to Bris's coordinators and to the social worker who made the referral.`,
  noNotes: 'No notes.',
  noteTitles: {
    'information-request-note': 'Note with the request for more information',
    'information-answer': "The social worker's information",
    'decline-reason': 'Reason for the decline',
    'withdrawal-reason': 'Reason for the withdrawal',
    'questionnaire-comment': 'Comment in the evaluation',
  },
  timeline: 'Timeline',
  summary: 'The referral at a glance',
  reportTitle: 'Report',
  reportHeading: 'Partnership follow-up',
  from: 'From',
  to: 'To',
  periodErrors: 'The period could not be shown',
  funnel: 'From referral to completed group (all districts)',
  funnelStages: {
    referrals: 'Referred',
    screenedIn: 'Approved in screening',
    consented: 'With consent',
    placed: 'Placed in a group',
    completed: 'Completed',
  },
  trend: 'Referrals per month (all districts)',
  show: 'Show',
  downloadCsv: 'Download as CSV',
  referralsPerDistrict: 'Referrals per city district',
  completedPerDistrict: 'Completed per city district',
  formats: 'Format: weekly group and support weekend (all districts)',
  weekly: 'Weekly group',
  weekend: 'Support weekend',
  perDistrict: (from: string, to: string) => `Per city district, referrals ${from} – ${to}`,
  total: 'Total',
  columns: {
    referrals: 'Referred',
    screenedIn: 'Approved',
    consented: 'Consent',
    placed: 'Placed',
    completed: 'Completed',
    withdrawn: 'Withdrawn',
    attendanceRate: 'Attendance',
    medianDaysToFirstMeeting: 'Median days to first meeting',
    weekly: 'Weekly group',
    weekend: 'Support weekend',
    childScore: "Children's average (1–5)",
    carerScore: "Family homes' average (1–5)",
  },
};

/** The staff pages' words, per language. */
export const STAFF_TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

type ReportColumn = Exclude<(typeof REPORT_COLUMNS)[number], 'district'>;

/** Where a page is, with its query, for the language switch (a path of this site, not of the request). */
type Here = string;

/**
 * The navigation of every signed-in staff page, drawn in the header: who is signed in, where to go (the
 * page one is on marked), and signing out as a modest link-like button (signing out is a POST).
 */
export function staffNav(session: StaffSession, lang: Language, here: Here = ''): SafeHtml {
  const t = STAFF_TEXTS[lang];
  const member = session.role !== 'partnership-admin';
  const path = here.split('?')[0];
  const link = (href: string, text: string) =>
    html`<li><a href="${href}" ${path === href ? html`aria-current="page"` : ''}>${text}</a></li>`;
  return html`<nav class="staff-nav" aria-label="${t.staffNavigation}">
    <p>
      ${session.name}
      (${session.role === 'coordinator' ? t.coordinator : session.role === 'social-worker' ? t.socialWorker(session.district) : t.partnershipAdmin})
    </p>
    <ul>
      ${member ? html`${link('/staff/tasks', t.myTasks)}${link('/staff', t.overview)}` : ''}${link('/staff/report', t.report)}
      <li>
        <form method="post" action="/staff/sign-out">
          <button type="submit" class="link">${t.signOut}</button>
        </form>
      </li>
    </ul>
  </nav>`;
}

/** The top of every staff page's main column: the language switch (the navigation is in the header). */
export function staffTop(lang: Language, here: Here): SafeHtml {
  return languageSwitch(lang, here);
}

/**
 * A table too wide for a narrow screen scrolls inside its own region, never the whole page: labelled by
 * the table's caption and focusable, so a keyboard user can scroll it too.
 */
export function tableRegion(
  id: string,
  caption: SafeHtml | string,
  table: SafeHtml,
  hidden = false,
): SafeHtml {
  return html`<div class="table-scroll" role="region" aria-labelledby="${id}" tabindex="0">
    <table>
      <caption id="${id}" ${hidden ? html`class="visually-hidden"` : ''}>
        ${caption}
      </caption>
      ${table}
    </table>
  </div>`;
}

export function staffPage(
  title: string,
  session: StaffSession | undefined,
  body: SafeHtml,
  where: { lang?: Language; here?: Here } = {},
): string {
  const lang = where.lang ?? staffLanguage(session);
  const here = where.here ?? (session ? '/staff' : '/staff/sign-in');
  return page({
    title,
    lang,
    body: html`${staffTop(lang, here)}${body}`,
    staff: session ? staffNav(session, lang, here) : undefined,
  });
}

export function signInPage(lang: Language, state: { sentForMinutes?: number; error?: string } = {}): string {
  const t = STAFF_TEXTS[lang];
  const error = state.error && inLanguage(state.error, lang);
  return staffPage(
    t.signIn,
    undefined,
    html`<h1>${t.signInHeading}</h1>
      ${state.sentForMinutes ? html`<p role="status">${t.signInSent(state.sentForMinutes)}</p>` : ''}
      <form method="post" action="/staff/sign-in" novalidate>
        <input type="hidden" name="lang" value="${lang}" />
        <label for="email">${t.signInEmail}</label>
        ${error ? html`<p class="field-error" id="email-error">${error}</p>` : ''}
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="email"
          required
          ${error ? html`aria-invalid="true" aria-describedby="email-error"` : ''}
        />
        <button type="submit">${t.sendSignInLink}</button>
      </form>`,
    { lang, here: '/staff/sign-in' },
  );
}

export function signInConfirmPage(token: string, lang: Language): string {
  const t = STAFF_TEXTS[lang];
  return staffPage(
    t.confirmSignIn,
    undefined,
    html`<h1>${t.confirmSignIn}</h1>
      <form method="post" action="/staff/sign-in/${token}"><button type="submit">${t.signIn}</button></form>`,
    { lang, here: `/staff/sign-in/${token}` },
  );
}

export function simpleStaffPage(
  title: string,
  text: string,
  session?: StaffSession,
  where: { lang?: Language; here?: Here } = {},
): string {
  return staffPage(
    title,
    session,
    html`<h1>${title}</h1>
      <p>${text}</p>`,
    where,
  );
}

/** A used, expired or unknown sign-in link. */
export function signInRefusedPage(lang: Language): string {
  const t = STAFF_TEXTS[lang];
  return simpleStaffPage(t.signInRefusedTitle, t.signInRefused, undefined, { lang });
}

export function forbiddenPage(session: StaffSession): string {
  const t = STAFF_TEXTS[staffLanguage(session)];
  return simpleStaffPage(t.forbiddenTitle, t.forbidden, session);
}

export function noSuchReferralPage(session: StaffSession): string {
  const t = STAFF_TEXTS[staffLanguage(session)];
  return simpleStaffPage(t.noSuchReferralTitle, t.noSuchReferral, session);
}

/** What a retry did, as the referral page's notice. */
export function retryNotice(
  outcome: 'retried' | 'not-needed' | 'not-possible',
  session: StaffSession,
): string {
  const t = STAFF_TEXTS[staffLanguage(session)];
  return { retried: t.retried, 'not-needed': t.notNeeded, 'not-possible': t.notPossible }[outcome];
}

/** What a group's retry did, as the overview's notice. */
export function groupRetryNotice(
  outcome: 'retried' | 'not-needed' | 'not-possible',
  session: StaffSession,
): string {
  const t = STAFF_TEXTS[staffLanguage(session)];
  return { retried: t.groupRetried, 'not-needed': t.groupNotNeeded, 'not-possible': t.groupNotPossible }[
    outcome
  ];
}

/** Failed groups, each with a sentence and its retry (a POST from this site, like a referral's retry). */
function failedGroupsSection(groups: Group[], lang: Language): SafeHtml {
  if (!groups.length) return html``;
  const t = STAFF_TEXTS[lang];
  return html`<section aria-labelledby="failed-groups">
    <h2 id="failed-groups">${t.groupsNeedingAttention}</h2>
    <ul>
      ${groups.map(
        (g) =>
          html`<li>
            <p>
              ${t.groupStopped(
                g.name,
                t.groupStep(g.failure!.step, g.failure!.meeting),
                staffDateTime(g.failure!.at, lang),
              )}
            </p>
            <form method="post" action="/staff/groups/${encodeURIComponent(g.groupId)}/retry">
              <button type="submit" aria-label="${t.retryGroupLabel(g.name)}">${t.retryGroup}</button>
            </form>
          </li>`,
      )}
    </ul>
  </section>`;
}

export function overviewPage(
  session: StaffSession,
  rows: OverviewRow[],
  districts: string[],
  filters: Record<string, string | undefined>,
  groups: { failed: Group[]; notice?: string } = { failed: [] },
): string {
  const lang = staffLanguage(session);
  const t = STAFF_TEXTS[lang];
  const select = (name: string, label: string, options: [string, string][]) =>
    html`<label for="${name}">${label}</label>
      <select id="${name}" name="${name}">
        <option value="">${t.all}</option>
        ${options.map(
          ([v, l]) => html`<option value="${v}" ${filters[name] === v ? html`selected` : ''}>${l}</option>`,
        )}
      </select>`;
  const query = new URLSearchParams(
    Object.entries(filters).filter((f): f is [string, string] => !!f[1] && f[0] !== 'lang'),
  ).toString();
  return staffPage(
    t.overview,
    session,
    html`<h1>${t.referrals}</h1>
      ${groups.notice ? html`<p role="status">${groups.notice}</p>` : ''}
      <form method="get" action="/staff" class="filters">
        ${
          districts.length > 1
            ? select(
                'district',
                t.district,
                districts.map((d) => [d, d]),
              )
            : ''
        }
        ${select('phase', t.phase, labelOptions(PHASE_LABELS, lang))}
        ${select(
          'status',
          t.status,
          labelOptions(STATUS_LABELS, lang).filter(([s]) => s !== 'erased'),
        )}
        <div><button type="submit">${t.filter}</button></div>
      </form>
      ${tableRegion(
        'referral-list',
        t.referralCount(rows.length),
        html`<thead>
            <tr>
              <th scope="col">${t.reference}</th>
              <th scope="col">${t.child}</th>
              <th scope="col">${t.district}</th>
              <th scope="col">${t.phase}</th>
              <th scope="col">${t.status}</th>
              <th scope="col">${t.received}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td><a href="/staff/referrals/${r.referralId}">${r.referralId}</a></td>
                  <td>${r.childLabel}, ${t.age(r.age)}</td>
                  <td>${r.district}</td>
                  <td>${phaseLabel(r.phase, lang)}</td>
                  <td>
                    ${statusLabel(r.status, lang)}${r.failure ? html` <span class="hint">(${failureHint(r.failure, lang)})</span>` : ''}
                  </td>
                  <td>${staffDateTime(r.createdAt, lang)}</td>
                </tr>`,
            )}
          </tbody>`,
      )}
      ${failedGroupsSection(groups.failed, lang)}`,
    { here: query ? `/staff?${query}` : '/staff' },
  );
}

/** Free text about the referral: shown here, after sign-in, never in email. */
function notesSection(notes: Note[] | { hidden: number }, lang: Language): SafeHtml {
  const t = STAFF_TEXTS[lang];
  if (!Array.isArray(notes))
    return html`<h2>${t.notes}</h2>
      <p>${notes.hidden ? t.hiddenNotes(notes.hidden) : t.noNotes}</p>`;
  return html`<h2>${t.notes}</h2>
    ${
      notes.length
        ? notes.map(
            (n) =>
              html`<section class="note" aria-label="${t.noteTitles[n.kind]}">
                <h3>${t.noteTitles[n.kind]}</h3>
                <p class="hint">${n.by}, ${staffDateTime(n.at, lang)}</p>
                <blockquote><p>${n.text}</p></blockquote>
              </section>`,
          )
        : html`<p>${t.noNotes}</p>`
    }`;
}

export function referralPage(
  session: StaffSession,
  r: Referral,
  events: AuditEvent[],
  notice?: string,
  notes: Note[] | { hidden: number } = { hidden: 0 },
): string {
  const lang = staffLanguage(session);
  const t = STAFF_TEXTS[lang];
  return staffPage(
    r.referralId,
    session,
    html`<h1>${t.referralHeading(r.referralId)}</h1>
      ${notice ? html`<p role="status">${notice}</p>` : ''}
      ${tableRegion(
        'referral-summary',
        t.summary,
        html`<tbody>
          <tr>
            <th scope="row">${t.child}</th>
            <td>
              ${r.child.protectedIdentity ? PROTECTED_IDENTITY[lang] : r.child.firstName},
              ${t.age(r.child.ageAtReferral)}
            </td>
          </tr>
          <tr>
            <th scope="row">${t.district}</th>
            <td>${r.district}</td>
          </tr>
          <tr>
            <th scope="row">${t.phase}</th>
            <td>${phaseLabel(r.phase, lang)}</td>
          </tr>
          <tr>
            <th scope="row">${t.status}</th>
            <td>${statusLabel(r.status, lang)}${r.outcome ? `, ${outcomeLabel(r.outcome, lang)}` : ''}</td>
          </tr>
          ${
            r.legalBasis
              ? html`<tr>
                  <th scope="row">${t.legalBasis}</th>
                  <td>${describeLegalBasis(r.legalBasis, lang)}</td>
                </tr>`
              : ''
          }
          ${
            r.failure
              ? html`<tr>
                  <th scope="row">${t.failure}</th>
                  <td>${failureNotice(r, lang)}</td>
                </tr>`
              : ''
          }
        </tbody>`,
        true,
      )}
      ${
        r.status === 'needs-attention'
          ? html`<form method="post" action="/staff/referrals/${r.referralId}/retry">
              <button type="submit">${t.retryFrom(phaseStepName(r.failure?.phase ?? r.phase, lang))}</button>
            </form>`
          : ''
      }
      ${notesSection(notes, lang)}
      <h2>${t.timeline}</h2>
      ${timeline(events, lang)}`,
    { here: `/staff/referrals/${encodeURIComponent(r.referralId)}` },
  );
}

/**
 * A horizontal bar chart drawn on the server: no script, readable without colour (values are written out,
 * and listed in the chart's description for screen readers). Each label sits above its bar, so the chart
 * stays narrow: on a 375 px screen its text is still about 15 px, at its widest about 21 px.
 */
function barChart(
  id: string,
  title: string,
  rows: { label: string; value: number; text?: string }[],
  /** Short labels (months) fit beside their bars: the chart is then half as tall. */
  beside = false,
): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = beside ? 26 : 44;
  const barX = beside ? 100 : 0;
  const barY = beside ? 4 : 22;
  const barWidth = (v: number) => Math.round((v / max) * (beside ? 200 : 250));
  return html`<figure>
    <figcaption id="${id}-caption">${title}</figcaption>
    <svg
      role="img"
      aria-labelledby="${id}-title"
      aria-describedby="${id}-desc"
      viewBox="0 0 360 ${rows.length * rowHeight + 4}"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="${id}-title">${title}</title>
      <desc id="${id}-desc">${rows.map((r) => `${r.label}: ${r.text ?? r.value}`).join('; ')}</desc>
      ${rows.map(
        (r, i) =>
          html`<text x="0" y="${i * rowHeight + 16}" font-size="16">${r.label}</text>
            <rect
              x="${barX}"
              y="${i * rowHeight + barY}"
              width="${barWidth(r.value)}"
              height="16"
              fill="#0b5394"
            ></rect>
            <text x="${barX + barWidth(r.value) + 6}" y="${i * rowHeight + barY + 14}" font-size="16"
              >${r.text ?? r.value}</text
            >`,
      )}
    </svg>
  </figure>`;
}

/**
 * Where the report table's long Swedish headings may break (soft hyphens): browsers without a Swedish
 * hyphenation dictionary (Chromium on Linux) cannot, and the table would not fit a 1280 px screen.
 */
const HEADING_BREAKS: Record<string, string> = {
  Stadsdelsområde: 'Stadsdels\u00adområde',
  Genomförda: 'Genom\u00adförda',
  Återkallade: 'Åter\u00adkallade',
  Veckogrupp: 'Vecko\u00adgrupp',
  Familjehemmens: 'Familje\u00adhemmens',
};
const breakable = (heading: string) => heading.replace(/\p{L}+/gu, (word) => HEADING_BREAKS[word] ?? word);

const pct = (x?: number) => (x === undefined ? '–' : `${Math.round(x * 100)} %`);
const num = (x?: number) => (x === undefined ? '–' : String(x));

/** A month `2026-03` in words, as a staff member reads it: "mars 2026", "Mar 2026". */
const monthLabel = (month: string, lang: Language) => shortMonthYear(month, lang);

/** The report's figures, or the period the person asked for with what is wrong with it. */
export type ReportView =
  | {
      ok: true;
      figures: {
        from: string;
        to: string;
        districts: DistrictFigures[];
        total: DistrictFigures;
        trend: { month: string; referrals: number }[];
      };
    }
  | { ok: false; from: string; to: string; errors: Partial<Record<'from' | 'to', string>> };

export function reportPage(session: StaffSession, view: ReportView): string {
  const lang = staffLanguage(session);
  const t = STAFF_TEXTS[lang];
  const { from, to } = view.ok ? view.figures : view;
  const errors = view.ok ? {} : view.errors;
  const dateField = (name: 'from' | 'to', label: string) => {
    const error = errors[name] && inLanguage(errors[name], lang);
    return html`<div>
      <label for="${name}">${label}</label>
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : ''}
      <input
        type="date"
        id="${name}"
        name="${name}"
        value="${name === 'from' ? from : to}"
        ${error ? html`aria-invalid="true" aria-describedby="${name}-error"` : ''}
      />
    </div>`;
  };
  const fields = (['from', 'to'] as const).filter((f) => errors[f]);
  const summary = fields.length
    ? html`<div class="error-summary" role="alert" aria-labelledby="report-errors" tabindex="-1">
        <h2 id="report-errors">${t.periodErrors}</h2>
        <ul>
          ${fields.map((f) => html`<li><a href="#${f}">${inLanguage(errors[f]!, lang)}</a></li>`)}
        </ul>
      </div>`
    : '';
  const query = new URLSearchParams({ from, to }).toString();
  return staffPage(
    t.reportTitle,
    session,
    html`<h1>${t.reportHeading}</h1>
      ${summary}
      <form method="get" action="/staff/report" class="filters" novalidate>
        ${dateField('from', t.from)} ${dateField('to', t.to)}
        <div><button type="submit">${t.show}</button></div>
      </form>
      ${view.ok ? reportFigures(view.figures, lang, query) : ''}`,
    { here: `/staff/report?${query}` },
  );
}

function reportFigures(
  figures: Extract<ReportView, { ok: true }>['figures'],
  lang: Language,
  query: string,
): SafeHtml {
  const t = STAFF_TEXTS[lang];
  const { districts, total, trend } = figures;
  const cols = REPORT_COLUMNS.filter((c): c is ReportColumn => c !== 'district');
  const cell = (f: DistrictFigures, k: ReportColumn) =>
    k === 'attendanceRate' ? pct(f[k] as number | undefined) : num(f[k] as number | undefined);
  return html`<p><a href="/staff/report.csv?${query}">${t.downloadCsv}</a></p>
    <div class="charts">
      ${barChart(
        'funnel',
        t.funnel,
        referralFunnel(total).map((s) => ({
          label: t.funnelStages[s.stage],
          value: s.count,
          text: s.share === undefined ? String(s.count) : `${s.count} (${pct(s.share)})`,
        })),
      )}
      ${barChart(
        'trend',
        t.trend,
        trend.map((m) => ({ label: monthLabel(m.month, lang), value: m.referrals })),
        true,
      )}
      ${barChart(
        'referrals-per-district',
        t.referralsPerDistrict,
        districts.map((d) => ({ label: d.district, value: d.referrals })),
      )}
      ${barChart(
        'completed-per-district',
        t.completedPerDistrict,
        districts.map((d) => ({ label: d.district, value: d.completed })),
      )}
      ${barChart('formats', t.formats, [
        { label: t.weekly, value: total.weekly },
        { label: t.weekend, value: total.weekend },
      ])}
    </div>
    ${tableRegion(
      'report-table',
      t.perDistrict(figures.from, figures.to),
      html`<thead>
          <tr>
            <th scope="col">${breakable(t.district)}</th>
            ${cols.map((c) => html`<th scope="col">${breakable(t.columns[c])}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${[...districts, total].map(
            (d) =>
              html`<tr>
                <th scope="row">${d === total ? t.total : d.district}</th>
                ${cols.map((c) => html`<td>${cell(d, c)}</td>`)}
              </tr>`,
          )}
        </tbody>`,
    )}`;
}

/**
 * The report as CSV for a spreadsheet: for Swedish Excel a `;` separator, a UTF-8 byte order mark (or
 * "Östermalm" is garbled) and decimal commas; the headers in the reader's language.
 */
export function reportCsv(lang: Language, districts: DistrictFigures[], total: DistrictFigures): string {
  const t = STAFF_TEXTS[lang];
  const cols = REPORT_COLUMNS.filter((c): c is ReportColumn => c !== 'district');
  const decimal = (x: number) => (lang === 'sv' ? String(x).replace('.', ',') : String(x));
  return stringify(
    [...districts, total].map((d) => [
      d === total ? t.total : d.district,
      ...cols.map((c) => (d[c] === undefined ? '' : decimal(d[c] as number))),
    ]),
    { bom: true, delimiter: ';', header: true, columns: [t.district, ...cols.map((c) => t.columns[c])] },
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
