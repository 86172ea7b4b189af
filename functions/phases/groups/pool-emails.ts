/**
 * The emails of an age band's group proposal clock: the coordinator's reminders, and the escalation to
 * the people above her, each in the recipient's language (her setting on the staff list; Swedish when
 * unset). About the band, never about a child: no name, no reference code (the pool page lists the
 * children after sign-in), no free text.
 */
import type { Proposal } from '../../domain/grouping';
import type { Language } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { fullDate, greeting } from '../../web/emails/templates';
import { weeklyGroupEn, weeklyGroupSv } from './proposal-words';

/** The band's page in the staff task inbox: a plain link, not a capability (the page asks for sign-in). */
export function staffPoolUrl(publicBaseUrl: string, ageBand: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff/tasks/pool/${encodeURIComponent(ageBand)}`;
}

const band = (ageBand: string, lang: Language) =>
  `${ageBand.replace('-', '–')} ${lang === 'en' ? 'years' : 'år'}`;

/** "en veckogrupp i Bromma med 5 barn", "a support weekend with 3 children". */
function proposalText(p: Proposal, lang: Language): string {
  if (lang === 'en') {
    const format = p.format === 'weekly' ? `a ${weeklyGroupEn(p.district)}` : 'a support weekend';
    return `${format} with ${p.members.length} children`;
  }
  const format = p.format === 'weekly' ? `en ${weeklyGroupSv(p.district)}` : 'en stödhelg';
  return `${format} med ${p.members.length} barn`;
}

function proposalsText(proposals: Proposal[], lang: Language): string {
  const [first, ...more] = proposals;
  if (!first) return lang === 'en' ? 'a group' : 'en grupp';
  if (!more.length) return proposalText(first, lang);
  return lang === 'en'
    ? `${proposalText(first, lang)} (and ${more.length} more proposals)`
    : `${proposalText(first, lang)} (och ${more.length} förslag till)`;
}

/** Reminder `n` to the coordinator: the proposal still waits for her, with a fresh link to it. */
export function poolProposalReminder(
  ageBand: string,
  to: { name: string; language?: Language },
  o: {
    n: number;
    since: string;
    proposals: Proposal[];
    url: string;
    expiresAt: string;
    staffUrl: string;
  },
): EmailContent {
  const lang = to.language ?? 'sv';
  const b = band(ageBand, lang);
  return lang === 'en'
    ? {
        template: 'pool-proposal-reminder',
        language: 'en',
        subject: `Reminder: a group proposal for ${b} waits for your decision`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Since ${fullDate(o.since, 'en')}, ${proposalsText(o.proposals, 'en')} can be formed for ${b}. The proposal waits for your decision: confirm the group, change it, or let the children wait.`,
          o.n > 1
            ? 'This is a reminder; the link in this email replaces the one in the previous reminder.'
            : 'This is a reminder.',
          `You always find the proposal under My tasks once you have signed in: ${o.staffUrl}`,
        ],
        action: { label: 'Open the group proposal', url: o.url },
        after: [`The link works once and until ${fullDate(o.expiresAt, 'en')}.`],
      }
    : {
        template: 'pool-proposal-reminder',
        language: 'sv',
        subject: `Påminnelse: gruppförslag för ${b} väntar på ditt beslut`,
        greeting: greeting(to.name),
        paragraphs: [
          `Sedan ${fullDate(o.since, 'sv')} kan ${proposalsText(o.proposals, 'sv')} bildas för ${b}. Förslaget väntar på ditt beslut: bekräfta gruppen, ändra den, eller låt barnen vänta.`,
          o.n > 1
            ? 'Det här är en påminnelse; länken i det här mejlet ersätter den i förra påminnelsen.'
            : 'Det här är en påminnelse.',
          `Du hittar alltid förslaget under Mina uppgifter när du har loggat in: ${o.staffUrl}`,
        ],
        action: { label: 'Öppna gruppförslaget', url: o.url },
        after: [`Länken fungerar en gång och till och med ${fullDate(o.expiresAt, 'sv')}.`],
      };
}

/**
 * To the people above the coordinator: a proposal has waited past its escalation day. Bris's other
 * coordinators can act from the inbox; the partnership's follow-up cannot, and is told whom to contact.
 */
export function poolProposalOverdue(
  ageBand: string,
  to: { name: string; role: string; language?: Language },
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
  const lang = to.language ?? 'sv';
  const b = band(ageBand, lang);
  const canAct = to.role !== 'partnership-admin';
  const c = o.coordinator;
  if (lang === 'en') {
    const times = o.reminders === 1 ? 'once' : `${o.reminders} times`;
    return {
      template: 'pool-proposal-overdue',
      language: 'en',
      subject: `Overdue: a group proposal for ${b}`,
      greeting: greeting(to.name, 'en'),
      paragraphs: [
        `A proposal for a new group for ${b} has waited for the coordinator's decision since ${fullDate(o.since, 'en')}.${o.reminders ? ` The coordinator ${c.name} has been reminded ${times}.` : ''}`,
        `${o.waiting} children wait in the age band. If no group is formed, the referral of the child who has waited longest closes on ${fullDate(o.firstNoGroupAt, 'en')}, without a group.`,
        canAct
          ? 'Sign in and open the proposal under My tasks to confirm a group.'
          : `Contact Bris's coordinator ${c.name} (${c.email}) about the delay.`,
      ],
      ...(canAct ? { action: { label: 'Open the group proposal', url: o.staffUrl } } : {}),
    };
  }
  return {
    template: 'pool-proposal-overdue',
    language: 'sv',
    subject: `Försenat: gruppförslag för ${b}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Ett förslag på ny grupp för ${b} har väntat på samordnarens beslut sedan ${fullDate(o.since, 'sv')}.${o.reminders ? ` Samordnaren ${c.name} har påmints ${o.reminders === 1 ? 'en gång' : `${o.reminders} gånger`}.` : ''}`,
      `${o.waiting} barn väntar i åldersgruppen. Bildas ingen grupp avslutas anmälan för det barn som har väntat längst ${fullDate(o.firstNoGroupAt, 'sv')}, utan grupp.`,
      canAct
        ? 'Logga in och öppna förslaget under Mina uppgifter för att bekräfta en grupp.'
        : `Kontakta Bris samordnare ${c.name} (${c.email}) om förseningen.`,
    ],
    ...(canAct ? { action: { label: 'Öppna gruppförslaget', url: o.staffUrl } } : {}),
  };
}
