/** A follow-up questionnaire answer, once per round and respondent, under its referral. */
import * as z from 'zod/mini';
import type { EvaluationAnswer } from '../../domain/follow-up';
import { putIfAbsent, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const evaluationSchema = () =>
  z.looseObject({
    round: z.string(),
    respondent: z.string(),
    scores: z.record(z.string(), z.number()),
    freeText: z.optional(z.string()),
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
  // Only the answers' keys: the referral's partition also holds its audit trail, steps and history, which
  // grow with the referral and would be read (and paid for) to be thrown away.
  return (await queryPartition(t, partition.referral(referralId), sortPrefix.evaluation)).map(readEvaluation);
}
