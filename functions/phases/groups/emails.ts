/**
 * Emails of the groups phase. The schedule (times and place) goes to the family home, and to custodians
 * only where the social worker allowed it and the child's identity is not protected.
 */
import { createEvents, type EventAttributes } from 'ics';
import { DateTime } from 'luxon';
import type { Proposal } from '../../domain/grouping';
import type { Group } from '../../domain/partnership';
import { childDisplayName, type Language, type Referral } from '../../domain/referral';
import type { Meeting } from '../../domain/schedule';
import { ZONE } from '../../domain/time-zone';
import type { EmailContent } from '../../web/emails/render';
import { greeting } from '../../web/emails/templates';

type R = Pick<Referral, 'referralId' | 'child' | 'district'>;

function when(iso: string, lang: Language = 'sv'): string {
  return DateTime.fromISO(iso, { zone: ZONE })
    .setLocale(lang === 'en' ? 'en-GB' : 'sv-SE')
    .toFormat(lang === 'en' ? "cccc d LLLL yyyy 'at' HH:mm" : "cccc d LLLL yyyy 'kl.' HH:mm");
}

function until(iso: string): string {
  return `Länken fungerar en gång och till och med ${DateTime.fromISO(iso, { zone: ZONE }).setLocale('sv-SE').toLocaleString(DateTime.DATE_FULL)}.`;
}

/** An iCalendar file with every meeting (made with the ics library). */
export function scheduleCalendar(group: Group, premises: { name: string; address: string }): string {
  const events: EventAttributes[] = (group.meetings ?? []).map((m) => ({
    uid: `${group.groupId}-${m.index}@stodgrupper.bris`,
    title: `Bris stödgrupp, träff ${m.index}`,
    location: `${premises.name}, ${premises.address}`,
    start: Date.parse(m.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(m.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    productId: 'bris-stodgrupper',
  }));
  const { error, value } = createEvents(events);
  if (error || !value) throw new Error(`Calendar could not be made: ${error?.message}`);
  return value;
}

export function poolUpdate(
  r: R,
  to: { name: string },
  url: string,
  expiresAt: string,
  proposal: Proposal | undefined,
  waiting: number,
): EmailContent {
  return proposal
    ? {
        template: 'group-proposal',
        language: 'sv',
        subject: `Förslag på ny grupp: ${proposal.format === 'weekly' ? 'veckogrupp' : 'stödhelg'} ${proposal.ageBand} år`,
        greeting: greeting(to.name),
        paragraphs: [
          `Nu kan en ${proposal.format === 'weekly' ? `veckogrupp i ${proposal.district}` : 'stödhelg'} för ${proposal.ageBand} år bildas med ${proposal.members.length} barn (bland dem ärende ${r.referralId}).`,
          'Öppna förslaget för att bekräfta gruppen, ändra vilka barn som är med eller formatet, eller vänta.',
        ],
        action: { label: 'Öppna gruppförslaget', url },
        after: [until(expiresAt)],
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
        after: [until(expiresAt)],
      };
}

export function groupSchedule(
  r: R,
  to: { name: string; language?: Language },
  group: Group,
  premises: { name: string; address: string },
  role: 'carer' | 'custodian',
): EmailContent {
  const meetings = group.meetings ?? [];
  return {
    template: role === 'carer' ? 'group-schedule-carer' : 'group-schedule-custodian',
    language: 'sv',
    subject: `Schema för Bris stödgrupp: ${group.format === 'weekly' ? 'veckogrupp' : 'stödhelg'}`,
    greeting: greeting(to.name),
    paragraphs: [
      `${childDisplayName(r)} har fått plats i ${group.format === 'weekly' ? 'en veckogrupp' : 'en stödhelg'} hos Bris. Träffarna hålls i ${premises.name}, ${premises.address}.`,
      ...meetings.map(
        (m: Meeting) =>
          `Träff ${m.index}${m.kind === 'follow-up' ? ' (uppföljning)' : ''}: ${when(m.startsAt)}–${DateTime.fromISO(m.endsAt, { zone: ZONE }).toFormat('HH:mm')}`,
      ),
      'Kalenderfilen i mejlet lägger in alla träffar i din kalender. Du får en påminnelse två dagar före varje träff.',
    ],
    attachments: [
      {
        filename: 'bris-stodgrupp.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: scheduleCalendar(group, premises),
      },
    ],
  };
}

export function meetingReminder(
  r: R,
  to: { name: string },
  m: Meeting,
  premises: { name: string; address: string },
): EmailContent {
  return {
    template: 'meeting-reminder',
    language: 'sv',
    subject: `Påminnelse: Bris stödgrupp ${when(m.startsAt)}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Påminnelse: träff ${m.index} för ${childDisplayName(r)} är ${when(m.startsAt)} i ${premises.name}, ${premises.address}.`,
    ],
  };
}

export function attendanceRequest(
  group: Group,
  to: { name: string },
  meeting: number,
  url: string,
  expiresAt: string,
): EmailContent {
  return {
    template: 'attendance-request',
    language: 'sv',
    subject: `Närvaro träff ${meeting}: ${group.name}`,
    greeting: greeting(to.name),
    paragraphs: [`Träff ${meeting} i ${group.name} är avslutad. Registrera vilka barn som var där.`],
    action: { label: 'Registrera närvaro', url },
    after: [until(expiresAt)],
  };
}

export function absenceNotice(r: R, to: { name: string }, meeting: number): EmailContent {
  return {
    template: 'absence-notice',
    language: 'sv',
    subject: `Frånvaro två gånger i rad: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Barnet i ärende ${r.referralId} var frånvarande vid träff ${meeting - 1} och träff ${meeting}. Hör gärna av dig till familjehemmet.`,
    ],
  };
}
