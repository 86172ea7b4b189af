/**
 * The emails of attendance's timing policy: the reminder to the group leader (the request again, with a
 * fresh link that replaces the earlier one) and the overdue notice to the coordinator. They name the group
 * and the meeting, never a child, and the coordinator's notice links to the staff inbox (sign-in), not to
 * a capability. Each in its recipient's language (her setting on the staff list; Swedish when unset).
 */
import type { Group } from '../../domain/partnership';
import type { Language } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { fullDate, greeting } from '../../web/emails/templates';
import { attendanceRequest } from './emails';

export function attendanceReminder(
  group: Group,
  to: { name: string; language?: Language },
  meeting: number,
  url: string,
  expiresAt: string,
): EmailContent {
  const request = attendanceRequest(group, to, meeting, url, expiresAt);
  const en = request.language === 'en';
  return {
    ...request,
    template: 'attendance-request-reminder',
    subject: en ? `Reminder: ${request.subject}` : `Påminnelse: ${request.subject}`,
    paragraphs: [
      en
        ? 'The attendance is still waiting for you. This is a reminder; the link in this email replaces the earlier one.'
        : 'Närvaron väntar fortfarande på dig. Det här är en påminnelse; länken i det här mejlet ersätter den tidigare.',
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
  to: { name: string; language?: Language },
  meeting: number,
  o: { since: string; deadline: string; tasksUrl: string },
): EmailContent {
  const lang = to.language ?? 'sv';
  return lang === 'en'
    ? {
        template: 'attendance-overdue',
        language: 'en',
        subject: `Overdue: attendance for meeting ${meeting} of ${group.name}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `The attendance for meeting ${meeting} of ${group.name} has waited since ${fullDate(o.since, 'en')}. The group leader has been reminded.`,
          "You can record the attendance yourself under My tasks (sign-in needed). The group leader's link then stops working.",
          `If it is not recorded by ${fullDate(o.deadline, 'en')}, the meeting is noted as "attendance not recorded" for every child in the group, and the group goes on as planned.`,
        ],
        action: { label: 'Open My tasks', url: o.tasksUrl },
      }
    : {
        template: 'attendance-overdue',
        language: 'sv',
        subject: `Försenat: närvaro för träff ${meeting} i ${group.name}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Närvaron för träff ${meeting} i ${group.name} har väntat sedan ${fullDate(o.since, 'sv')}. Gruppledaren har påmints.`,
          'Du kan registrera närvaron själv under Mina uppgifter (kräver inloggning). Gruppledarens länk slutar då att gälla.',
          `Registreras den inte senast ${fullDate(o.deadline, 'sv')} noteras träffen som "närvaro inte registrerad" för varje barn i gruppen, och gruppen fortsätter som planerat.`,
        ],
        action: { label: 'Öppna Mina uppgifter', url: o.tasksUrl },
      };
}
