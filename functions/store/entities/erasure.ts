/**
 * Erasure of a referral's personal data (its partition reduced to the anonymised record and role-only
 * audit events), and the due-erasure items (one partition, sorted by when) the erasure sweep works through.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { AnonymisedReferral } from '../../domain/follow-up';
import type { DueErasure, PoolPlace } from '../../ports';
import {
  batchWrite,
  MalformedItemError,
  onFirstUse,
  putIfAbsent,
  queryAll,
  reader,
  type BatchWrite,
  type Item,
  type Table,
} from '../io';
import { index, key, partition, sortKey, sortPrefix } from '../table';
import { readAudit } from './audit';
import { readLink, redemptionEvent } from './link';
import { rawReferralItems, readReferral } from './referral';
import { readEvaluation } from './evaluation';
import type { AnonymiseFromItems, ErasureResult } from '../../ports';

const dueErasureSchema = () => z.looseObject({ referralId: z.string(), eraseAt: z.string() });
const readDueErasure = reader<DueErasure>('due-erasure', dueErasureSchema);

/** What erasure reads of the items it rewrites: the referral's district index, a link reference's hash. */
const referralIndexSchema = onFirstUse(() => z.looseObject({ GSI1PK: z.string(), GSI1SK: z.string() }));
const linkRefSchema = onFirstUse(() => z.looseObject({ linkHash: z.string() }));

function parseRaw<T>(entity: string, schema: z.ZodMiniType<T>, item: Item): T {
  const result = schema.safeParse(item);
  if (!result.success)
    throw new MalformedItemError(
      entity,
      { PK: String(item.PK), SK: String(item.SK) },
      z.prettifyError(result.error),
    );
  return result.data;
}

/** What an audit event keeps of its detail after erasure: roles and actions, no names, no free text. */
const KEPT_AUDIT_DETAIL = [
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
];

/** An audit event's detail as erasure keeps it (KEPT_AUDIT_DETAIL only); the memory store keeps the same. */
export function keptDetail(detail: Record<string, unknown> | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const field of KEPT_AUDIT_DETAIL)
    if (detail?.[field] !== undefined) kept[field] = String(detail[field]);
  return kept;
}

/**
 * Reduces the referral's partition to `anonymised` and role-only audit events, and deletes its links, in
 * batch writes of 25 (two Queries and about three requests for a referral, where one request per item was
 * made before). A batch is not atomic, not even one request, so the order is in requests: first the links
 * themselves, with every other item; then, once those are done, the references that lead erasure to links
 * written before the links index, and the anonymised record last. A reference is never gone while its
 * link is left, and a referral reads as erased only once every link is gone. Erasure runs again over a record erased already (the process died while the
 * last request was retried): without `anonymised`, it finishes what the earlier run left (the record stays
 * as it is, once), and every write here can be made twice.
 */
export async function eraseReferral(
  t: Table,
  referralId: string,
  anonymise?: AnonymisedReferral | AnonymiseFromItems,
): Promise<ErasureResult> {
  // The referral's own items, once: the record and its answers for the anonymised record, the rest to erase.
  const items = await rawReferralItems(t, referralId);
  const recordItem = items.find((i) => String(i.SK) === sortKey.referral);
  let anonymised: AnonymisedReferral | undefined;
  if (typeof anonymise === 'function') {
    if (!recordItem) return 'no-referral';
    if (recordItem.entity !== 'referral-anonymised')
      anonymised = await anonymise(
        readReferral(recordItem),
        items.filter((i) => String(i.SK).startsWith(sortPrefix.evaluation)).map(readEvaluation),
        (onceKey) => {
          const { SK } = key.auditOnce(referralId, onceKey);
          const item = items.find((i) => i.SK === SK);
          return item && readAudit(item);
        },
      );
  } else anonymised = anonymise;
  // The referral's links, by its links index (written long before: a closed referral makes no new ones,
  // so the index's eventual consistency leaves none out); older links by their references, below.
  const links = await queryAll(t, {
    IndexName: index.referralLinks.name,
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': index.referralLinks.partition(referralId) },
  });
  // A used link carries its `link-redeemed` event (written with its single-use guard): the event stays,
  // role-only like every other, as an audit item of its own (keyed by the link, so a second run writes the
  // same item) — written in a request before any link is deleted, so a crash never loses it.
  const keptRedemptions: BatchWrite[] = links.flatMap((l) => {
    const event = redemptionEvent(readLink(l));
    if (!event) return [];
    return [
      {
        put: {
          ...key.auditOnce(referralId, `link-redeemed#${String(l.linkHash ?? l.SK)}`),
          entity: 'audit',
          ...event,
          actor: { role: event.actor.role },
          detail: keptDetail(event.detail),
        },
      },
    ];
  });
  const first: BatchWrite[] = links.map((l) => ({ delete: { PK: String(l.PK), SK: String(l.SK) } }));
  const last: BatchWrite[] = [];
  let record: BatchWrite | undefined;
  for (const item of items) {
    const sk = String(item.SK);
    const k = { PK: String(item.PK), SK: sk };
    if (sk === sortKey.referral) {
      if (item.entity === 'referral-anonymised') continue;
      if (!anonymised)
        throw new Error(`Referral ${referralId} is not erased yet: its anonymised record is needed`);
      // The same key and district index (the report still counts it); nothing personal is carried over.
      const { GSI1PK, GSI1SK } = parseRaw('referral', referralIndexSchema(), item);
      record = {
        put: {
          ...key.referral(referralId),
          GSI1PK,
          GSI1SK,
          GSI2PK: index.status.partition('erased'),
          GSI2SK: referralId,
          entity: 'referral-anonymised',
          status: 'erased',
          ...anonymised,
        },
      };
    } else if (sk.startsWith(sortPrefix.linkRef)) {
      first.push({ delete: key.link(parseRaw('link-ref', linkRefSchema(), item).linkHash) });
      last.push({ delete: k });
    } else if (sk.startsWith(sortPrefix.audit)) {
      // Who, what, when stays as roles and actions; names and free text go.
      const { actor, detail } = item as { actor?: { role: string }; detail?: Record<string, string> };
      first.push({ put: { ...item, actor: { role: actor?.role ?? 'unknown' }, detail: keptDetail(detail) } });
    } else {
      // Steps, answers (their scores live on in the anonymised record), sent-notification markers.
      first.push({ delete: k });
    }
  }
  await batchWrite(t, keptRedemptions);
  // A key twice in one request is refused: a link found both ways (none is written so) is deleted once.
  const seen = new Set<string>();
  await batchWrite(
    t,
    first.filter((w) => {
      const k = 'put' in w ? w.put : w.delete;
      const id = `${String(k.PK)}\n${String(k.SK)}`;
      return !seen.has(id) && !!seen.add(id);
    }),
  );
  await batchWrite(t, record ? [...last, record] : last);
  return record ? 'erased' : 'was-erased';
}

export async function putDueErasure(t: Table, due: DueErasure, leavesPool?: PoolPlace): Promise<void> {
  // The same referral and instant give the same key and item: a repeat writes the same again.
  const record = {
    ...key.erasure(due),
    entity: 'due-erasure',
    referralId: due.referralId,
    eraseAt: due.eraseAt,
  };
  if (!leavesPool) {
    await putIfAbsent(t, record);
    return;
  }
  // With the pool entry's delete in one batch (one request): neither write is conditional.
  await batchWrite(t, [
    { delete: key.poolEntry(leavesPool.partnershipId, leavesPool.ageBand, due.referralId) },
    { put: record },
  ]);
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
