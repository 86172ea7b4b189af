/**
 * The coordinator's group proposal page and the group leader's attendance page, in the reader's language
 * (the link's recipient: a coordinator acting from the staff inbox may read English).
 */
import { errorsInLanguage } from '../../domain/messages';
import type { Language } from '../../domain/referral';
import { addDays, clockTime, mondayOf, stockholmDateOf, weekdayDate } from '../../domain/stockholm-dates';
import type { BandOutlook } from '../../domain/placement-outlook';
import type { GroupLinkResult } from './groups';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';
import { linkFormAction } from '../../web/link-form-action';
import { weeklyGroupEn, weeklyGroupSv } from './proposal-words';

const SV = {
  weekdays: ['', 'måndagar', 'tisdagar', 'onsdagar', 'torsdagar', 'fredagar', 'lördagar', 'söndagar'],
  at: 'kl.',
  notSaved: 'Det gick inte att spara',
  proposalTitle: 'Gruppförslag',
  formGroup: (band: string) => `Bilda grupp: ${band} år`,
  suggestion: (format: 'weekly' | 'weekend', district: string | undefined, n: number) =>
    `Förslag: ${format === 'weekly' ? weeklyGroupSv(district) : 'stödhelg'} med ${n} barn. Du kan ändra vilka som är med och formatet.`,
  noSuggestion: (days: number) =>
    `Inga förslag just nu: för få barn väntar för en veckogrupp, och ingen har väntat ${days} dagar. Du kan ändå bilda en grupp nu.`,
  waiting: (most: number) => `Barn som väntar (högst ${most} per grupp)`,
  included: 'Med',
  includedLabel: (id: string) => `Med i gruppen: ${id}`,
  reference: 'Ärende',
  firstName: 'Förnamn',
  age: 'Ålder',
  years: (n: number) => `${n} år`,
  district: 'Stadsdelsområde',
  waited: 'Väntat',
  days: (n: number) => `${n} dagar`,
  noWeekdays: ' (kan inte vardagar)',
  legalBasis: 'Rättslig grund',
  format: 'Format',
  weekly: (meetings: number, hours: number) => `Veckogrupp: ${meetings} träffar om ${hours} timmar`,
  weekend: (days: number) => `Stödhelg: ${days} heldagar lördag–söndag och en uppföljande lördag`,
  slot: 'Veckotid (för veckogrupp)',
  startDate: 'Startar tidigast (ÅÅÅÅ-MM-DD)',
  premises: (name: string) => `Träffarna hålls i ${name}. Helgdagar hoppas över.`,
  confirm: 'Bekräfta gruppen',
  postpone: 'Vänta med gruppen',
  postponeHint: 'Barnen står kvar i kön. Planeraren tittar på kön igen minst en gång i veckan.',
  since: (date: string) => `sedan ${date}`,
  whyHeading: 'Underlag för förslaget',
  proposedCaption: (band: string) => `Föreslagna grupper, ${band} år`,
  group: 'Grupp',
  size: 'Antal barn',
  livesIn: 'Barnen bor i',
  formatName: { weekly: 'Veckogrupp', weekend: 'Stödhelg' } as Record<'weekly' | 'weekend', string>,
  noneProposed: 'Planeraren föreslår ingen grupp just nu.',
  weekCaption: (band: string, today: string, inAWeek: string) =>
    `Om vi väntar en vecka till, ${band} år: ${today} jämfört med ${inAWeek}`,
  measure: 'Mått',
  now: 'Nu',
  inAWeek: 'Om en vecka',
  waitingCount: 'Barn som väntar',
  withExpected: (n: number, expected: number) => (expected ? `${n} (varav ${expected} väntade nya)` : `${n}`),
  groups: 'Grupper',
  groupsList: (groups: { format: 'weekly' | 'weekend'; size: number }[]) =>
    groups.length
      ? groups
          .map((g) => `${g.format === 'weekly' ? 'veckogrupp' : 'stödhelg'} med ${g.size} barn`)
          .join(', ')
      : 'ingen grupp',
  oldestGroup: 'Storlek på gruppen för barnet som väntat längst',
  noGroup: 'ingen grupp än',
  oldestWait: 'Längsta väntan',
  forecast: (rate: string, assumed: number, from: 'history' | 'settings') =>
    `Prognos: ${rate} nya barn per vecka i åldersgruppen, ${from === 'history' ? 'efter de senaste veckornas samtycken' : 'efter samarbetets väntade antal barn per år (historiken är ännu för kort)'}. Beräkningen räknar med ${assumed}.`,
  attendanceTitle: 'Registrera närvaro',
  attendanceHeading: (n: number) => `Närvaro träff ${n}`,
  meetingTime: (day: string, time: string) => `${day} kl. ${time}`,
  present: 'Närvarande',
  absent: 'Frånvarande',
  saveAttendance: 'Spara närvaron',
  done: 'Klart',
  refused: {
    used: {
      title: 'Länken är redan använd',
      text: 'Den här länken har redan använts och kan bara användas en gång. Ingenting har ändrats nu.',
    },
    expired: {
      title: 'Länken har gått ut',
      text: 'Länken gäller inte längre. Du får en ny länk med nästa förslag eller träff.',
    },
    closed: { title: 'Steget är inte längre öppet', text: 'Det här behöver inte längre något svar.' },
    superseded: { title: 'Det finns en nyare länk', text: 'Använd länken i det senaste mejlet.' },
  },
};

