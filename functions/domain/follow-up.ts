/**
 * Follow-up and retention rules: the short questionnaire (items are partnership data), when the
 * summary and the later follow-up happen, and what is left of a referral after the retention period.
 */
import * as z from 'zod/mini';
import { freeTextSchema } from './free-text';
import { configuredMessage, message } from './messages';
import type { Outcome, Referral } from './referral';

export interface Questionnaire {
  /** 1–5 items; the child's are worded for children. `textEn`: the English page's words (else `text`). */
  items: { id: string; text: string; textEn?: string }[];
  freeTextLabel: string;
  freeTextLabelEn?: string;
}

export interface FollowUpSettings {
  child: Questionnaire;
  carer: Questionnaire;
  /** Days after the last meeting when the social worker gets the summary. */
  summaryAfterDays: number;
  /** Months after the last meeting for the later follow-up. */
  laterFollowUpMonths: number;
  /**
   * When each round's questionnaire is reminded and when it ends; a round not set here follows the
   * defaults of the questionnaire module (functions/phases/follow-up/questionnaire.ts).
   */
  questionnaires?: Partial<Record<FollowUpRound, QuestionnaireTiming>>;
  /**
   * The older form of `questionnaires.later`: one reminder this many days after the later follow-up,
   * and its end as long again after that. Kept so that a partnership stored with it still reads.
   */
  laterReminderDays?: number;
}

/** A questionnaire round's timing, in days after the questionnaire was sent. */
export interface QuestionnaireTiming {
  /** When the family home is reminded, while the carer's or the child's questionnaire is unanswered. */
  reminderDays: number[];
  /** When the round ends: its links expire and an unanswered questionnaire is recorded as not answered. */
  answerDays: number;
}

export const DEFAULT_FOLLOW_UP_SETTINGS: FollowUpSettings = {
  child: {
    items: [
      {
        id: 'liked',
        text: 'Hur roligt var det att vara med i gruppen?',
        textEn: 'How much fun was it to be in the group?',
      },
      {
        id: 'talk',
        text: 'Hur lätt var det att prata om det du tänker och känner?',
        textEn: 'How easy was it to talk about what you think and feel?',
      },
      {
        id: 'others',
        text: 'Hur bra var det att träffa andra som också bor i familjehem?',
        textEn: 'How good was it to meet others who also live in family homes?',
      },
    ],
    freeTextLabel: 'Vill du berätta något mer? (frivilligt)',
    freeTextLabelEn: 'Is there anything else you want to tell us? (optional)',
  },
  carer: {
    items: [
      {
        id: 'wellbeing',
        text: 'Hur har barnet mått under tiden i gruppen?',
        textEn: 'How has the child been feeling during the time in the group?',
      },
      {
        id: 'useful',
        text: 'Hur mycket tror du att gruppen har hjälpt barnet?',
        textEn: 'How much do you think the group has helped the child?',
      },
      {
        id: 'practical',
        text: 'Hur väl fungerade det praktiska (tider, plats, information)?',
        textEn: 'How well did the practical side work (times, place, information)?',
      },
    ],
    freeTextLabel: 'Övriga synpunkter (frivilligt)',
    freeTextLabelEn: 'Other comments (optional)',
  },
  summaryAfterDays: 14,
  laterFollowUpMonths: 3,
};

export type Respondent = 'child' | 'carer';
export type FollowUpRound = 'first' | 'later';

export interface EvaluationAnswer {
  round: FollowUpRound;
  respondent: Respondent;
  scores: Record<string, number>;
  freeText?: string;
  at: string;
}

/** One 1–5 answer per item, and an optional free text; field names `item-<id>` and `freeText`. */
export function questionnaireSchema(q: Questionnaire) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const item of q.items) {
    // Swedish is what the schema reports; the English page reads the English registered beside it. The
    // item's texts come from the partnership, which may change while the function runs.
    const choose = configuredMessage({
      sv: `Välj ett svar på frågan ”${item.text}”.`,
      en: `Choose an answer to the question "${item.textEn ?? item.text}".`,
    });
    shape[`item-${item.id}`] = z.coerce
      .number({ error: choose })
      .check(z.int({ error: choose }), z.minimum(1, { error: choose }), z.maximum(5, { error: choose }));
  }
  // Read by the coordinator and the social worker after signing in; never mailed, never an identity number.
  shape.freeText = z.optional(
    freeTextSchema(
      z.string().check(
        z.trim(),
        z.maxLength(2000, {
          error: message({ sv: 'Skriv högst 2000 tecken.', en: 'Write at most 2000 characters.' }),
        }),
      ),
    ),
  );
  return z.object(shape);
}

/** What remains of a referral after the retention period: no names, emails, hashes or free text. */
export interface AnonymisedReferral {
  referralId: string;
  partnershipId: string;
  district: string;
  ageBand: string;
  format?: 'weekly' | 'weekend';
  createdAt: string;
  closedAt: string;
  outcome?: Outcome;
  /** How far it came, for the partnership report. */
  screenedIn: boolean;
  consented: boolean;
  placed: boolean;
  firstMeetingAt?: string;
  attendedMeetings?: number;
  scheduledMeetings?: number;
  /** Averages of the 1–5 scores per round and respondent, e.g. `first-child`. */
  answerScores?: Record<string, number>;
  erasedAt: string;
}

export function anonymise(
  r: Referral,
  facts: {
    closedAt: string;
    format?: 'weekly' | 'weekend';
    attended?: number;
    scheduled?: number;
    firstMeetingAt?: string;
    answers: EvaluationAnswer[];
  },
  erasedAt: string,
): AnonymisedReferral {
  const scores: Record<string, number> = {};
  for (const a of facts.answers) {
    const values = Object.values(a.scores);
    if (values.length)
      scores[`${a.round}-${a.respondent}`] =
        Math.round((values.reduce((x, y) => x + y, 0) / values.length) * 100) / 100;
  }
  return {
    referralId: r.referralId,
    partnershipId: r.partnershipId,
    district: r.district,
    ageBand: r.child.ageBand,
    format: facts.format,
    createdAt: r.createdAt,
    closedAt: facts.closedAt,
    outcome: r.outcome,
    screenedIn: r.screening?.decision === 'approved',
    consented: !!r.legalBasis,
    placed: !!r.group,
    firstMeetingAt: facts.firstMeetingAt,
    attendedMeetings: facts.attended,
    scheduledMeetings: facts.scheduled,
    answerScores: Object.keys(scores).length ? scores : undefined,
    erasedAt,
  };
}
