/**
 * Email texts. Swedish by default; English where the recipient chose it (custodians). Emails never
 * carry an identity number, an address or placement details, and a child with protected identity is
 * never named (childDisplayName).
 */
import { DateTime } from 'luxon';
import type { Partnership } from '../../domain/partnership';
import {
  childDisplayName,
  type Custodian,
  type Language,
  type Outcome,
  type Referral,
} from '../../domain/referral';
import type { StepName } from '../../domain/steps';
import type { EmailContent } from './render';

type R = Pick<Referral, 'referralId' | 'child' | 'district'>;

function date(iso: string, lang: Language): string {
  return DateTime.fromISO(iso, { zone: 'Europe/Stockholm' })
    .setLocale(lang === 'en' ? 'en-GB' : 'sv-SE')
    .toLocaleString(DateTime.DATE_FULL);
}

function withdrawal(lang: Language, url: string | undefined): Pick<EmailContent, 'secondary'> {
  if (!url) return {};
  return {
    secondary:
      lang === 'en'
        ? {
            intro: 'You can withdraw the referral at any time, until it is closed:',
            label: 'Withdraw the referral',
            url,
          }
        : {
            intro: 'Du kan när som helst återkalla anmälan, fram till att den avslutas:',
            label: 'Återkalla anmälan',
            url,
          },
  };
}

export function intakeReceived(r: R, to: { name: string }, withdraw?: string): EmailContent {
  return {
    template: 'intake-received',
    language: 'sv',
    subject: `Anmälan ${r.referralId} har tagits emot`,
    greeting: `Hej ${to.name},`,
    paragraphs: [
      `Din anmälan till Bris stödgrupper har tagits emot och har referensnummer ${r.referralId}.`,
      'Bris samordnare går nu igenom anmälan. Du får ett mejl vid varje beslut och när ärendet avslutas.',
    ],
    ...withdrawal('sv', withdraw),
  };
}

export interface StepEmailOptions {
  renewed?: boolean;
  /** A withdrawal link for custodians. */
  withdraw?: string;
  /** Set when the social worker answers for a custodian without email (paper consent). */
  forCustodian?: Pick<Custodian, 'name' | 'number'>;
  partnership?: Pick<Partnership, 'consent'>;
}

function consentRequest(
  r: R,
  to: { name: string; language: Language },
  url: string,
  until: string,
  o: StepEmailOptions,
  renewedNote: string[],
): EmailContent {
  const child = childDisplayName(r);
  if (o.forCustodian) {
    return {
      template: 'consent-request-paper',
      language: 'sv',
      subject: `Samtycke på papper: ärende ${r.referralId}`,
      greeting: `Hej ${to.name},`,
      paragraphs: [
        ...renewedNote,
        `Vårdnadshavare ${o.forCustodian.number} (${o.forCustodian.name}) har ingen e-post. Inhämta samtycket på blanketten och registrera svaret med länken nedan, med en hänvisning till den underskrivna blanketten.`,
      ],
      action: { label: 'Registrera vårdnadshavarens svar', url },
      after: [until],
    };
  }
  return to.language === 'en'
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
        ...withdrawal('en', o.withdraw),
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
        ...withdrawal('sv', o.withdraw),
      };
}

export function stepRequest(
  step: StepName,
  r: R,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o: StepEmailOptions = {},
): EmailContent {
  const lang = o.forCustodian ? 'sv' : to.language;
  const until =
    lang === 'en'
      ? `The link works once and until ${date(expiresAt, lang)}.`
      : `Länken fungerar en gång och till och med ${date(expiresAt, lang)}.`;
  const renewedNote = o.renewed
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
      return consentRequest(r, to, url, until, o, renewedNote);
    case 'consent-escalation':
      return {
        template: 'consent-escalation',
        language: 'sv',
        subject: `Samtycke saknas: ärende ${r.referralId}`,
        greeting: `Hej ${to.name},`,
        paragraphs: [
          ...renewedNote,
          `Samtycke från alla vårdnadshavare har inte kommit in före tidsgränsen i ärende ${r.referralId}, trots påminnelser.`,
          `Öppna länken och välj: förläng tidsgränsen, registrera socialnämndens beslut enligt ${o.partnership?.consent.committeeDecisionCitation ?? 'Föräldrabalken 6 kap. 13 a §'} (beslutsdatum och diarienummer krävs), eller avsluta anmälan.`,
        ],
        action: { label: 'Välj hur ärendet ska gå vidare', url },
        after: [until],
      };
    case 'group-assignment':
    case 'sessions':
    case 'attendance':
      // Silent waits and group emails (see group-templates.ts) do not use this template.
      throw new Error(`No step request email for ${step}`);
  }
}

