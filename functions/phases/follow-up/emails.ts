/** Emails of the follow-up phase: the questionnaires to the family home, and the summary to the social worker. */
import { childDisplayName, type Language } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { type EmailReferral, greeting, type NoteLink, noteParts } from '../../web/emails/templates';

const EVALUATION = {
  sv: {
    subject: { first: 'Några frågor om Bris stödgrupp', later: 'Hur har det gått sedan stödgruppen?' },
    reminder: 'Påminnelse: några frågor om Bris stödgrupp',
    opening: {
      first: (child: string) =>
        `Gruppen som ${child} deltog i är avslutad. Vi vill gärna veta hur det var, både för barnet och för er.`,
      later: (child: string) =>
        `Det har gått en tid sedan gruppen som ${child} deltog i. Vi vill gärna veta hur det har gått sedan dess.`,
    },
    minutes: 'Det tar några minuter. Svaren används för att följa upp och utveckla verksamheten.',
    carer: 'Svara på familjehemmets frågor',
    childIntro: 'Barnets egna frågor: ge länken till barnet, eller hjälp barnet att svara:',
    child: 'Barnets frågor',
  },
  en: {
    subject: {
      first: 'A few questions about the Bris support group',
      later: 'How have things been since the support group?',
    },
    reminder: 'Reminder: a few questions about the Bris support group',
    opening: {
      first: (child: string) =>
        `The group ${child} took part in has ended. We would like to know how it was, for the child and for you.`,
      later: (child: string) =>
        `Some time has passed since the group ${child} took part in. We would like to know how things have been since then.`,
    },
    minutes: 'It takes a few minutes. The answers are used to follow up and improve the programme.',
    carer: "Answer the family home's questions",
    childIntro: "The child's own questions: give the link to the child, or help the child to answer:",
    child: "The child's questions",
  },
} as const;

/** To the family home, in the language the referral form chose for it (Swedish when none was chosen). */
export function evaluationRequest(
  r: EmailReferral,
  to: { name: string; language?: Language },
  links: { carer: string; child: string },
  round: 'first' | 'later',
  reminder = false,
): EmailContent {
  const lang = to.language ?? 'sv';
  const t = EVALUATION[lang];
  const child = childDisplayName(r, lang);
  return {
    template: reminder ? 'evaluation-reminder' : round === 'first' ? 'evaluation-request' : 'later-follow-up',
    language: lang,
    subject: reminder ? t.reminder : t.subject[round],
    greeting: greeting(to.name, lang),
    paragraphs: [t.opening[round](child), t.minutes],
    action: { label: t.carer, url: links.carer },
    secondary: { intro: t.childIntro, label: t.child, url: links.child },
  };
}

const FORMAT_NAME: Record<Language, Record<string, string>> = {
  sv: { weekly: 'veckogrupp', weekend: 'stödhelg' },
  en: { weekly: 'weekly group', weekend: 'support weekend' },
};

/** To the social worker, in the language she used on the form. */
export function followUpSummary(
  r: EmailReferral,
  to: { name: string; language?: Language },
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
  const lang = to.language ?? 'sv';
  const n = noteParts(comments, lang);
  const attended = facts.attended ?? 0;
  const scheduled = facts.scheduled ?? 0;
  if (lang === 'en') {
    const format = FORMAT_NAME.en[facts.format ?? ''] ?? 'group';
    const answered = (yes: boolean) => (yes ? 'has answered' : 'has not answered');
    return {
      template: 'follow-up-summary',
      language: 'en',
      subject: `Summary: referral ${r.referralId}`,
      greeting: greeting(to.name, 'en'),
      paragraphs: [
        `The child in referral ${r.referralId} took part in a ${format} and attended ${attended} of ${scheduled} meetings.`,
        `Evaluation: the child ${answered(facts.childAnswered)}, the family home ${answered(facts.carerAnswered)}.`,
        ...n.paragraphs,
        'A later follow-up goes to the family home in a few months; then the referral is closed.',
      ],
      action: n.action,
    };
  }
  const format = FORMAT_NAME.sv[facts.format ?? ''] ?? 'grupp';
  const answered = (yes: boolean) => (yes ? 'svarat' : 'inte svarat');
  return {
    template: 'follow-up-summary',
    language: 'sv',
    subject: `Sammanfattning: ärende ${r.referralId}`,
    greeting: greeting(to.name),
    paragraphs: [
      `Ärende ${r.referralId} deltog i en ${format} och var med vid ${attended} av ${scheduled} träffar.`,
      `Utvärdering: barnet har ${answered(facts.childAnswered)}, familjehemmet har ${answered(facts.carerAnswered)}.`,
      ...n.paragraphs,
      'En senare uppföljning skickas till familjehemmet om några månader; därefter avslutas ärendet.',
    ],
    action: n.action,
  };
}
