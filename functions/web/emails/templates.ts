/**
 * Email texts. Swedish by default; English where the recipient chose it (custodians). Emails never
 * carry an identity number, an address or placement details, and a child with protected identity is
 * never named (childDisplayName). They never quote what a person typed: a note (a decline reason, a
 * withdrawal reason, a questionnaire comment) is mentioned and linked to the staff page, which asks for
 * sign-in; a name is printed only when it is a plain name (printableName), else the greeting has none.
 */
import { DateTime } from 'luxon';
import { printableName } from '../../domain/free-text';
import type { NoteKind } from '../../domain/notes';
import type { Partnership } from '../../domain/partnership';
import {
  childDisplayName,
  type Custodian,
  type Language,
  type LegalBasis,
  type Outcome,
  type Referral,
} from '../../domain/referral';
import type { StepName } from '../../domain/steps';
import { SOCIAL_WORKER_NOTIFICATIONS } from './promises';
import type { EmailContent } from './render';

type R = Pick<Referral, 'referralId' | 'child' | 'district'>;

/** "Hej Vera," — or "Hej," when the stored name is not a plain name (never quote typed text). */
export function greeting(name: string | undefined, lang: Language = 'sv'): string {
  const n = printableName(name);
  if (lang === 'en') return n ? `Dear ${n},` : 'Hello,';
  return n ? `Hej ${n},` : 'Hej,';
}

/** The staff page of a referral: a plain link, not a capability (the page asks for sign-in). */
export function staffReferralUrl(publicBaseUrl: string, referralId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff/referrals/${encodeURIComponent(referralId)}`;
}

const NOTE_TEXT: Record<NoteKind, { paragraph: string; label: string }> = {
  'decline-reason': {
    paragraph:
      'Bris har skrivit en motivering till beslutet. Den skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa den.',
    label: 'Läs motiveringen (kräver inloggning)',
  },
  'withdrawal-reason': {
    paragraph:
      'Den som återkallade anmälan skrev ett skäl. Det skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa det.',
    label: 'Läs skälet (kräver inloggning)',
  },
  'questionnaire-comment': {
    paragraph:
      'I utvärderingen finns en kommentar i fritext. Den skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa den.',
    label: 'Läs kommentaren (kräver inloggning)',
  },
};

/** That a note exists, and where to read it after signing in: never the note itself. */
export interface NoteLink {
  kind: NoteKind;
  url: string;
}

function noteParts(note: NoteLink | undefined): Pick<EmailContent, 'paragraphs' | 'action'> {
  if (!note) return { paragraphs: [] };
  const t = NOTE_TEXT[note.kind];
  return { paragraphs: [t.paragraph], action: { label: t.label, url: note.url } };
}

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

/**
 * The receipt. Its promise is written from SOCIAL_WORKER_NOTIFICATIONS, the list the tests hold the
 * sending to: every email promised here is sent, and no other is.
 */
export function intakeReceived(
  r: R,
  to: { name: string; language?: Language },
  withdraw?: string,
): EmailContent {
  const lang = to.language ?? 'sv';
  const promises = SOCIAL_WORKER_NOTIFICATIONS.map((n) => `– ${n.promise[lang]}.`);
  return lang === 'en'
    ? {
        template: 'intake-received',
        language: 'en',
        subject: `Referral ${r.referralId} has been received`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Your referral to the Bris support groups has been received. Its reference code is ${r.referralId}.`,
          "Bris's coordinator will now look at the referral. You get an email:",
          ...promises,
        ],
        ...withdrawal('en', withdraw),
      }
    : {
        template: 'intake-received',
        language: 'sv',
        subject: `Anmälan ${r.referralId} har tagits emot`,
        greeting: greeting(to.name),
        paragraphs: [
          `Din anmälan till Bris stödgrupper har tagits emot och har referensnummer ${r.referralId}.`,
          'Bris samordnare går nu igenom anmälan. Du får ett mejl:',
          ...promises,
        ],
        ...withdrawal('sv', withdraw),
      };
}