export function consentReminder(
  r: R,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o: Pick<StepEmailOptions, 'withdraw' | 'forCustodian'>,
): EmailContent {
  const request = stepRequest('consent', r, to, url, expiresAt, o);
  const lang = request.language;
  return {
    ...request,
    template: o.forCustodian ? 'consent-reminder-paper' : 'consent-reminder',
    subject: lang === 'en' ? `Reminder: ${request.subject}` : `Påminnelse: ${request.subject}`,
    paragraphs: [
      lang === 'en'
        ? 'We have not yet received an answer. This is a reminder; the link in this email replaces the earlier one.'
        : 'Vi har ännu inte fått något svar. Det här är en påminnelse; länken i det här mejlet ersätter den tidigare.',
      ...request.paragraphs,
    ],
  };
}

export function withdrawnNotice(r: R, to: { name: string }): EmailContent {
  return {
    template: 'withdrawn-coordinator',
    language: 'sv',
    subject: `Anmälan ${r.referralId} är återkallad`,
    greeting: `Hej ${to.name},`,
    paragraphs: [
      `Anmälan ${r.referralId} (${r.district}) har återkallats. Barnet deltar inte; en eventuell plats i en grupp är frigjord.`,
    ],
  };
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  completed: 'Gruppen är genomförd och ärendet är avslutat.',
  declined: 'Bris har avslagit anmälan.',
  'consent-refused': 'En vårdnadshavare har inte samtyckt, så barnet kan inte delta. Anmälan är avslutad.',
  'consent-not-obtained': 'Samtycke kom inte in och anmälan avslutades enligt ditt val.',
  withdrawn: 'Anmälan är återkallad. Bris har fått besked, och en eventuell plats i en grupp är frigjord.',
  'no-group':
    'Det gick inte att bilda en grupp för barnet inom den längsta väntetiden, så anmälan är avslutad. Du kan göra en ny anmälan när det är aktuellt.',
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

export function evaluationRequest(
  r: R,
  to: { name: string },
  links: { carer: string; child: string },
  round: 'first' | 'later',
  reminder = false,
): EmailContent {
  const child = childDisplayName(r);
  return {
    template: reminder ? 'evaluation-reminder' : round === 'first' ? 'evaluation-request' : 'later-follow-up',
    language: 'sv',
    subject: reminder
      ? 'Påminnelse: några frågor om Bris stödgrupp'
      : round === 'first'
        ? 'Några frågor om Bris stödgrupp'
        : 'Hur har det gått sedan stödgruppen?',
    greeting: `Hej ${to.name},`,
    paragraphs: [
      round === 'first'
        ? `Gruppen som ${child} deltog i är avslutad. Vi vill gärna veta hur det var, både för barnet och för er.`
        : `Det har gått en tid sedan gruppen som ${child} deltog i. Vi vill gärna veta hur det har gått sedan dess.`,
      'Det tar några minuter. Svaren används för att följa upp och utveckla verksamheten.',
    ],
    action: { label: 'Svara på familjehemmets frågor', url: links.carer },
    secondary: {
      intro: 'Barnets egna frågor: ge länken till barnet, eller hjälp barnet att svara:',
      label: 'Barnets frågor',
      url: links.child,
    },
  };
}

export function followUpSummary(
  r: R,
  to: { name: string },
  facts: {
    format?: string;
    attended?: number;
    scheduled?: number;
    childAnswered: boolean;
    carerAnswered: boolean;
  },
): EmailContent {
  const format = facts.format === 'weekly' ? 'veckogrupp' : facts.format === 'weekend' ? 'stödhelg' : 'grupp';
  return {
    template: 'follow-up-summary',
    language: 'sv',
    subject: `Sammanfattning: ärende ${r.referralId}`,
    greeting: `Hej ${to.name},`,
    paragraphs: [
      `Ärende ${r.referralId} deltog i en ${format} och var med vid ${facts.attended ?? 0} av ${facts.scheduled ?? 0} träffar.`,
      `Utvärdering: barnet har ${facts.childAnswered ? 'svarat' : 'inte svarat'}, familjehemmet har ${facts.carerAnswered ? 'svarat' : 'inte svarat'}.`,
      'En senare uppföljning skickas till familjehemmet om några månader; därefter avslutas ärendet.',
    ],
  };
}
