/** Emails of the closure phase: a withdrawal told to the coordinator, and the outcome told to the social worker. */
import type { Language, Outcome } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import {
  type EmailReferral,
  greeting,
  type NoteLink,
  noteParts,
  referenceLine,
} from '../../web/emails/templates';

/** To the coordinator, in her language (her setting on the staff list). */
export function withdrawnNotice(
  r: EmailReferral,
  to: { name: string; language?: Language },
  note?: NoteLink,
): EmailContent {
  const lang = to.language ?? 'sv';
  const n = noteParts(note, lang);
  return {
    template: 'withdrawn-coordinator',
    language: lang,
    subject:
      lang === 'en' ? `Referral ${r.referralId} is withdrawn` : `Anmälan ${r.referralId} är återkallad`,
    greeting: greeting(to.name, lang),
    paragraphs: [
      lang === 'en'
        ? `Referral ${r.referralId} (${r.district}) has been withdrawn. The child will not take part; any place in a group has been freed.`
        : `Anmälan ${r.referralId} (${r.district}) har återkallats. Barnet deltar inte; en eventuell plats i en grupp är frigjord.`,
      ...n.paragraphs,
    ],
    action: n.action,
  };
}

const OUTCOME_TEXT: Record<Outcome, Record<Language, string>> = {
  completed: {
    sv: 'Gruppen är genomförd och ärendet är avslutat.',
    en: 'The group has been completed and the referral is closed.',
  },
  declined: { sv: 'Bris har avslagit anmälan.', en: 'Bris has declined the referral.' },
  'consent-refused': {
    sv: 'En vårdnadshavare har inte samtyckt, så barnet kan inte delta. Anmälan är avslutad.',
    en: 'A custodian has not consented, so the child cannot take part. The referral is closed.',
  },
  'consent-not-obtained': {
    sv: 'Samtycke kom inte in i tid, så anmälan är avslutad.',
    en: 'Consent did not come in time, so the referral is closed.',
  },
  withdrawn: {
    sv: 'Anmälan är återkallad. Bris har fått besked, och en eventuell plats i en grupp är frigjord.',
    en: 'The referral is withdrawn. Bris has been told, and any place in a group has been freed.',
  },
  'no-group': {
    sv: 'Det gick inte att bilda en grupp för barnet inom den längsta väntetiden, så anmälan är avslutad. Du kan göra en ny anmälan när det är aktuellt.',
    en: 'No group could be formed for the child within the longest waiting time, so the referral is closed. You can make a new referral when it is relevant.',
  },
  'not-screened': {
    sv: 'Bris hann inte bedöma anmälan inom tidsfristen, trots påminnelser, så anmälan är avslutad. Du kan göra en ny anmälan; Bris har fått besked om förseningen.',
    en: 'Bris did not screen the referral within the time limit, despite reminders, so the referral is closed. You can make a new referral; Bris has been told of the delay.',
  },
  'home-visit-declined': {
    sv: 'Familjehemmet tackade nej till Bris hembesök, som alltid görs innan ett barn börjar i en grupp. Barnets plats i gruppen är frigjord och anmälan är avslutad. Du kan göra en ny anmälan när det är aktuellt.',
    en: "The family home declined Bris's home visit, which always comes before a child starts in a group. The child's place in the group has been freed and the referral is closed. You can make a new referral when it is relevant.",
  },
  'no-home-visit': {
    sv: 'Bris hann inte göra hembesöket i familjehemmet innan gruppen började, så barnets plats i gruppen är frigjord och anmälan är avslutad. Du kan göra en ny anmälan; Bris har fått besked om förseningen.',
    en: "Bris could not make the home visit to the family home before the group began, so the child's place in the group has been freed and the referral is closed. You can make a new referral; Bris has been told of the delay.",
  },
};

/**
 * The social worker hears the outcome, in the language she used on the form; a decline or withdrawal
 * reason is only pointed to (`note`).
 */
export function referralClosed(
  r: EmailReferral,
  to: { name: string; language?: Language },
  outcome: Outcome,
  note?: NoteLink,
): EmailContent {
  const lang = to.language ?? 'sv';
  const n = noteParts(note, lang);
  return {
    template: `closed-${outcome}`,
    language: lang,
    subject: lang === 'en' ? `Referral ${r.referralId} is closed` : `Ärende ${r.referralId} är avslutat`,
    greeting: greeting(to.name, lang),
    paragraphs: [OUTCOME_TEXT[outcome][lang], ...n.paragraphs],
    action: n.action,
    after: [referenceLine(r.referralId, lang)],
  };
}