/** Screening approved: the referral goes on to consent. No reason or note: an approval has none. */
export function screeningApproved(
  r: R & Pick<Referral, 'consentBasisRequested'>,
  to: { name: string; language: Language },
): EmailContent {
  const child = childDisplayName(r, to.language);
  return to.language === 'en'
    ? {
        template: 'screening-approved',
        language: 'en',
        subject: `Referral ${r.referralId} is approved`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Bris has approved referral ${r.referralId} for ${child}.`,
          r.consentBasisRequested === 'child'
            ? 'Next: the child consents alone, as you stated in the referral; you get an email when the consent is recorded.'
            : 'Next: every custodian is asked for consent by email (or on paper, through you, for a custodian without email). You get an email when consent is complete.',
        ],
        after: [`Reference code: ${r.referralId}.`],
      }
    : {
        template: 'screening-approved',
        language: 'sv',
        subject: `Anmälan ${r.referralId} är godkänd`,
        greeting: greeting(to.name),
        paragraphs: [
          `Bris har godkänt anmälan ${r.referralId} för ${child}.`,
          r.consentBasisRequested === 'child'
            ? 'Nästa steg: barnet samtycker självt, som du angav i anmälan; du får ett mejl när samtycket är registrerat.'
            : 'Nästa steg: alla vårdnadshavare tillfrågas om samtycke via e-post (eller på papper, genom dig, för den som saknar e-post). Du får ett mejl när samtycket är klart.',
        ],
        after: [`Referensnummer: ${r.referralId}.`],
      };
}

const BASIS_WORDS: Record<LegalBasis['kind'], Record<Language, string>> = {
  'custodian-consent': {
    sv: 'samtycke från samtliga vårdnadshavare',
    en: 'the consent of every custodian',
  },
  'child-consent': { sv: 'barnets eget samtycke', en: "the child's own consent" },
  'committee-decision': { sv: 'socialnämndens beslut', en: "the Social Welfare Committee's decision" },
};

/**
 * Consent is complete: which legal basis was recorded, in words. Never a decision's case reference, a
 * paper reference or who recorded it: those are typed, and read on the staff page.
 */
export function consentComplete(
  r: R,
  to: { name: string; language: Language },
  basis: Pick<LegalBasis, 'kind'>,
): EmailContent {
  const child = childDisplayName(r, to.language);
  const words = BASIS_WORDS[basis.kind][to.language];
  return to.language === 'en'
    ? {
        template: 'consent-complete',
        language: 'en',
        subject: `Consent complete: referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Consent is complete for ${child} (referral ${r.referralId}). The legal basis recorded is ${words}.`,
          'The child now waits for a place in a group. You get an email when the child is placed, with the format and start date.',
        ],
        after: [`Reference code: ${r.referralId}.`],
      }
    : {
        template: 'consent-complete',
        language: 'sv',
        subject: `Samtycket är klart: ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Samtycket är klart för ${child} (ärende ${r.referralId}). Den rättsliga grunden som registrerats är ${words}.`,
          'Barnet väntar nu på en plats i en grupp. Du får ett mejl när barnet har fått plats, med format och startdatum.',
        ],
        after: [`Referensnummer: ${r.referralId}.`],
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

function paperName(name: string): string {
  const n = printableName(name);
  return n ? ` (${n})` : '';
}

function consentRequest(
  r: R,
  to: { name: string; language: Language },
  url: string,
  until: string,
  o: StepEmailOptions,
  renewedNote: string[],
): EmailContent {
  const child = childDisplayName(r, to.language);
  if (o.forCustodian) {
    return {
      template: 'consent-request-paper',
      language: 'sv',
      subject: `Samtycke på papper: ärende ${r.referralId}`,
      greeting: greeting(to.name),
      paragraphs: [
        ...renewedNote,
        `Vårdnadshavare ${o.forCustodian.number}${paperName(o.forCustodian.name)} har ingen e-post. Inhämta samtycket på blanketten och registrera svaret med länken nedan, med en hänvisning till den underskrivna blanketten.`,
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
        greeting: greeting(to.name, 'en'),
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
        greeting: greeting(to.name),
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

/** The opening lines every step request shares: until when its link works, and a renewed link's note. */
function requestParts(lang: Language, expiresAt: string, renewed?: boolean) {
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
  return { until, renewedNote };
}

/** A step's request email, as its step module declares it (`email` in kernel/human-step.ts). */
export type StepRequestEmail = (
  r: R,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o?: StepEmailOptions,
) => EmailContent;

export const screeningRequest: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const { until, renewedNote } = requestParts('sv', expiresAt, o.renewed);
  return {
    template: 'screening-request',
    language: 'sv',
    subject: `Ny anmälan att bedöma: ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      ...renewedNote,
      `En ny anmälan till stödgrupp har kommit in från stadsdelsområde ${r.district} (ärende ${r.referralId}, barnet är ${r.child.ageAtReferral} år).`,
      'Öppna länken för att godkänna eller avslå anmälan.',
    ],
    action: { label: 'Bedöm anmälan', url },
    after: [until],
  };
};

export const consentRequestEmail: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const { until, renewedNote } = requestParts(o.forCustodian ? 'sv' : to.language, expiresAt, o.renewed);
  return consentRequest(r, to, url, until, o, renewedNote);
};

