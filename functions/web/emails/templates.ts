/**
 * Email texts. Swedish by default; English where the recipient chose it (custodians). Emails never
 * carry an identity number, an address or placement details, and a child with protected identity is
 * never named (childDisplayName).
 */
import { DateTime } from 'luxon';
import { childDisplayName, type Language, type Outcome, type Referral } from '../../domain/referral';
import type { StepName } from '../../domain/steps';
import type { EmailContent } from './render';

type R = Pick<Referral, 'referralId' | 'child' | 'district'>;

function date(iso: string, lang: Language): string {
  return DateTime.fromISO(iso, { zone: 'Europe/Stockholm' })
    .setLocale(lang === 'en' ? 'en-GB' : 'sv-SE')
    .toLocaleString(DateTime.DATE_FULL);
}

export function intakeReceived(r: R, to: { name: string }): EmailContent {
  return {
    template: 'intake-received',
    language: 'sv',
    subject: `Anmälan ${r.referralId} har tagits emot`,
    greeting: `Hej ${to.name},`,
    paragraphs: [
      `Din anmälan till Bris stödgrupper har tagits emot och har referensnummer ${r.referralId}.`,
      'Bris samordnare går nu igenom anmälan. Du får ett mejl vid varje beslut och när ärendet avslutas.',
    ],
  };
}

export function stepRequest(
  step: StepName,
  r: R,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  renewed = false,
): EmailContent {
  const lang = to.language;
  const child = childDisplayName(r);
  const until =
    lang === 'en'
      ? `The link works once and until ${date(expiresAt, lang)}.`
      : `Länken fungerar en gång och till och med ${date(expiresAt, lang)}.`;
  const renewedNote = renewed
    ? [
        lang === 'en'
          ? 'You asked for a new link; the earlier one no longer works.'
          : 'Du bad om en ny länk; den tidigare fungerar inte längre.',
      ]
    : [];
  switch (step) {
    case 'screening':
      return {
        template: 'screening-request',
        language: 'sv',
        subject: `Ny anmälan att bedöma: ${r.referralId}`,
        greeting: `Hej ${to.name},`,
        paragraphs: [
          ...renewedNote,
          `En ny anmälan till stödgrupp har kommit in från stadsdelsområde ${r.district} (ärende ${r.referralId}, barnet är ${r.child.ageAtReferral} år).`,
          'Öppna länken för att godkänna eller avslå anmälan.',
        ],
        action: { label: 'Bedöm anmälan', url },
        after: [until],
      };
    case 'consent':
      return lang === 'en'
        ? {
            template: 'consent-request',
            language: 'en',
            subject: 'Your consent: a Bris support group',
            greeting: `Dear ${to.name},`,
            paragraphs: [
              ...renewedNote,
              `The social services have suggested that ${child} takes part in a support group run by Bris, the children's rights organisation, together with other children who live in family homes.`,
              "The group is held in Bris's own premises. We need the consent of every custodian. Open the link to read more and to give or refuse your consent. You can withdraw your consent at any time.",
            ],
            action: { label: 'Read more and answer', url },
            after: [until],
          }
        : {
            template: 'consent-request',
            language: 'sv',
            subject: 'Ditt samtycke: stödgrupp hos Bris',
            greeting: `Hej ${to.name},`,
            paragraphs: [
              ...renewedNote,
              `Socialtjänsten föreslår att ${child} får delta i en stödgrupp hos Bris tillsammans med andra barn som bor i familjehem.`,
              'Gruppen träffas i Bris egna lokaler. Vi behöver samtycke från alla vårdnadshavare. Öppna länken för att läsa mer och svara ja eller nej. Du kan när som helst återkalla ditt samtycke.',
            ],
            action: { label: 'Läs mer och svara', url },
            after: [until],
          };
    case 'group-assignment':
      return {
        template: 'group-assignment-request',
        language: 'sv',
        subject: `Välj grupp: ${r.referralId}`,
        greeting: `Hej ${to.name},`,
        paragraphs: [
          ...renewedNote,
          `Samtycke finns för ärende ${r.referralId} (${r.child.ageAtReferral} år, ${r.district}). Barnet väntar nu på en grupp.`,
          'Öppna länken för att välja grupp.',
        ],
        action: { label: 'Välj grupp', url },
        after: [until],
      };
    case 'sessions':
      return {
        template: 'sessions-request',
        language: 'sv',
        subject: `Gruppen pågår: ${r.referralId}`,
        greeting: `Hej ${to.name},`,
        paragraphs: [
          ...renewedNote,
          `Ärende ${r.referralId} har fått plats i en grupp. När gruppens sista träff är genomförd, markera det med länken nedan så att uppföljningen startar.`,
        ],
        action: { label: 'Markera gruppen som genomförd', url },
        after: [until],
      };
  }
}

export function followUp(r: R, to: { name: string }, role: 'social-worker' | 'carer'): EmailContent {
  return role === 'social-worker'
    ? {
        template: 'follow-up-social-worker',
        language: 'sv',
        subject: `Uppföljning: ärende ${r.referralId}`,
        greeting: `Hej ${to.name},`,
        paragraphs: [
          `Gruppen för ärende ${r.referralId} är genomförd. Bris följer upp barnets och familjehemmets upplevelse.`,
          'Ärendet avslutas nu i stödgruppssystemet. Socialtjänstens egen akt är fortsatt den som gäller för ärendet.',
        ],
      }
    : {
        template: 'follow-up-carer',
        language: 'sv',
        subject: 'Tack för att ni var med i Bris stödgrupp',
        greeting: `Hej ${to.name},`,
        paragraphs: [
          `Nu är gruppen som ${childDisplayName(r)} deltog i avslutad. Tack för att ni följde med till träffarna.`,
          'Har ni frågor kan ni kontakta Bris eller socialsekreteraren.',
        ],
      };
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  completed: 'Gruppen är genomförd och ärendet är avslutat.',
  declined: 'Bris har avslagit anmälan.',
  'consent-refused': 'Vårdnadshavaren har inte samtyckt, så barnet kan inte delta.',
};

export function referralClosed(r: R, to: { name: string }, outcome: Outcome, reason?: string): EmailContent {
  return {
    template: `closed-${outcome}`,
    language: 'sv',
    subject: `Ärende ${r.referralId} är avslutat`,
    greeting: `Hej ${to.name},`,
    paragraphs: [OUTCOME_TEXT[outcome], ...(reason ? [`Skäl: ${reason}`] : [])],
    after: [`Referensnummer: ${r.referralId}.`],
  };
}
