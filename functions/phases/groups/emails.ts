/**
 * Emails of the groups phase. The schedule (times and place) goes to the family home, and to custodians
 * only where the social worker allowed it and the child's identity is not protected.
 */
import type { Proposal } from '../../domain/grouping';
import type { Group, GroupFailure, GroupStep } from '../../domain/partnership';
import { childDisplayName, type Language, type Referral } from '../../domain/referral';
import type { Meeting } from '../../domain/schedule';
import { clockTime, weekdayDate } from '../../domain/stockholm-dates';
import type { EmailContent } from '../../web/emails/render';
import { greeting, referenceLine, requestParts } from '../../web/emails/templates';
import { weeklyGroupEn, weeklyGroupSv } from './proposal-words';
import { calendarFile, type CalendarEvent } from './calendar-file';

type R = Pick<Referral, 'referralId' | 'child' | 'district'>;

function when(iso: string, lang: Language = 'sv'): string {
  return `${weekdayDate(iso, lang)} ${lang === 'en' ? 'at' : 'kl.'} ${clockTime(iso)}`;
}

function until(iso: string, lang: Language): string {
  return requestParts(lang, iso).until;
}

/** An iCalendar file with every meeting, its titles in the recipient's language. */
export function scheduleCalendar(
  group: Group,
  premises: { name: string; address: string },
  lang: Language = 'sv',
): string {
  const events: CalendarEvent[] = (group.meetings ?? []).map((m) => ({
    uid: `${group.groupId}-${m.index}@stodgrupper.bris`,
    title: lang === 'en' ? `Bris support group, meeting ${m.index}` : `Bris stödgrupp, träff ${m.index}`,
    location: `${premises.name}, ${premises.address}`,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
  }));
  // DTSTAMP is when the file is made, as the ics library stamped it.
  return calendarFile('bris-stodgrupper', events, new Date());
}

const FORMAT_WORDS: Record<Group['format'], Record<Language, { a: string; the: string }>> = {
  weekly: { sv: { a: 'en veckogrupp', the: 'veckogrupp' }, en: { a: 'a weekly group', the: 'weekly group' } },
  weekend: {
    sv: { a: 'en stödhelg', the: 'stödhelg' },
    en: { a: 'a support weekend', the: 'support weekend' },
  },
};

/** The date of the first meeting in Stockholm ("lördag 5 december 2026"). */
function startDay(group: Group, lang: Language): string {
  return weekdayDate(group.meetings?.[0]?.startsAt ?? group.startDate ?? '', lang);
}

/**
 * To the social worker: the child has a place in a group, its format and the date it starts. No meeting
 * place or times (the family home gets the schedule), no group members.
 */
export function groupPlaced(r: R, to: { name: string; language: Language }, group: Group): EmailContent {
  const lang = to.language;
  const child = childDisplayName(r, lang);
  const format = FORMAT_WORDS[group.format][lang];
  return lang === 'en'
    ? {
        template: 'group-placed',
        language: 'en',
        subject: `Placed in a group: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `${child} (referral ${r.referralId}) has a place in ${format.a} at Bris.`,
          `Format: ${format.the}. Start date: ${startDay(group, lang)}.`,
          'The family home gets the schedule and a reminder before each meeting.',
        ],
        after: [`Reference code: ${r.referralId}.`],
      }
    : {
        template: 'group-placed',
        language: 'sv',
        subject: `Plats i grupp: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `${child} (ärende ${r.referralId}) har fått plats i ${format.a} hos Bris.`,
          `Format: ${format.the}. Startdatum: ${startDay(group, lang)}.`,
          'Familjehemmet får schemat och en påminnelse före varje träff.',
        ],
        after: [`Referensnummer: ${r.referralId}.`],
      };
}