export const escalationRequest: StepRequestEmail = (r, to, url, expiresAt, o = {}) => {
  const { until, renewedNote } = requestParts('sv', expiresAt, o.renewed);
  return {
    template: 'consent-escalation',
    language: 'sv',
    subject: `Samtycke saknas: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      ...renewedNote,
      `Samtycke från alla vårdnadshavare har inte kommit in före tidsgränsen i ärende ${r.referralId}, trots påminnelser.`,
      `Öppna länken och välj: förläng tidsgränsen, registrera socialnämndens beslut enligt ${o.partnership?.consent.committeeDecisionCitation ?? 'Föräldrabalken 6 kap. 13 a §'} (beslutsdatum och diarienummer krävs), eller avsluta anmälan.`,
    ],
    action: { label: 'Välj hur ärendet ska gå vidare', url },
    after: [until],
  };
};

/** A reminder of a step other than consent: the request again, with a new link that replaces the earlier. */
export function stepReminder(request: EmailContent): EmailContent {
  const lang = request.language;
  return {
    ...request,
    template: `${request.template}-reminder`,
    subject: lang === 'en' ? `Reminder: ${request.subject}` : `Påminnelse: ${request.subject}`,
    paragraphs: [
      lang === 'en'
        ? 'This step is still waiting for you. This is a reminder; the link in this email replaces the earlier one.'
        : 'Det här steget väntar fortfarande på dig. Det här är en påminnelse; länken i det här mejlet ersätter den tidigare.',
      ...request.paragraphs,
    ],
  };
}

const OVERDUE_STEP: Record<string, { what: string; owner: string }> = {
  screening: { what: 'bedömning av anmälan', owner: 'Bris samordnare' },
  'consent-escalation': { what: 'socialsekreterarens besked om samtycke', owner: 'socialsekreteraren' },
};

/**
 * An overdue step, told to the person above its owner: which referral, what waits, since when, and where
 * to act (the staff pages, after sign-in). No name of the child, no free text.
 */
export function stepOverdue(
  step: StepName,
  r: R,
  to: { name: string; role: string },
  o: { since: string; deadline: string; staffUrl: string; coordinator: { name: string; email: string } },
): EmailContent {
  const s = OVERDUE_STEP[step] ?? { what: 'ett steg', owner: 'den som ska svara' };
  // The partnership's follow-up cannot open a referral (staff-access): it is told whom to contact instead.
  const canAct = to.role !== 'partnership-admin';
  return {
    template: `${step}-overdue`,
    language: 'sv',
    subject: `Försenat: ${s.what} i ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Ärende ${r.referralId} har väntat på ${s.what} sedan ${date(o.since, 'sv')}. ${s.owner.charAt(0).toUpperCase()}${s.owner.slice(1)} har påmints.`,
      `Om inget händer avslutas steget ${date(o.deadline, 'sv')} och ärendet går vidare enligt rutinen.`,
      canAct
        ? 'Logga in för att se ärendet och agera, under Mina uppgifter.'
        : `Kontakta Bris samordnare ${o.coordinator.name} (${o.coordinator.email}) om förseningen.`,
    ],
    ...(canAct ? { action: { label: 'Öppna ärendet', url: o.staffUrl } } : {}),
    after: [`Referensnummer: ${r.referralId}.`],
  };
}

export function consentReminder(
  r: R,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o: Pick<StepEmailOptions, 'withdraw' | 'forCustodian'> = {},
): EmailContent {
  const request = consentRequestEmail(r, to, url, expiresAt, o);
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

export function withdrawnNotice(r: R, to: { name: string }, note?: NoteLink): EmailContent {
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
};

/** The social worker hears the outcome; a decline or withdrawal reason is only pointed to (`note`). */
export function referralClosed(r: R, to: { name: string }, outcome: Outcome, note?: NoteLink): EmailContent {
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
    greeting: greeting(to.name),
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
  /** Set when an answer has a comment: it is read on the staff page, never mailed. */
  comments?: NoteLink,
): EmailContent {
  const n = noteParts(comments);
  const format = facts.format === 'weekly' ? 'veckogrupp' : facts.format === 'weekend' ? 'stödhelg' : 'grupp';
  return {
    template: 'follow-up-summary',
    language: 'sv',
    subject: `Sammanfattning: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Ärende ${r.referralId} deltog i en ${format} och var med vid ${facts.attended ?? 0} av ${facts.scheduled ?? 0} träffar.`,
      `Utvärdering: barnet har ${facts.childAnswered ? 'svarat' : 'inte svarat'}, familjehemmet har ${facts.carerAnswered ? 'svarat' : 'inte svarat'}.`,
      ...n.paragraphs,
      'En senare uppföljning skickas till familjehemmet om några månader; därefter avslutas ärendet.',
    ],
    action: n.action,
  };
}