const children = (n: number) => `${n} ${n === 1 ? 'child' : 'children'}`;

const EN: typeof SV = {
  weekdays: ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'],
  at: 'at',
  notSaved: 'Could not be saved',
  proposalTitle: 'Group proposal',
  formGroup: (band: string) => `Form a group: ${band} years`,
  suggestion: (format: 'weekly' | 'weekend', district: string | undefined, n: number) =>
    `Proposal: ${format === 'weekly' ? weeklyGroupEn(district) : 'support weekend'} with ${children(n)}. You can change who takes part and the format.`,
  noSuggestion: (days: number) =>
    `No proposal right now: too few children are waiting for a weekly group, and nobody has waited ${days} days. You can still form a group now.`,
  waiting: (most: number) => `Children waiting (at most ${most} per group)`,
  included: 'Included',
  includedLabel: (id: string) => `In the group: ${id}`,
  reference: 'Reference',
  firstName: 'First name',
  age: 'Age',
  years: (n: number) => `${n} years`,
  district: 'City district',
  waited: 'Waited',
  days: (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`,
  noWeekdays: ' (not on weekdays)',
  legalBasis: 'Legal basis',
  format: 'Format',
  weekly: (meetings: number, hours: number) => `Weekly group: ${meetings} meetings of ${hours} hours`,
  weekend: (days: number) => `Support weekend: ${days} full days Saturday–Sunday and a follow-up Saturday`,
  slot: 'Time of the week (for a weekly group)',
  startDate: 'Starts at the earliest (YYYY-MM-DD)',
  premises: (name: string) => `The meetings are held at ${name}. Public holidays are skipped.`,
  confirm: 'Confirm the group',
  postpone: 'Wait with the group',
  postponeHint: 'The children stay in the queue. The planner looks at the queue again at least once a week.',
  since: (date: string) => `since ${date}`,
  whyHeading: 'What the proposal rests on',
  proposedCaption: (band: string) => `Proposed groups, ${band} years`,
  group: 'Group',
  size: 'Children',
  livesIn: 'The children live in',
  formatName: { weekly: 'Weekly group', weekend: 'Support weekend' },
  noneProposed: 'The planner proposes no group right now.',
  weekCaption: (band: string, today: string, inAWeek: string) =>
    `If we wait one more week, ${band} years: ${today} against ${inAWeek}`,
  measure: 'Measure',
  now: 'Now',
  inAWeek: 'In a week',
  waitingCount: 'Children waiting',
  withExpected: (n: number, expected: number) =>
    expected ? `${n} (${expected} of them expected new)` : `${n}`,
  groups: 'Groups',
  groupsList: (groups: { format: 'weekly' | 'weekend'; size: number }[]) =>
    groups.length
      ? groups
          .map((g) => `${g.format === 'weekly' ? 'weekly group' : 'support weekend'} of ${children(g.size)}`)
          .join(', ')
      : 'no group',
  oldestGroup: 'Group size for the child who has waited longest',
  noGroup: 'no group yet',
  oldestWait: 'Longest wait',
  forecast: (rate: string, assumed: number, from: 'history' | 'settings') =>
    `Forecast: ${rate} new children a week in the age band, ${from === 'history' ? "from recent weeks' consents" : "from the partnership's expected children a year (too little history yet)"}. The figures assume ${assumed}.`,
  attendanceTitle: 'Record attendance',
  attendanceHeading: (n: number) => `Attendance, meeting ${n}`,
  meetingTime: (day: string, time: string) => `${day} at ${time}`,
  present: 'Present',
  absent: 'Absent',
  saveAttendance: 'Save the attendance',
  done: 'Done',
  refused: {
    used: {
      title: 'The link has already been used',
      text: 'This link has already been used and works only once. Nothing was changed now.',
    },
    expired: {
      title: 'The link has expired',
      text: 'This link is no longer valid. You get a new link with the next proposal or meeting.',
    },
    closed: { title: 'This step is no longer open', text: 'This no longer needs an answer.' },
    superseded: { title: 'There is a newer link', text: 'Please use the link in the latest email.' },
  },
};

const TEXTS: Record<Language, typeof SV> = { sv: SV, en: EN };

function errorSummary(t: typeof SV, errors: Record<string, string> = {}): SafeHtml {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>${t.notSaved}</h2>
    <ul>
      ${entries.map(([f, m]) => html`<li><a href="#${f}">${m}</a></li>`)}
    </ul>
  </div>`;
}

const stockholmDate = (iso: string) => stockholmDateOf(iso)!;

/**
 * Why the planner proposes what it does, for the page's age band: the proposed groups, and the same
 * figures now and a week from now, so that the coordinator can accept or overrule with them in view.
 * Plain tables with captions and headers: nothing is said by colour alone.
 */
function whySection(
  t: typeof SV,
  outlook: BandOutlook,
  today: string,
  lang: Language,
  forecastFrom: 'history' | 'settings',
): SafeHtml {
  const inAWeek = addDays(today, 7);
  const week = outlook.oneMoreWeek;
  const oldest = outlook.waiting[0]?.referralId;
  const oldestNow = outlook.proposed.find((g) => oldest && g.members.includes(oldest))?.size ?? 0;
  const rate = week.expectedArrivals.toLocaleString(lang === 'en' ? 'en-GB' : 'sv-SE');
  return html`<section aria-labelledby="why-heading">
    <h2 id="why-heading">${t.whyHeading}</h2>
    ${
      outlook.proposed.length
        ? html`<table>
            <caption>
              ${t.proposedCaption(outlook.ageBand)}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.group}</th>
                <th scope="col">${t.format}</th>
                <th scope="col">${t.size}</th>
                <th scope="col">${t.livesIn}</th>
              </tr>
            </thead>
            <tbody>
              ${outlook.proposed.map(
                (g, i) =>
                  html`<tr>
                    <th scope="row">${i + 1}</th>
                    <td>${t.formatName[g.format]}</td>
                    <td>${g.size}</td>
                    <td>${g.districts.join(', ')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>${t.noneProposed}</p>`
    }
    <table>
      <caption>
        ${t.weekCaption(outlook.ageBand, today, inAWeek)}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.measure}</th>
          <th scope="col">${t.now}</th>
          <th scope="col">${t.inAWeek}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">${t.waitingCount}</th>
          <td>${outlook.waiting.length}</td>
          <td>${t.withExpected(outlook.waiting.length + week.arrivalsAssumed, week.arrivalsAssumed)}</td>
        </tr>
        <tr>
          <th scope="row">${t.groups}</th>
          <td>${t.groupsList(outlook.proposed)}</td>
          <td>${t.groupsList(week.proposed)}</td>
        </tr>
        <tr>
          <th scope="row">${t.oldestGroup}</th>
          <td>${oldestNow ? String(oldestNow) : t.noGroup}</td>
          <td>${week.expectedGroupSize ? String(week.expectedGroupSize) : t.noGroup}</td>
        </tr>
        <tr>
          <th scope="row">${t.oldestWait}</th>
          <td>${t.days(outlook.oldestWaitDays)}</td>
          <td>${t.days(week.oldestWaitDays)}</td>
        </tr>
      </tbody>
    </table>
    <p class="hint">${t.forecast(rate, week.arrivalsAssumed, forecastFrom)}</p>
  </section>`;
}

function proposalPage(
  token: string,
  r: Extract<GroupLinkResult, { kind: 'proposal' }>,
  lang: Language,
): string {
  const t = TEXTS[lang];
  const errors = errorsInLanguage(r.errors ?? {}, lang);
  const values = r.values ?? {};
  const suggested = new Set(r.suggestion?.members ?? []);
  const picked = (id: string) => (r.values ? values[`member-${id}`] === 'on' : suggested.has(id));
  const format = values.format ?? r.suggestion?.format ?? 'weekend';
  const start = values.startDate ?? mondayOf(addDays(r.today, 14));
  const settings = r.partnership.groups;
  const since = new Map(r.outlook?.waiting.map((w) => [w.referralId, stockholmDate(w.waitingSince)]));
  return page({
    title: t.proposalTitle,
    lang,
    body: html`<h1>${t.formGroup(r.ageBand)}</h1>
      ${errorSummary(t, errors)}
      ${
        r.suggestion
          ? html`<p>
              ${t.suggestion(r.suggestion.format, r.suggestion.district, r.suggestion.members.length)}
            </p>`
          : html`<p>${t.noSuggestion(settings.grouping.maxWaitDaysBeforeWeekend)}</p>`
      }
      ${r.outlook ? whySection(t, r.outlook, r.today, lang, r.forecastFrom) : ''}
      <form method="post" action="${linkFormAction(token, r.link)}">
        <input type="hidden" name="action" value="confirm" />
        <fieldset id="members" class="wide">
          <legend id="members-legend">${t.waiting(settings.grouping.maxGroupSize)}</legend>
          <div class="table-scroll" role="region" aria-labelledby="members-legend" tabindex="0">
            <table>
              <thead>
                <tr>
                  <th scope="col">${t.included}</th>
                  <th scope="col">${t.reference}</th>
                  <th scope="col">${t.firstName}</th>
                  <th scope="col">${t.age}</th>
                  <th scope="col">${t.district}</th>
                  <th scope="col">${t.waited}</th>
                  <th scope="col">${t.legalBasis}</th>
                </tr>
              </thead>
              <tbody>
                ${r.members.map(
                  (m) =>
                    html`<tr>
                      <td>
                        <input
                          type="checkbox"
                          id="member-${m.referralId}"
                          name="member-${m.referralId}"
                          value="on"
                          ${picked(m.referralId) ? html`checked` : ''}
                          aria-label="${t.includedLabel(m.referralId)}"
                        />
                      </td>
                      <td>${m.referralId}</td>
                      <td>${m.label}</td>
                      <td>${t.years(m.age)}</td>
                      <td>${m.district}</td>
                      <td>
                        ${t.days(m.waitingDays)}${m.noWeekdays ? t.noWeekdays : ''}${
                          since.has(m.referralId) ? `, ${t.since(since.get(m.referralId)!)}` : ''
                        }
                      </td>
                      <td>${m.legalBasis ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
        </fieldset>
        <fieldset>
          <legend>${t.format}</legend>
          <p>
            <input
              type="radio"
              id="format-weekly"
              name="format"
              value="weekly"
              ${format === 'weekly' ? html`checked` : ''}
            />
            <label class="inline" for="format-weekly"
              >${t.weekly(settings.schedule.weekly.meetings, settings.schedule.weekly.hours)}</label
            >
          </p>
          <p>
            <input
              type="radio"
              id="format-weekend"
              name="format"
              value="weekend"
              ${format === 'weekend' ? html`checked` : ''}
            />
            <label class="inline" for="format-weekend"
              >${t.weekend(settings.schedule.weekend.fullDays)}</label
            >
          </p>
        </fieldset>
        <label for="slot">${t.slot}</label>
        <select id="slot" name="slot">
          ${settings.weeklySlots.map((s) => html`<option value="${s.weekday}-${s.start}" ${values.slot === `${s.weekday}-${s.start}` ? html`selected` : ''}>${t.weekdays[s.weekday]} ${t.at} ${s.start}</option>`)}
        </select>
        <label for="startDate">${t.startDate}</label>
        ${errors.startDate ? html`<p class="field-error" id="startDate-error">${errors.startDate}</p>` : ''}
        <input
          type="text"
          id="startDate"
          name="startDate"
          value="${start}"
          ${errors.startDate ? html`aria-invalid="true" aria-describedby="startDate-error"` : ''}
        />
        <p class="hint">${t.premises(settings.premises.name)}</p>
        <button type="submit">${t.confirm}</button>
      </form>
      <form method="post" action="${linkFormAction(token, r.link)}">
        <input type="hidden" name="action" value="postpone" />
        <p class="hint">${t.postponeHint}</p>
        <button type="submit" class="secondary">${t.postpone}</button>
      </form>`,
  });
}

