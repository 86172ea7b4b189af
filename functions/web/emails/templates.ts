/**
 * What every email shares: the greeting, the staff link, a note's mention, dates, the withdrawal offer,
 * the parts and type of a step's request email, and the kernel's generic reminder and overdue emails.
 * Each phase's own emails live with the phase (functions/phases/<phase>/emails.ts).
 *
 * Swedish by default; English where the recipient reads English (a custodian's choice, the language the
 * social worker used on the form, a staff member's setting on the staff list). Emails never
 * carry an identity number, an address or placement details, and a child with protected identity is
 * never named (childDisplayName). They never quote what a person typed: a note (a decline reason, a
 * withdrawal reason, a questionnaire comment) is mentioned and linked to the staff page, which asks for
 * sign-in; a name is printed only when it is a plain name (printableName), else the greeting has none.
 */
import { printableName } from '../../domain/free-text';
import type { NoteKind } from '../../domain/notes';
import type { Partnership } from '../../domain/partnership';
import type { Custodian, Language, Referral } from '../../domain/referral';
import type { StepName } from '../../domain/steps';
import { longDate } from '../../domain/stockholm-dates';
import type { EmailContent } from './render';

/** What of a referral an email may use: its reference code, the child (for age and display name), the district. */
export type EmailReferral = Pick<Referral, 'referralId' | 'child' | 'district'>;

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

const NOTE_TEXT: Record<NoteKind, Record<Language, { paragraph: string; label: string }>> = {
  'decline-reason': {
    sv: {
      paragraph:
        'Bris har skrivit en motivering till beslutet. Den skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa den.',
      label: 'Läs motiveringen (kräver inloggning)',
    },
    en: {
      paragraph:
        'Bris has written the reasons for the decision. They are not sent by email: sign in with your email address and open the referral to read them.',
      label: 'Read the reasons (sign-in needed)',
    },
  },
  'withdrawal-reason': {
    sv: {
      paragraph:
        'Den som återkallade anmälan skrev ett skäl. Det skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa det.',
      label: 'Läs skälet (kräver inloggning)',
    },
    en: {
      paragraph:
        'The person who withdrew the referral gave a reason. It is not sent by email: sign in with your email address and open the referral to read it.',
      label: 'Read the reason (sign-in needed)',
    },
  },
  'questionnaire-comment': {
    sv: {
      paragraph:
        'I utvärderingen finns en kommentar i fritext. Den skickas inte med e-post: logga in med din e-postadress och öppna ärendet för att läsa den.',
      label: 'Läs kommentaren (kräver inloggning)',
    },
    en: {
      paragraph:
        'The evaluation has a written comment. It is not sent by email: sign in with your email address and open the referral to read it.',
      label: 'Read the comment (sign-in needed)',
    },
  },
};

/** That a note exists, and where to read it after signing in: never the note itself. */
export interface NoteLink {
  kind: NoteKind;
  url: string;
}

export function noteParts(
  note: NoteLink | undefined,
  lang: Language = 'sv',
): Pick<EmailContent, 'paragraphs' | 'action'> {
  if (!note) return { paragraphs: [] };
  const t = NOTE_TEXT[note.kind][lang];
  return { paragraphs: [t.paragraph], action: { label: t.label, url: note.url } };
}

/** "Referensnummer: R-…." / "Reference code: R-….": the last line of a referral's staff emails. */
export function referenceLine(referralId: string, lang: Language): string {
  return lang === 'en' ? `Reference code: ${referralId}.` : `Referensnummer: ${referralId}.`;
}

/** A date or moment written out ("1 december 2026"), Stockholm's day. */
export function fullDate(iso: string, lang: Language): string {
  return longDate(iso, lang);
}

