/** Audit events under a referral (or group), and the link-use audit kept per day. */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { AuditEvent } from '../../ports';
import { batchWrite, putIfAbsent, queryPartition, reader, type Item, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';
import { listReferralLinks, redemptionEvent } from './link';

type LinkAuditEvent = Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string };

const eventShape = () => ({
  at: z.string(),
  actor: z.looseObject({ role: z.string(), name: z.optional(z.string()) }),
  action: z.string(),
  phase: z.optional(z.string()),
  // Values are strings by type; older writers are not assumed to have kept to it.
  detail: z.optional(z.record(z.string(), z.unknown())),
});
const auditSchema = () => z.looseObject({ referralId: z.string(), ...eventShape() });
const linkAuditSchema = () => z.looseObject({ linkHashPrefix: z.string(), ...eventShape() });
export const readAudit = reader<AuditEvent>('audit', auditSchema);
export const readLinkAudit = reader<LinkAuditEvent>('link-audit', linkAuditSchema);

export async function appendAudit(t: Table, event: AuditEvent, onceKey?: string): Promise<void> {
  // Within one instant, events from one process keep their order (hrtime); the random part keeps keys unique.
  // A once-only event gets the same key each time it is written, so writing it again changes nothing.
  if (onceKey) {
    // Its key does not depend on the instant: the first write stands, a repeat changes nothing.
    await putIfAbsent(t, { ...key.auditOnce(event.referralId, onceKey), entity: 'audit', ...event });
    return;
  }
  await t.db.send(new PutCommand({ TableName: t.tableName, Item: auditItem(event) }));
}

/** Once-keyed events in one batch write: unconditional, so a repeat replaces each with the same event. */
export async function recordEvents(
  t: Table,
  events: { event: AuditEvent; onceKey: string }[],
): Promise<void> {
  await batchWrite(
    t,
    events.map(({ event, onceKey }) => ({
      put: { ...key.auditOnce(event.referralId, onceKey), entity: 'audit', ...event },
    })),
  );
}

/** An event's item as appendAudit writes it (not a once-only one): for writing it beside another item. */
export function auditItem(event: AuditEvent): Item {
  const k = key.audit(
    event,
    process.hrtime.bigint().toString().padStart(20, '0'),
    randomBytes(4).toString('hex'),
  );
  return { ...k, entity: 'audit', ...event };
}

export async function listAudit(t: Table, referralId: string): Promise<AuditEvent[]> {
  // The events, and beside them the links whose single-use update recorded their redemption (link.ts).
  const [items, links] = await Promise.all([
    queryPartition(t, partition.referral(referralId), sortPrefix.audit),
    listReferralLinks(t, referralId),
  ]);
  const redemptions = links.flatMap((l) => redemptionEvent(l) ?? []);
  // In time order: once-only events are keyed by what they are, not when (a stable sort keeps the rest).
  // A redemption first within its instant: it is the guard that the answer's own events follow.
  return [...redemptions, ...items.map(readAudit)].sort((a, b) => a.at.localeCompare(b.at));
}

export async function appendLinkAudit(t: Table, event: LinkAuditEvent): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { ...key.linkAudit(event.at, randomBytes(6).toString('hex')), entity: 'link-audit', ...event },
    }),
  );
}

export async function listLinkAudit(t: Table, day: string): Promise<LinkAuditEvent[]> {
  return (await queryPartition(t, partition.linkAudit(day))).map(readLinkAudit);
}
