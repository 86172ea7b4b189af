/** The coordinator's group proposal page and the group leader's attendance page. */
import { DateTime } from 'luxon';
import { ZONE } from '../../domain/schedule';
import type { GroupLinkResult } from './groups';
import { html, type SafeHtml } from '../../web/html';
import { page } from '../../web/layout';

const WEEKDAYS = ['', 'måndagar', 'tisdagar', 'onsdagar', 'torsdagar', 'fredagar', 'lördagar', 'söndagar'];

function errorSummary(errors: Record<string, string> = {}): SafeHtml {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>Det gick inte att spara</h2>
    <ul>
      ${entries.map(([f, m]) => html`<li><a href="#${f}">${m}</a></li>`)}
    </ul>
  </div>`;
}

function proposalPage(token: string, r: Extract<GroupLinkResult, { kind: 'proposal' }>): string {
  const values = r.values ?? {};
  const suggested = new Set(r.suggestion?.members ?? []);
  const picked = (id: string) => (r.values ? values[`member-${id}`] === 'on' : suggested.has(id));
  const format = values.format ?? r.suggestion?.format ?? 'weekend';
  const start =
    values.startDate ??
    DateTime.fromISO(r.today, { zone: ZONE }).plus({ weeks: 2 }).startOf('week').toISODate()!;
  const settings = r.partnership.groups;
  return page({
    title: 'Gruppförslag',
    body: html`<h1>Bilda grupp: ${r.ageBand} år</h1>
      ${errorSummary(r.errors)}
      ${
        r.suggestion
          ? html`<p>
              Förslag:
              ${r.suggestion.format === 'weekly' ? `veckogrupp i ${r.suggestion.district}` : 'stödhelg'} med
              ${r.suggestion.members.length} barn. Du kan ändra vilka som är med och formatet.
            </p>`
          : html`<p>
              Inga förslag just nu: för få barn väntar för en veckogrupp, och ingen har väntat
              ${settings.grouping.maxWaitDaysBeforeWeekend} dagar. Du kan ändå bilda en grupp nu.
            </p>`
      }
      <form method="post" action="/links/${token}">
        <input type="hidden" name="action" value="confirm" />
        <fieldset id="members">
          <legend>Barn som väntar (högst ${settings.grouping.maxGroupSize} per grupp)</legend>
          <table>
            <thead>
              <tr>
                <th scope="col">Med</th>
                <th scope="col">Ärende</th>
                <th scope="col">Förnamn</th>
                <th scope="col">Ålder</th>
                <th scope="col">Stadsdelsområde</th>
                <th scope="col">Väntat</th>
                <th scope="col">Rättslig grund</th>
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
                        aria-label="Med i gruppen: ${m.referralId}"
                      />
                    </td>
                    <td>${m.referralId}</td>
                    <td>${m.label}</td>
                    <td>${m.age} år</td>
                    <td>${m.district}</td>
                    <td>${m.waitingDays} dagar${m.noWeekdays ? ' (kan inte vardagar)' : ''}</td>
                    <td>${m.legalBasis ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </fieldset>
        <fieldset>
          <legend>Format</legend>
          <p>
            <input
              type="radio"
              id="format-weekly"
              name="format"
              value="weekly"
              ${format === 'weekly' ? html`checked` : ''}
            />
            <label class="inline" for="format-weekly"
              >Veckogrupp: ${settings.schedule.weekly.meetings} träffar om ${settings.schedule.weekly.hours}
              timmar</label
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
              >Stödhelg: ${settings.schedule.weekend.fullDays} heldagar lördag–söndag och en uppföljande
              lördag</label
            >
          </p>
        </fieldset>
        <label for="slot">Veckotid (för veckogrupp)</label>
        <select id="slot" name="slot">
          ${settings.weeklySlots.map((s) => html`<option value="${s.weekday}-${s.start}" ${values.slot === `${s.weekday}-${s.start}` ? html`selected` : ''}>${WEEKDAYS[s.weekday]} kl. ${s.start}</option>`)}
        </select>
        <label for="startDate">Startar tidigast (ÅÅÅÅ-MM-DD)</label>
        ${r.errors?.startDate ? html`<p class="field-error" id="startDate-error">${r.errors.startDate}</p>` : ''}
        <input
          type="text"
          id="startDate"
          name="startDate"
          value="${start}"
          ${r.errors?.startDate ? html`aria-invalid="true" aria-describedby="startDate-error"` : ''}
        />
        <p class="hint">Träffarna hålls i ${settings.premises.name}. Helgdagar hoppas över.</p>
        <button type="submit">Bekräfta gruppen</button>
      </form>
      <form method="post" action="/links/${token}">
        <input type="hidden" name="action" value="postpone" />
        <button type="submit" class="secondary">Vänta med gruppen</button>
      </form>`,
  });
}

function attendancePage(token: string, r: Extract<GroupLinkResult, { kind: 'attendance' }>): string {
  const when = DateTime.fromISO(r.meeting.startsAt, { zone: ZONE })
    .setLocale('sv-SE')
    .toFormat("cccc d LLLL 'kl.' HH:mm");
  return page({
    title: 'Registrera närvaro',
    body: html`<h1>Närvaro träff ${r.meeting.index}</h1>
      <p>${r.group.name}, ${when}.</p>
      ${errorSummary(r.errors)}
      <form method="post" action="/links/${token}">
        <input type="hidden" name="action" value="record" />
        ${r.members.map(
          (m) =>
            html`<fieldset id="present-${m.referralId}">
              <legend>${m.referralId}: ${m.label}, ${m.age} år</legend>
              <p>
                <input
                  type="radio"
                  id="present-${m.referralId}-yes"
                  name="present-${m.referralId}"
                  value="present"
                />
                <label class="inline" for="present-${m.referralId}-yes">Närvarande</label>
              </p>
              <p>
                <input
                  type="radio"
                  id="present-${m.referralId}-no"
                  name="present-${m.referralId}"
                  value="absent"
                />
                <label class="inline" for="present-${m.referralId}-no">Frånvarande</label>
              </p>
            </fieldset>`,
        )}
        <button type="submit">Spara närvaron</button>
      </form>`,
  });
}

const REFUSED = {
  used: {
    status: 409,
    title: 'Länken är redan använd',
    text: 'Den här länken har redan använts och kan bara användas en gång. Ingenting har ändrats nu.',
  },
  expired: {
    status: 410,
    title: 'Länken har gått ut',
    text: 'Länken gäller inte längre. Du får en ny länk med nästa förslag eller träff.',
  },
  closed: {
    status: 410,
    title: 'Steget är inte längre öppet',
    text: 'Det här behöver inte längre något svar.',
  },
  superseded: { status: 410, title: 'Det finns en nyare länk', text: 'Använd länken i det senaste mejlet.' },
} as const;

export function groupLinkPage(token: string, r: GroupLinkResult): { status: number; body: string } {
  switch (r.kind) {
    case 'proposal':
      return { status: r.status, body: proposalPage(token, r) };
    case 'attendance':
      return { status: r.status, body: attendancePage(token, r) };
    case 'group-done':
      return {
        status: 200,
        body: page({
          title: 'Klart',
          body: html`<h1>Klart</h1>
            <p>${r.message}</p>`,
        }),
      };
    case 'refused': {
      const x = REFUSED[r.reason];
      return {
        status: x.status,
        body: page({
          title: x.title,
          body: html`<h1>${x.title}</h1>
            <p>${x.text}</p>`,
        }),
      };
    }
  }
}