function attendancePage(
  token: string,
  r: Extract<GroupLinkResult, { kind: 'attendance' }>,
  lang: Language,
): string {
  const t = TEXTS[lang];
  const when = t.meetingTime(weekdayDate(r.meeting.startsAt, lang, false), clockTime(r.meeting.startsAt));
  return page({
    title: t.attendanceTitle,
    lang,
    body: html`<h1>${t.attendanceHeading(r.meeting.index)}</h1>
      <p>${r.group.name}, ${when}.</p>
      ${errorSummary(t, errorsInLanguage(r.errors ?? {}, lang))}
      <form method="post" action="${linkFormAction(token, r.link)}">
        <input type="hidden" name="action" value="record" />
        ${r.members.map(
          (m) =>
            html`<fieldset id="present-${m.referralId}">
              <legend>${m.referralId}: ${m.label}, ${t.years(m.age)}</legend>
              <p>
                <input
                  type="radio"
                  id="present-${m.referralId}-yes"
                  name="present-${m.referralId}"
                  value="present"
                />
                <label class="inline" for="present-${m.referralId}-yes">${t.present}</label>
              </p>
              <p>
                <input
                  type="radio"
                  id="present-${m.referralId}-no"
                  name="present-${m.referralId}"
                  value="absent"
                />
                <label class="inline" for="present-${m.referralId}-no">${t.absent}</label>
              </p>
            </fieldset>`,
        )}
        <button type="submit">${t.saveAttendance}</button>
      </form>`,
  });
}

const REFUSED_STATUS = { used: 409, expired: 410, closed: 410, superseded: 410 } as const;

/** `lang`: the page's language as the request chose it (web/language.ts); none: the link recipient's. */
export function groupLinkPage(
  token: string,
  r: GroupLinkResult,
  lang: Language = r.link.recipient.language === 'en' ? 'en' : 'sv',
): { status: number; body: string } {
  const t = TEXTS[lang];
  switch (r.kind) {
    case 'proposal':
      return { status: r.status, body: proposalPage(token, r, lang) };
    case 'attendance':
      return { status: r.status, body: attendancePage(token, r, lang) };
    case 'group-done':
      return {
        status: 200,
        body: page({
          title: t.done,
          lang,
          body: html`<h1>${t.done}</h1>
            <p>${r.message[lang]}</p>`,
        }),
      };
    case 'refused': {
      const x = t.refused[r.reason];
      return {
        status: REFUSED_STATUS[r.reason],
        body: page({
          title: x.title,
          lang,
          body: html`<h1>${x.title}</h1>
            <p>${x.text}</p>`,
        }),
      };
    }
  }
}
