/**
 * The follow-up questionnaires: the evaluation after the group (round `first`) and the later follow-up
 * (round `later`), each for the child and for the family home. One module for both rounds and both
 * respondents: they go to the same person (the family home's email carries the carer's link and the
 * child's), are answered the same way (1–5 items and an optional comment, the items partnership data per
 * respondent) and recorded the same way (once per round and respondent). They differ only in timing, and
 * that is per-round data of the one policy below, not a second module.
 */
import * as z from 'zod/mini';
import {
  questionnaireSchema,
  type FollowUpRound,
  type FollowUpSettings,
  type QuestionnaireTiming,
} from '../../domain/follow-up';
import { message } from '../../domain/messages';
import type { LinkAction } from '../../kernel/link-module';
import { questionnairePage } from './questionnaire-page';

/**
 * The questionnaires' timing policy: partnership data (`followUp.questionnaires`), these the defaults.
 *  - Reminders: on the given days after the questionnaire was sent, the family home is reminded while the
 *    carer's or the child's questionnaire is unanswered; a reminder carries fresh links.
 *  - The end: `answerDays` after it was sent the round is over. Its links expire, an unanswered
 *    questionnaire is recorded on the timeline as not answered, and the follow-up goes on: the first
 *    round ends by the summary to the social worker (which says whether it was answered), the later one
 *    closes the referral as completed. Silence is an answer here, never a reason for needs-attention.
 */
export const DEFAULT_QUESTIONNAIRE_TIMING: Record<FollowUpRound, QuestionnaireTiming> = {
  first: { reminderDays: [7], answerDays: 14 },
  later: { reminderDays: [14], answerDays: 28 },
};

/**
 * Escalation: none. Answering is voluntary for the child and the family home: the child's support does
 * not depend on it, and asking the group leader or the coordinator to chase a family would press them
 * for an answer they are free not to give. The social worker is not asked either; her summary says
 * whether the evaluation was answered.
 */
export const QUESTIONNAIRE_ESCALATION = 'none' as const;

/** A round's timing: the partnership's own, or the defaults (the first round never outlasts the summary). */
export function questionnaireTiming(f: FollowUpSettings, round: FollowUpRound): QuestionnaireTiming {
  const own = f.questionnaires?.[round];
  if (own) return own;
  if (round === 'later' && f.laterReminderDays !== undefined)
    return {
      reminderDays: f.laterReminderDays > 0 ? [f.laterReminderDays] : [],
      answerDays: 2 * f.laterReminderDays,
    };
  const d = DEFAULT_QUESTIONNAIRE_TIMING[round];
  const answerDays = round === 'first' ? Math.min(d.answerDays, f.summaryAfterDays) : d.answerDays;
  return { reminderDays: d.reminderDays.filter((day) => day < answerDays), answerDays };
}

export type QuestionnaireAnswer = { action: 'answer' } & Record<string, unknown>;

export const questionnaireLink: LinkAction<QuestionnaireAnswer> = {
  purpose: 'evaluation',
  answeredBy: ['carer'],
  phase: 'follow-up',
  page: questionnairePage,
  answer: {
    // The items are the partnership's, per respondent.
    schema: ({ link, partnership }) =>
      z.extend(questionnaireSchema(partnership.followUp[link.respondent ?? 'carer']), {
        action: z.literal('answer', {
          error: message({ sv: 'Skicka svaren med knappen.', en: 'Send the answers with the button.' }),
        }),
      }) as unknown as z.ZodMiniType<QuestionnaireAnswer>,
    // The answer first (once per round and respondent), the link used after: a crash in between keeps
    // the answer, and the link, still open, then says it has been answered. The other way round the
    // answer would be lost.
    useLink: 'after',
    async apply(deps, { link, referral, partnership }, action, at) {
      const questionnaire = partnership.followUp[link.respondent ?? 'carer'];
      const scores: Record<string, number> = {};
      for (const item of questionnaire.items) scores[item.id] = action[`item-${item.id}`] as number;
      // The comment is kept and read after signing in, never mailed.
      const freeText = (action.freeText as string | undefined) || undefined;
      const first = await deps.store.putEvaluation(referral.referralId, {
        round: link.round ?? 'first',
        respondent: link.respondent ?? 'carer',
        scores,
        freeText,
        at,
      });
      return first ? 'done' : 'answered-already';
    },
  },
  // No renewal: a link expires when its round ends, and before that every reminder brings fresh links.
};
