/** A follow-up questionnaire answer, once per round and respondent, under its referral. */
import * as z from 'zod/mini';
import type { EvaluationAnswer, FollowUpRound, Respondent } from '../../domain/follow-up';
import type { Referral } from '../../domain/referral';
import { batchGet, putIfAbsent, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';
import { readReferral } from './referral';
import { markedSent, markerKey } from './notification';
import type { NotificationMarker } from '../../ports';

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

/** Every answer a referral can have: one per round and respondent (putEvaluation's keys). */
const EVERY_ANSWER = (['first', 'later'] satisfies FollowUpRound[]).flatMap((round) =>
  (['carer', 'child'] satisfies Respondent[]).map((respondent) => ({ round, respondent })),
);

/**
 * The referral and its answers, in one request (BatchGetItem, strongly consistent): the answers' keys are
 * known, so no Query of the partition is needed beside the referral's read. In listEvaluations' order.
 * With `notifications`: their markers in the same request (getReferralNotified's `notified`).
 */
export async function getReferralWithAnswers(
  t: Table,
  referralId: string,
  notifications: NotificationMarker[] = [],
): Promise<{ referral: Referral | undefined; answers: EvaluationAnswer[]; notified: boolean[] }> {
  const items = await batchGet(t, [
    key.referral(referralId),
    ...EVERY_ANSWER.map((a) => key.evaluation(referralId, a.round, a.respondent)),
    ...notifications.map((n) => markerKey(referralId, n)),
  ]);
  const answers = items.slice(1, 1 + EVERY_ANSWER.length);
  const markers = items.slice(1 + EVERY_ANSWER.length);
  return {
    referral: items[0] && readReferral(items[0]),
    answers: answers.flatMap((item) => (item ? [readEvaluation(item)] : [])),
    notified: notifications.map((n, i) => markedSent(markers[i], n)),
  };
}