/** To the coordinator, in her language: a group can be formed, or the child waits in the pool. */
export function poolUpdate(
  r: R,
  to: { name: string; language?: Language },
  url: string,
  expiresAt: string,
  proposal: Proposal | undefined,
  waiting: number,
): EmailContent {
  const lang = to.language ?? 'sv';
  if (lang === 'en') {
    return proposal
      ? {
          template: 'group-proposal',
          language: 'en',
          subject: `Proposal for a new group: ${FORMAT_WORDS[proposal.format].en.the} ${proposal.ageBand} years`,
          greeting: greeting(to.name, 'en'),
          paragraphs: [
            `A ${proposal.format === 'weekly' ? weeklyGroupEn(proposal.district) : 'support weekend'} for ${proposal.ageBand} years can now be formed with ${proposal.members.length} children (among them referral ${r.referralId}).`,
            'Open the proposal to confirm the group, change which children take part or the format, or wait.',
          ],
          action: { label: 'Open the group proposal', url },
          after: [until(expiresAt, 'en')],
        }
      : {
          template: 'pool-waiting',
          language: 'en',
          subject: `Waiting for a group: ${r.referralId} (${r.child.ageBand} years)`,
          greeting: greeting(to.name, 'en'),
          paragraphs: [
            `Referral ${r.referralId} (${r.child.ageAtReferral} years, ${r.district}) has consent and now waits for a group. ${waiting} children wait in the age band ${r.child.ageBand} years.`,
            'You get a proposal when a group can be formed. You can also form a group now from the queue.',
          ],
          action: { label: 'See the queue and form a group', url },
          after: [until(expiresAt, 'en')],
        };
  }
  return proposal
    ? {
        template: 'group-proposal',
        language: 'sv',
        subject: `Förslag på ny grupp: ${proposal.format === 'weekly' ? 'veckogrupp' : 'stödhelg'} ${proposal.ageBand} år`,
        greeting: greeting(to.name),
        paragraphs: [
          `Nu kan en ${proposal.format === 'weekly' ? weeklyGroupSv(proposal.district) : 'stödhelg'} för ${proposal.ageBand} år bildas med ${proposal.members.length} barn (bland dem ärende ${r.referralId}).`,
          'Öppna förslaget för att bekräfta gruppen, ändra vilka barn som är med eller formatet, eller vänta.',
        ],
        action: { label: 'Öppna gruppförslaget', url },
        after: [until(expiresAt, 'sv')],
      }
    : {
        template: 'pool-waiting',
        language: 'sv',
        subject: `Väntar på grupp: ${r.referralId} (${r.child.ageBand} år)`,
        greeting: greeting(to.name),
        paragraphs: [
          `Ärende ${r.referralId} (${r.child.ageAtReferral} år, ${r.district}) har samtycke och väntar nu på en grupp. ${waiting} barn väntar i åldersgruppen ${r.child.ageBand} år.`,
          'Du får ett förslag när en grupp kan bildas. Du kan också bilda en grupp nu från kön.',
        ],
        action: { label: 'Se kön och bilda en grupp', url },
        after: [until(expiresAt, 'sv')],
      };
}

/**
 * The schedule with its calendar file, in the recipient's language (a custodian may have chosen English;
 * the family home has no language choice and reads Swedish).
 */
export function groupSchedule(
  r: R,
  to: { name: string; language?: Language },
  group: Group,
  premises: { name: string; address: string },
  role: 'carer' | 'custodian',
): EmailContent {
  const lang = to.language ?? 'sv';
  const meetings = group.meetings ?? [];
  const format = FORMAT_WORDS[group.format][lang];
  const end = (m: Meeting) => clockTime(m.endsAt);
  const common = {
    template: role === 'carer' ? 'group-schedule-carer' : 'group-schedule-custodian',
    language: lang,
    attachments: [
      {
        filename: lang === 'en' ? 'bris-support-group.ics' : 'bris-stodgrupp.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: scheduleCalendar(group, premises, lang),
      },
    ],
  };
  return lang === 'en'
    ? {
        ...common,
        subject: `Schedule for the Bris support group: ${format.the}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `${childDisplayName(r, 'en')} has a place in ${format.a} at Bris. The meetings are held at ${premises.name}, ${premises.address}.`,
          ...meetings.map(
            (m: Meeting) =>
              `Meeting ${m.index}${m.kind === 'follow-up' ? ' (follow-up)' : ''}: ${when(m.startsAt, 'en')}–${end(m)}`,
          ),
          'The calendar file in this email adds every meeting to your calendar. You get a reminder two days before each meeting.',
        ],
      }
    : {
        ...common,
        subject: `Schema för Bris stödgrupp: ${format.the}`,
        greeting: greeting(to.name),
        paragraphs: [
          `${childDisplayName(r)} har fått plats i ${format.a} hos Bris. Träffarna hålls i ${premises.name}, ${premises.address}.`,
          ...meetings.map(
            (m: Meeting) =>
              `Träff ${m.index}${m.kind === 'follow-up' ? ' (uppföljning)' : ''}: ${when(m.startsAt)}–${end(m)}`,
          ),
          'Kalenderfilen i mejlet lägger in alla träffar i din kalender. Du får en påminnelse två dagar före varje träff.',
        ],
      };
}

/** Two days before a meeting, to the family home and to custodians allowed the schedule, in their language. */
export function meetingReminder(
  r: R,
  to: { name: string; language?: Language },
  m: Meeting,
  premises: { name: string; address: string },
  role: 'carer' | 'custodian' = 'carer',
): EmailContent {
  const lang = to.language ?? 'sv';
  const template = role === 'carer' ? 'meeting-reminder' : 'meeting-reminder-custodian';
  return lang === 'en'
    ? {
        template,
        language: 'en',
        subject: `Reminder: Bris support group ${when(m.startsAt, 'en')}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Reminder: meeting ${m.index} for ${childDisplayName(r, 'en')} is ${when(m.startsAt, 'en')} at ${premises.name}, ${premises.address}.`,
        ],
      }
    : {
        template,
        language: 'sv',
        subject: `Påminnelse: Bris stödgrupp ${when(m.startsAt)}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Påminnelse: träff ${m.index} för ${childDisplayName(r)} är ${when(m.startsAt)} i ${premises.name}, ${premises.address}.`,
        ],
      };
}

/** To the group leader, in her language (Swedish unless she is on the staff list with English). */
export function attendanceRequest(
  group: Group,
  to: { name: string; language?: Language },
  meeting: number,
  url: string,
  expiresAt: string,
): EmailContent {
  const lang = to.language ?? 'sv';
  return lang === 'en'
    ? {
        template: 'attendance-request',
        language: 'en',
        subject: `Attendance meeting ${meeting}: ${group.name}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [`Meeting ${meeting} of ${group.name} has ended. Record which children were there.`],
        action: { label: 'Record attendance', url },
        after: [until(expiresAt, 'en')],
      }
    : {
        template: 'attendance-request',
        language: 'sv',
        subject: `Närvaro träff ${meeting}: ${group.name}`,
        greeting: greeting(to.name),
        paragraphs: [`Träff ${meeting} i ${group.name} är avslutad. Registrera vilka barn som var där.`],
        action: { label: 'Registrera närvaro', url },
        after: [until(expiresAt, 'sv')],
      };
}

