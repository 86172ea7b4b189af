/** Emails of the closure phase: a withdrawal told to the coordinator, and the outcome told to the social worker. */
import type { Outcome } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { type EmailReferral, greeting, type NoteLink, noteParts } from '../../web/emails/templates';

export function withdrawnNotice(r: EmailReferral, to: { name: string }, note?: NoteLink): EmailContent {
  const n = noteParts(note);
  return {
    template: 'withdrawn-coordinator',
    language: 'sv',
    subject: `Anmälan ${r.referralId} är återkallad`,
    greeting: greeting(to.name),
    paragraphs: [
      `Anmälan ${r.referralId} (${r.district}) har återkallats. Barnet deltar inte; en eventuell plats i en grupp är frigjord.`,
      ...n.paragraphs,
    ],
    action: n.action,
  };
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  completed: 'Gruppen är genomförd och ärendet är avslutat.',
  declined: 'Bris har avslagit anmälan.',
  'consent-refused': 'En vårdnadshavare har inte samtyckt, så barnet kan inte delta. Anmälan är avslutad.',
  'consent-not-obtained': 'Samtycke kom inte in i tid, så anmälan är avslutad.',
  withdrawn: 'Anmälan är återkallad. Bris har fått besked, och en eventuell plats i en grupp är frigjord.',
  'no-group':
    'Det gick inte att bilda en grupp för barnet inom den längsta väntetiden, så anmälan är avslutad. Du kan göra en ny anmälan när det är aktuellt.',
  'not-screened':
    'Bris hann inte bedöma anmälan inom tidsfristen, trots påminnelser, så anmälan är avslutad. Du kan göra en ny anmälan; Bris har fått besked om förseningen.',
  'home-visit-declined':
    'Familjehemmet tackade nej till Bris hembesök, som alltid görs innan ett barn börjar i en grupp. Barnets plats i gruppen är frigjord och anmälan är avslutad. Du kan göra en ny anmälan när det är aktuellt.',
  'no-home-visit':
    'Bris hann inte göra hembesöket i familjehemmet innan gruppen började, så barnets plats i gruppen är frigjord och anmälan är avslutad. Du kan göra en ny anmälan; Bris har fått besked om förseningen.',
};

/** The social worker hears the outcome; a decline or withdrawal reason is only pointed to (`note`). */
export function referralClosed(
  r: EmailReferral,
  to: { name: string },
  outcome: Outcome,
  note?: NoteLink,
): EmailContent {
  const n = noteParts(note);
  return {
    template: `closed-${outcome}`,
    language: 'sv',
    subject: `Ärende ${r.referralId} är avslutat`,
    greeting: greeting(to.name),
    paragraphs: [OUTCOME_TEXT[outcome], ...n.paragraphs],
    action: n.action,
    after: [`Referensnummer: ${r.referralId}.`],
  };
}
