/** Emails of the follow-up phase: the questionnaires to the family home, and the summary to the social worker. */
import { childDisplayName } from '../../domain/referral';
import type { EmailContent } from '../../web/emails/render';
import { type EmailReferral, greeting, type NoteLink, noteParts } from '../../web/emails/templates';

export function evaluationRequest(
  r: EmailReferral,
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
  r: EmailReferral,
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
