/**
 * Erasure of a referral's personal data (its partition reduced to the anonymised record and role-only
 * audit events), and the due-erasure items (one partition, sorted by when) the erasure sweep works through.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { AnonymisedReferral } from '../../domain/follow-up';
import type { DueErasure } from '../../ports';
import { MalformedItemError, putIfAbsent, reader, type Item, type Table } from '../io';
import { index, key, partition, sortKey, sortPrefix, type TableKey } from '../table';
import { rawReferralItems } from './referral';

const dueErasureSchema = z.looseObject({ referralId: z.string(), eraseAt: z.string() });
const readDueErasure = reader<DueErasure>('due-erasure', dueErasureSchema);

/** What erasure reads of the items it rewrites: the referral's district index, a link reference's hash. */
const referralIndexSchema = z.looseObject({ GSI1PK: z.string(), GSI1SK: z.string() });
const linkRefSchema = z.looseObject({ linkHash: z.string() });

function parseRaw<T>(entity: string, schema: z.ZodType<T>, item: Item): T {
  const result = schema.safeParse(item);
  if (!result.success)
    throw new MalformedItemError(
      entity,
      { PK: String(item.PK), SK: String(item.SK) },
      z.prettifyError(result.error),
    );
  return result.data;
}

export async function eraseReferral(
  t: Table,
  referralId: string,
  anonymised: AnonymisedReferral,
): Promise<void> {
  const del = (k: TableKey) => t.db.send(new DeleteCommand({ TableName: t.tableName, Key: k }));
  for (const item of await rawReferralItems(t, referralId)) {
    const sk = String(item.SK);
    const k = { PK: String(item.PK), SK: sk };
    if (sk === sortKey.referral) {
      // The same key and district index (the report still counts it); nothing personal is carried over.
      const { GSI1PK, GSI1SK } = parseRaw('referral', referralIndexSchema, item);
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: {
            ...key.referral(referralId),
            GSI1PK,
            GSI1SK,
            GSI2PK: index.status.partition('erased'),
            GSI2SK: referralId,
            entity: 'referral-anonymised',
            status: 'erased',
            ...anonymised,
          },
        }),
      );
    } else if (sk.startsWith(sortPrefix.linkRef)) {
      await del(key.link(parseRaw('link-ref', linkRefSchema, item).linkHash));
      await del(k);
    } else if (sk.startsWith(sortPrefix.audit)) {
      // Who, what, when stays as roles and actions; names and free text go.
      const { actor, detail } = item as { actor?: { role: string }; detail?: Record<string, string> };
      const kept: Record<string, string> = {};
      for (const field of [
        'step',
        'outcome',
        'basis',
        'custodian',
        'round',
        'meeting',
        'present',
        'error',
        'groupId',
        'format',
      ])
        if (detail?.[field] !== undefined) kept[field] = detail[field]!;
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: { ...item, actor: { role: actor?.role ?? 'unknown' }, detail: kept },
        }),
      );
    } else {
      // Steps, answers (their scores live on in the anonymised record), sent-notification markers.
      await del(k);
    }
  }
}

export async function putDueErasure(t: Table, due: DueErasure): Promise<void> {
  // The same referral and instant give the same key: a repeat changes nothing.
  await putIfAbsent(t, {
    ...key.erasure(due),
    entity: 'due-erasure',
    referralId: due.referralId,
    eraseAt: due.eraseAt,
  });
}

export async function listDueErasures(
  t: Table,
  dueBy: string,
  page: { limit: number; after?: DueErasure },
): Promise<DueErasure[]> {
  const out = await t.db.send(
    new QueryCommand({
      TableName: t.tableName,
      // `~` sorts after every character of a referral id: everything due at `dueBy` itself is included.
      KeyConditionExpression: 'PK = :pk AND SK <= :to',
      ExpressionAttributeValues: { ':pk': partition.erasure, ':to': key.erasureDueBy(dueBy) },
      ConsistentRead: true,
      Limit: page.limit,
      ExclusiveStartKey: page.after ? key.erasure(page.after) : undefined,
    }),
  );
  return (out.Items ?? []).map((i) => {
    const { referralId, eraseAt } = readDueErasure(i);
    return { referralId, eraseAt };
  });
}

export async function removeDueErasure(t: Table, due: DueErasure): Promise<void> {
  await t.db.send(new DeleteCommand({ TableName: t.tableName, Key: key.erasure(due) }));
}
