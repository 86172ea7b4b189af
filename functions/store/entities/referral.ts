/**
 * The referral item (and its district and status index attributes), the custodians' consent on it, and
 * the listings of referrals by district and status.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ConsentRecord, HomeVisit, Phase, Referral, Withdrawal } from '../../domain/referral';
import {
  batchGet,
  get,
  isConditionFailure,
  madeUnlessConditionFails,
  putIfAbsent,
  queryAll,
  queryPartition,
  reader,
  setExpression,
  type Item,
  type Table,
} from '../io';
import { index, key, partition } from '../table';

/**
 * What every referral item has, the anonymised record of an erased one included (it keeps the same key
 * and district index): the rest of a live referral is kept as stored.
 */
const referralSchema = () =>
  z.looseObject({
    referralId: z.string(),
    partnershipId: z.string(),
    district: z.string(),
    createdAt: z.string(),
    updatedAt: z.optional(z.string()),
    phase: z.optional(z.string()),
    status: z.string(),
    custodians: z.optional(z.array(z.looseObject({ number: z.number() }))),
  });
export const readReferral = reader<Referral>('referral', referralSchema);

export async function createReferral(t: Table, referral: Referral): Promise<boolean> {
  return putIfAbsent(t, {
    ...key.referral(referral.referralId),
    ...index.referral(referral),
    entity: 'referral',
    ...referral,
  });
}

export async function getReferral(t: Table, referralId: string): Promise<Referral | undefined> {
  const item = await get(t, key.referral(referralId));
  return item && readReferral(item);
}

/** Several referrals in one request (per 100), in the order asked; undefined for one not stored. */
export async function getReferrals(t: Table, referralIds: string[]): Promise<(Referral | undefined)[]> {
  const items = await batchGet(t, referralIds.map(key.referral));
  return items.map((item) => item && readReferral(item));
}

export async function updateReferral(
  t: Table,
  referralId: string,
  patch: Partial<Omit<Referral, 'referralId'>>,
): Promise<void> {
  await t.db.send(updateCommand(t, referralId, patch));
}

/** updateReferral that reads the referral back in the same request (UpdateItem, ALL_NEW). */
export async function updateReferralReading(
  t: Table,
  referralId: string,
  patch: Partial<Omit<Referral, 'referralId'>>,
): Promise<Referral> {
  const out = await t.db.send(updateCommand(t, referralId, patch, 'ALL_NEW'));
  return readReferral(out.Attributes!);
}

function updateCommand(
  t: Table,
  referralId: string,
  patch: Partial<Omit<Referral, 'referralId'>>,
  returnValues?: 'ALL_NEW',
): UpdateCommand {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  // The status index moves with the status; its sort key is the id, so nothing else needs to be read.
  if (patch.status !== undefined) entries.push(['GSI2PK', index.status.partition(patch.status)]);
  return new UpdateCommand({
    TableName: t.tableName,
    Key: key.referral(referralId),
    ConditionExpression: 'attribute_exists(PK)',
    ...setExpression(entries),
    ...(returnValues ? { ReturnValues: returnValues } : {}),
  });
}

/**
 * Puts the referral in `phase`, running, and reads it back in the same request (UpdateItem, ALL_NEW): a step
 * entry's read after its wait's token was stored. `changedAt`: the phase or status moves (updatedAt is set).
 * A withdrawn referral is left as it is and read as it is (a Get, only then); undefined: none stored.
 */
export async function enterPhase(
  t: Table,
  referralId: string,
  phase: Phase,
  changedAt?: string,
): Promise<Referral | undefined> {
  const entries: [string, unknown][] = [
    ['phase', phase],
    ['status', 'active'],
    ['GSI2PK', index.status.partition('active')],
    ['updatedAt', changedAt],
  ];
  const set = setExpression(entries.filter(([, v]) => v !== undefined));
  try {
    const out = await t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.referral(referralId),
        ...set,
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(withdrawal)',
        ReturnValues: 'ALL_NEW',
      }),
    );
    return readReferral(out.Attributes!);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return getReferral(t, referralId);
  }
}

export async function recordCustodianConsent(
  t: Table,
  referralId: string,
  index: number,
  consent: ConsentRecord,
): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.referral(referralId),
        UpdateExpression: `SET custodians[${index}].#consent = :c, updatedAt = :at`,
        ConditionExpression: `attribute_exists(custodians[${index}]) AND attribute_not_exists(custodians[${index}].#consent)`,
        ExpressionAttributeNames: { '#consent': 'consent' },
        ExpressionAttributeValues: { ':c': consent, ':at': consent.at },
      }),
    ),
  );
}

export async function recordHomeVisit(
  t: Table,
  referralId: string,
  homeVisit: HomeVisit,
  since: string,
): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.referral(referralId),
        UpdateExpression: 'SET homeVisit = :v, updatedAt = :at',
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(homeVisit.outcome) OR homeVisit.recordedAt < :since)',
        ExpressionAttributeValues: { ':v': homeVisit, ':at': homeVisit.recordedAt, ':since': since },
      }),
    ),
  );
}

export async function clearCustodianConsent(t: Table, referralId: string, index: number): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.referral(referralId),
      UpdateExpression: `REMOVE custodians[${index}].#consent`,
      ConditionExpression: `attribute_exists(custodians[${index}])`,
      ExpressionAttributeNames: { '#consent': 'consent' },
    }),
  );
}

export async function setCustodianReminders(
  t: Table,
  referralId: string,
  index: number,
  remindersSent: number,
): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.referral(referralId),
      UpdateExpression: `SET custodians[${index}].remindersSent = :n`,
      ConditionExpression: `attribute_exists(custodians[${index}])`,
      ExpressionAttributeValues: { ':n': remindersSent },
    }),
  );
}

export async function setCustodianEmail(
  t: Table,
  referralId: string,
  index: number,
  email: string,
): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.referral(referralId),
      UpdateExpression: `SET custodians[${index}].email = :e`,
      ConditionExpression: `attribute_exists(custodians[${index}])`,
      ExpressionAttributeValues: { ':e': email },
    }),
  );
}

export async function markWithdrawn(t: Table, referralId: string, withdrawal: Withdrawal): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.referral(referralId),
        UpdateExpression: 'SET withdrawal = :w, updatedAt = :at',
        ConditionExpression:
          'attribute_exists(PK) AND attribute_not_exists(withdrawal) AND #status <> :closed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':w': withdrawal, ':at': withdrawal.at, ':closed': 'closed' },
      }),
    ),
  );
}

export async function listReferralsByDistrict(
  t: Table,
  district: string,
  from = '0',
  to = '~',
): Promise<Record<string, unknown>[]> {
  const items = await queryAll(t, {
    IndexName: index.district.name,
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': index.district.partition(district), ':from': from, ':to': to },
    ScanIndexForward: false,
  });
  return items.map((i) => readReferral(i) as unknown as Record<string, unknown>);
}

export async function listReferralsByStatus(
  t: Table,
  status: Referral['status'],
  limit?: number,
): Promise<Referral[]> {
  const items = await queryAll(
    t,
    {
      IndexName: index.status.name,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': index.status.partition(status) },
      ScanIndexForward: false,
    },
    limit,
  );
  return items.map(readReferral);
}

/** Every item under the referral's partition, as stored (keys and all). */
export function rawReferralItems(t: Table, referralId: string): Promise<Item[]> {
  return queryPartition(t, partition.referral(referralId));
}
