/**
 * A notification marker under its referral: claimed before the email is sent (where several senders may
 * send it), marked sent after. A notification with one sender is only marked, or its audit event is its
 * marker (`wasNotified`).
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { batchGet, batchWrite, get, putIfAbsent, reader, type Table } from '../io';
import { key } from '../table';
import type { NotificationMarker } from '../../ports';
import type { Referral } from '../../domain/referral';
import { readReferral } from './referral';

// Markers written before the state existed were written after sending, and have none.
const notificationSchema = () => z.looseObject({ at: z.optional(z.string()), state: z.optional(z.string()) });
const readNotification = reader<z.infer<ReturnType<typeof notificationSchema>>>(
  'notification',
  notificationSchema,
);

export async function claimNotification(
  t: Table,
  referralId: string,
  k: string,
  at: string,
): Promise<{ claimed: boolean; sent: boolean; at: string }> {
  if (
    await putIfAbsent(t, { ...key.notification(referralId, k), entity: 'notification', at, state: 'sending' })
  )
    return { claimed: true, sent: false, at };
  const item = await get(t, key.notification(referralId, k));
  const earlier = item ? readNotification(item) : undefined;
  // Markers written before the state existed were written after sending.
  return { claimed: false, sent: earlier?.state !== 'sending', at: earlier?.at ?? at };
}

export async function wasNotified(
  t: Table,
  referralId: string,
  k: string,
  auditOnceKey?: string,
): Promise<boolean> {
  if (auditOnceKey) return !!(await get(t, key.auditOnce(referralId, auditOnceKey)));
  const item = await get(t, key.notification(referralId, k));
  return !!item && readNotification(item).state !== 'sending';
}

/** The item that says whether a notification went out (wasNotified's). */
export const markerKey = (referralId: string, n: NotificationMarker) =>
  n.auditOnceKey ? key.auditOnce(referralId, n.auditOnceKey) : key.notification(referralId, n.key);

/** Whether a marker item (wasNotified's) says the notification went out. */
export const markedSent = (item: Record<string, unknown> | undefined, n: NotificationMarker) =>
  !!item && (!!n.auditOnceKey || readNotification(item).state !== 'sending');

export async function getReferralNotified(
  t: Table,
  referralId: string,
  notifications: NotificationMarker[],
): Promise<{ referral: Referral | undefined; notified: boolean[] }> {
  const [referral, ...markers] = await batchGet(t, [
    key.referral(referralId),
    ...notifications.map((n) => markerKey(referralId, n)),
  ]);
  return {
    referral: referral && readReferral(referral),
    notified: notifications.map((n, i) => markedSent(markers[i], n)),
  };
}

export async function wereNotified(
  t: Table,
  notifications: { referralId: string; key: string }[],
): Promise<boolean[]> {
  const items = await batchGet(
    t,
    notifications.map((n) => key.notification(n.referralId, n.key)),
  );
  return items.map((item) => !!item && readNotification(item).state !== 'sending');
}

export async function markNotificationSent(t: Table, referralId: string, k: string): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.notification(referralId, k),
      // Also the first write of a marker never claimed (a notification with one sender).
      UpdateExpression: 'SET #state = :sent, entity = :entity',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':sent': 'sent', ':entity': 'notification' },
    }),
  );
}

export async function markNotificationsSent(
  t: Table,
  notifications: { referralId: string; key: string }[],
): Promise<void> {
  // A batch may not name one item twice.
  const distinct = new Map(notifications.map((n) => [`${n.referralId}\n${n.key}`, n]));
  await batchWrite(
    t,
    [...distinct.values()].map((n) => ({
      put: { ...key.notification(n.referralId, n.key), entity: 'notification', state: 'sent' },
    })),
  );
}

export async function releaseNotification(t: Table, referralId: string, k: string): Promise<void> {
  await t.db.send(new DeleteCommand({ TableName: t.tableName, Key: key.notification(referralId, k) }));
}
