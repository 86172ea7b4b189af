/** A human step of a referral (or of a group): the link it waits on and when its email went out. */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { StepName } from '../../domain/steps';
import type { AuditEvent, LinkRecord, StepRecord } from '../../ports';
import { linkItem } from './link';
import { readReferral } from './referral';
import type { Referral } from '../../domain/referral';
import { auditItem } from './audit';
import { batchGet, batchWrite, get, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const stepSchema = () =>
  z.looseObject({
    referralId: z.string(),
    step: z.string(),
    custodian: z.optional(z.number()),
    linkHash: z.string(),
    enteredAt: z.string(),
    since: z.optional(z.string()),
    round: z.optional(z.int().check(z.positive())),
    entry: z.optional(z.string()),
    emailKind: z.optional(z.string()),
    emailSentAt: z.optional(z.string()),
  });
export const readStep = reader<StepRecord>('step', stepSchema);

export async function getStep(
  t: Table,
  referralId: string,
  step: StepName,
  custodian?: number,
): Promise<StepRecord | undefined> {
  const item = await get(t, key.step(referralId, step, custodian));
  return item && readStep(item);
}

/** The referral and one of its steps in one request (BatchGetItem, strongly consistent). */
export async function getReferralWithStep(
  t: Table,
  referralId: string,
  step: StepName,
  custodian?: number,
): Promise<{ referral: Referral | undefined; step: StepRecord | undefined }> {
  const [referral, record] = await batchGet(t, [
    key.referral(referralId),
    key.step(referralId, step, custodian),
  ]);
  return { referral: referral && readReferral(referral), step: record && readStep(record) };
}

export async function putStep(
  t: Table,
  s: StepRecord,
  event?: AuditEvent,
  newLinks: LinkRecord[] = [],
): Promise<void> {
  const item = { ...key.step(s.referralId, s.step, s.custodian), entity: 'step', ...s };
  // With the event it records, or the new links it names: unconditional items, one request (not atomic;
  // each is safe to write again). The links first: a batch is written in order of requests, not of items,
  // but where a retry finds the record it finds its links' hashes there too, and makes them again.
  if (event || newLinks.length)
    await batchWrite(t, [
      ...newLinks.map((link) => ({ put: linkItem(link) })),
      { put: item },
      ...(event ? [{ put: auditItem(event) }] : []),
    ]);
  else await t.db.send(new PutCommand({ TableName: t.tableName, Item: item }));
}

export async function markStepEmailSent(
  t: Table,
  referralId: string,
  step: StepName,
  custodian: number | undefined,
  at: string,
): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.step(referralId, step, custodian),
      UpdateExpression: 'SET emailSentAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

export async function listSteps(t: Table, referralId: string): Promise<StepRecord[]> {
  return (await queryPartition(t, partition.referral(referralId), sortPrefix.step)).map(readStep);
}
