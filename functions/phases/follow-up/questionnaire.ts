/**
 * The follow-up questionnaires: the evaluation after the group (round `first`) and the later follow-up
 * (round `later`), each for the child and for the family home. One module for both rounds and both
 * respondents: they go to the same person (the family home's email carries the carer's link and the
 * child's), are answered the same way (1–5 items and an optional comment, the items partnership data per
 * respondent) and recorded the same way (once per round and respondent). They differ only in when they
 * are sent, which is the follow-up's schedule (follow-up.ts), not a second module.
 */
import { z } from 'zod';
import { questionnaireSchema } from '../../domain/follow-up';
import { message } from '../../domain/messages';
import type { LinkAction } from '../../kernel/link-module';
import { questionnairePage } from './questionnaire-page';

export type QuestionnaireAnswer = { action: 'answer' } & Record<string, unknown>;

export const questionnaireLink: LinkAction<QuestionnaireAnswer> = {
  purpose: 'evaluation',
  answeredBy: ['carer'],
  phase: 'follow-up',
  page: questionnairePage,
  answer: {
    // The items are the partnership's, per respondent.
    schema: ({ link, partnership }) =>
      questionnaireSchema(partnership.followUp[link.respondent ?? 'carer']).extend({
        action: z.literal('answer', {
          error: message({ sv: 'Skicka svaren med knappen.', en: 'Send the answers with the button.' }),
        }),
      }) as unknown as z.ZodType<QuestionnaireAnswer>,
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
  // No renewal: a questionnaire is voluntary, and a reminder brings fresh links.
};
