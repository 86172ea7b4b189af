/** A follow-up questionnaire answer, once per round and respondent, under its referral. */
import * as z from 'zod';
import type { EvaluationAnswer } from '../../domain/follow-up';
import { putIfAbsent, reader, type Table } from '../io';
import { key, sortPrefix } from '../table';
import { rawReferralItems } from './referral';

const evaluationSchema = z.looseObject({
  round: z.string(),
  respondent: z.string(),
  scores: z.record(z.string(), z.number()),
  freeText: z.string().optional(),
  at: z.string(),
});
export const readEvaluation = reader<EvaluationAnswer>('evaluation', evaluationSchema);

export async function putEvaluation(
  t: Table,
  referralId: string,
  answer: EvaluationAnswer,
): Promise<boolean> {
  return putIfAbsent(t, {
    ...key.evaluation(referralId, answer.round, answer.respondent),
    entity: 'evaluation',
    ...answer,
  });
}

export async function listEvaluations(t: Table, referralId: string): Promise<EvaluationAnswer[]> {
  return (await rawReferralItems(t, referralId))
    .filter((i) => String(i.SK).startsWith(sortPrefix.evaluation))
    .map(readEvaluation);
}