export function withdrawalOffer(lang: Language, url: string | undefined): Pick<EmailContent, 'secondary'> {
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

export interface StepEmailOptions {
  renewed?: boolean;
  /** A withdrawal link for custodians. */
  withdraw?: string;
  /** Set when the social worker answers for a custodian without email (paper consent). */
  forCustodian?: Pick<Custodian, 'name' | 'number'> & {
    /** The custodian has an address, but email to it came back: another address may be given instead. */
    emailBounced?: boolean;
  };
  partnership?: Pick<Partnership, 'consent'>;
}

/** The opening lines every step request shares: until when its link works, and a renewed link's note. */
export function requestParts(lang: Language, expiresAt: string, renewed?: boolean) {
  const until =
    lang === 'en'
      ? `The link works once and until ${fullDate(expiresAt, lang)}.`
      : `Länken fungerar en gång och till och med ${fullDate(expiresAt, lang)}.`;
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
  r: EmailReferral,
  to: { name: string; language: Language },
  url: string,
  expiresAt: string,
  o?: StepEmailOptions,
) => EmailContent;

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

const OVERDUE_STEP: Record<string, Record<Language, { what: string; owner: string }>> = {
  screening: {
    sv: { what: 'bedömning av anmälan', owner: 'Bris samordnare' },
    en: { what: 'screening of the referral', owner: "Bris's coordinator" },
  },
  'consent-escalation': {
    sv: { what: 'socialsekreterarens besked om samtycke', owner: 'socialsekreteraren' },
    en: { what: "the social worker's answer on consent", owner: 'the social worker' },
  },
  'home-visit': {
    sv: { what: 'hembesök i familjehemmet', owner: 'gruppledaren' },
    en: { what: 'the home visit to the family home', owner: 'the group leader' },
  },
};

const OVERDUE_ANY: Record<Language, { what: string; owner: string }> = {
  sv: { what: 'ett steg', owner: 'den som ska svara' },
  en: { what: 'a step', owner: 'the person who should answer' },
};

const capitalised = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/**
 * An overdue step, told to the person above its owner, in her language: which referral, what waits, since
 * when, and where to act (the staff pages, after sign-in). No name of the child, no free text.
 */
export function stepOverdue(
  step: StepName,
  r: EmailReferral,
  to: { name: string; role: string; language?: Language },
  o: { since: string; deadline: string; staffUrl: string; coordinator: { name: string; email: string } },
): EmailContent {
  const lang = to.language ?? 'sv';
  const s = OVERDUE_STEP[step]?.[lang] ?? OVERDUE_ANY[lang];
  // The partnership's follow-up cannot open a referral (staff-access): it is told whom to contact instead.
  const canAct = to.role !== 'partnership-admin';
  const action = canAct
    ? { action: { label: lang === 'en' ? 'Open the referral' : 'Öppna ärendet', url: o.staffUrl } }
    : {};
  return lang === 'en'
    ? {
        template: `${step}-overdue`,
        language: 'en',
        subject: `Overdue: ${s.what} in referral ${r.referralId}`,
        greeting: greeting(to.name, 'en'),
        paragraphs: [
          `Referral ${r.referralId} has waited for ${s.what} since ${fullDate(o.since, 'en')}. ${capitalised(s.owner)} has been reminded.`,
          `If nothing happens, the step ends on ${fullDate(o.deadline, 'en')} and the referral goes on as the routine says.`,
          canAct
            ? 'Sign in to see the referral and act, under My tasks.'
            : `Contact Bris's coordinator ${o.coordinator.name} (${o.coordinator.email}) about the delay.`,
        ],
        ...action,
        after: [referenceLine(r.referralId, 'en')],
      }
    : {
        template: `${step}-overdue`,
        language: 'sv',
        subject: `Försenat: ${s.what} i ärende ${r.referralId}`,
        greeting: greeting(to.name),
        paragraphs: [
          `Ärende ${r.referralId} har väntat på ${s.what} sedan ${fullDate(o.since, 'sv')}. ${capitalised(s.owner)} har påmints.`,
          `Om inget händer avslutas steget ${fullDate(o.deadline, 'sv')} och ärendet går vidare enligt rutinen.`,
          canAct
            ? 'Logga in för att se ärendet och agera, under Mina uppgifter.'
            : `Kontakta Bris samordnare ${o.coordinator.name} (${o.coordinator.email}) om förseningen.`,
        ],
        ...action,
        after: [referenceLine(r.referralId, 'sv')],
      };
}
