/**
 * The emails of attendance's timing policy: the reminder to the group leader (the request again, with a
 * fresh link that replaces the earlier one) and the overdue notice to the coordinator. They name the group
 * and the meeting, never a child, and the coordinator's notice links to the staff inbox (sign-in), not to
 * a capability.
 */
import { DateTime } from 'luxon';
import type { Group } from '../../domain/partnership';
import { ZONE } from '../../domain/time-zone';
import type { EmailContent } from '../../web/emails/render';
import { greeting } from '../../web/emails/templates';
import { attendanceRequest } from './emails';

const day = (iso: string) =>
  DateTime.fromISO(iso, { zone: ZONE }).setLocale('sv-SE').toLocaleString(DateTime.DATE_FULL);

export function attendanceReminder(
  group: Group,
  to: { name: string },
  meeting: number,
  url: string,
  expiresAt: string,
): EmailContent {
  const request = attendanceRequest(group, to, meeting, url, expiresAt);
  return {
    ...request,
    template: 'attendance-request-reminder',
    subject: `Påminnelse: ${request.subject}`,
    paragraphs: [
      'Närvaron väntar fortfarande på dig. Det här är en påminnelse; länken i det här mejlet ersätter den tidigare.',
      ...request.paragraphs,
    ],
  };
}

/** The staff task inbox, where the coordinator records attendance after signing in. */
export function staffTasksUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff/tasks`;
}

export function attendanceOverdue(
  group: Group,
  to: { name: string },
  meeting: number,
  o: { since: string; deadline: string; tasksUrl: string },
): EmailContent {
  return {
    template: 'attendance-overdue',
    language: 'sv',
    subject: `Försenat: närvaro för träff ${meeting} i ${group.name}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Närvaron för träff ${meeting} i ${group.name} har väntat sedan ${day(o.since)}. Gruppledaren har påmints.`,
      'Du kan registrera närvaron själv under Mina uppgifter (kräver inloggning). Gruppledarens länk slutar då att gälla.',
      `Registreras den inte senast ${day(o.deadline)} noteras träffen som "närvaro inte registrerad" för varje barn i gruppen, och gruppen fortsätter som planerat.`,
    ],
    action: { label: 'Öppna Mina uppgifter', url: o.tasksUrl },
  };
}
