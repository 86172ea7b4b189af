/**
 * The emails of an age band's group proposal clock: the coordinator's reminders, and the escalation to
 * the people above her. Staff emails, in Swedish. About the band, never about a child: no name, no
 * reference code (the pool page lists the children after sign-in), no free text.
 */
import { DateTime } from 'luxon';
import type { Proposal } from '../../domain/grouping';
import { ZONE } from '../../domain/time-zone';
import type { EmailContent } from '../../web/emails/render';
import { greeting } from '../../web/emails/templates';
import { weeklyGroupSv } from './proposal-words';

/** The band's page in the staff task inbox: a plain link, not a capability (the page asks for sign-in). */
export function staffPoolUrl(publicBaseUrl: string, ageBand: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff/tasks/pool/${encodeURIComponent(ageBand)}`;
}

const band = (ageBand: string) => `${ageBand.replace('-', '–')} år`;

const day = (iso: string) =>
  DateTime.fromISO(iso, { zone: ZONE }).setLocale('sv-SE').toLocaleString(DateTime.DATE_FULL);

/** "en veckogrupp i Bromma med 5 barn", "en stödhelg med 3 barn". */
function proposalText(p: Proposal): string {
  const format = p.format === 'weekly' ? `en ${weeklyGroupSv(p.district)}` : 'en stödhelg';
  return `${format} med ${p.members.length} barn`;
}

function proposalsText(proposals: Proposal[]): string {
  const [first, ...more] = proposals;
  if (!first) return 'en grupp';
  return more.length ? `${proposalText(first)} (och ${more.length} förslag till)` : proposalText(first);
}

/** Reminder `n` to the coordinator: the proposal still waits for her, with a fresh link to it. */
export function poolProposalReminder(
  ageBand: string,
  to: { name: string },
  o: {
    n: number;
    since: string;
    proposals: Proposal[];
    url: string;
    expiresAt: string;
    staffUrl: string;
  },
): EmailContent {
  return {
    template: 'pool-proposal-reminder',
    language: 'sv',
    subject: `Påminnelse: gruppförslag för ${band(ageBand)} väntar på ditt beslut`,
    greeting: greeting(to.name),
    paragraphs: [
      `Sedan ${day(o.since)} kan ${proposalsText(o.proposals)} bildas för ${band(ageBand)}. Förslaget väntar på ditt beslut: bekräfta gruppen, ändra den, eller låt barnen vänta.`,
      o.n > 1
        ? 'Det här är en påminnelse; länken i det här mejlet ersätter den i förra påminnelsen.'
        : 'Det här är en påminnelse.',
      `Du hittar alltid förslaget under Mina uppgifter när du har loggat in: ${o.staffUrl}`,
    ],
    action: { label: 'Öppna gruppförslaget', url: o.url },
    after: [`Länken fungerar en gång och till och med ${day(o.expiresAt)}.`],
  };
}

/**
 * To the people above the coordinator: a proposal has waited past its escalation day. Bris's other
 * coordinators can act from the inbox; the partnership's follow-up cannot, and is told whom to contact.
 */
export function poolProposalOverdue(
  ageBand: string,
  to: { name: string; role: string },
  o: {
    since: string;
    reminders: number;
    waiting: number;
    /** When the child who has waited longest closes without a group, if no group is formed. */
    firstNoGroupAt: string;
    staffUrl: string;
    coordinator: { name: string; email: string };
  },
): EmailContent {
  const canAct = to.role !== 'partnership-admin';
  return {
    template: 'pool-proposal-overdue',
    language: 'sv',
    subject: `Försenat: gruppförslag för ${band(ageBand)}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Ett förslag på ny grupp för ${band(ageBand)} har väntat på samordnarens beslut sedan ${day(o.since)}.${o.reminders ? ` Samordnaren ${o.coordinator.name} har påmints ${o.reminders === 1 ? 'en gång' : `${o.reminders} gånger`}.` : ''}`,
      `${o.waiting} barn väntar i åldersgruppen. Bildas ingen grupp avslutas anmälan för det barn som har väntat längst ${day(o.firstNoGroupAt)}, utan grupp.`,
      canAct
        ? 'Logga in och öppna förslaget under Mina uppgifter för att bekräfta en grupp.'
        : `Kontakta Bris samordnare ${o.coordinator.name} (${o.coordinator.email}) om förseningen.`,
    ],
    ...(canAct ? { action: { label: 'Öppna gruppförslaget', url: o.staffUrl } } : {}),
  };
}