/** To the social worker, in the language she used on the form. */
export function absenceNotice(
  r: R,
  to: { name: string; language?: Language },
  meeting: number,
): EmailContent {
  const lang = to.language ?? 'sv';
  return lang === 'en'
    ? {
        template: 'absence-notice',
        language: 'en',
        subject: `Absent twice in a row: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `The child in referral ${r.referralId} was absent from meeting ${meeting - 1} and meeting ${meeting}. Please get in touch with the family home.`,
        ],
        after: [referenceLine(r.referralId, 'en')],
      }
    : {
        template: 'absence-notice',
        language: 'sv',
        subject: `Frånvaro två gånger i rad: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Barnet i ärende ${r.referralId} var frånvarande vid träff ${meeting - 1} och träff ${meeting}. Hör gärna av dig till familjehemmet.`,
        ],
        after: [referenceLine(r.referralId, 'sv')],
      };
}

/** Where a group's execution stopped, in the coordinator's words. */
export function groupStepWords(step: GroupStep, meeting?: number, lang: Language = 'sv'): string {
  if (lang === 'en') {
    if (step === 'schedule') return 'the schedule';
    if (step === 'complete') return 'the closing';
    return meeting ? `meeting ${meeting}` : 'the meetings';
  }
  if (step === 'schedule') return 'schemat';
  if (step === 'complete') return 'avslutningen';
  return meeting ? `träff ${meeting}` : 'träffarna';
}

/**
 * To the coordinator, once per failure, in her language: the group stopped at a step and waits for her
 * retry on the staff overview (sign-in). The group's name and the step only: no child, no error text.
 */
export function groupNeedsAttentionNotice(
  group: Pick<Group, 'name'>,
  to: { name: string; language?: Language },
  failure: Pick<GroupFailure, 'step' | 'meeting'>,
  staffUrl: string,
): EmailContent {
  const lang = to.language ?? 'sv';
  const where = groupStepWords(failure.step, failure.meeting, lang);
  return lang === 'en'
    ? {
        template: 'group-needs-attention',
        language: 'en',
        subject: `The group needs attention: ${group.name}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `The group ${group.name} stopped at ${where} because of a technical fault. No reminders or attendance requests go out until the group is started again.`,
          'Sign in and choose Try again under Groups that need attention on the overview. The group then goes on from the step that failed; what is already done is not done again.',
        ],
        action: { label: 'Open the overview (sign-in needed)', url: staffUrl },
      }
    : {
        template: 'group-needs-attention',
        language: 'sv',
        subject: `Gruppen behöver åtgärd: ${group.name}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Gruppen ${group.name} stannade vid ${where} på grund av ett tekniskt fel. Inga påminnelser eller förfrågningar om närvaro går ut förrän gruppen startas igen.`,
          'Logga in och välj Försök igen under Grupper som behöver åtgärd på översikten. Gruppen fortsätter då från steget som misslyckades; det som redan är gjort görs inte om.',
        ],
        action: { label: 'Öppna översikten (kräver inloggning)', url: staffUrl },
      };
}
