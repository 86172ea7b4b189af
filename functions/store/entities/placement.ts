/** A child's placement: one per referral, the group that took the child. */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { get, isConditionFailure, putIfAbsent, reader, type Table } from '../io';
import { key } from '../table';

const placementSchema = () => z.looseObject({ groupId: z.string(), at: z.string() });
const readPlacement = reader<z.infer<ReturnType<typeof placementSchema>>>('placement', placementSchema);

/** Places the child in `groupId`; false when it was placed in another group first. Safe to repeat. */
export async function placeChild(
  t: Table,
  referralId: string,
  groupId: string,
  at: string,
): Promise<boolean> {
  if (await putIfAbsent(t, { ...key.placement(referralId), entity: 'placement', groupId, at })) return true;
  const placed = await get(t, key.placement(referralId));
  return placed !== undefined && readPlacement(placed).groupId === groupId;
}

/** Takes back a placement in `groupId` (the seat was not had); one in another group stays. */
export async function releasePlacement(t: Table, referralId: string, groupId: string): Promise<void> {
  await t.db
    .send(
      new DeleteCommand({
        TableName: t.tableName,
        Key: key.placement(referralId),
        ConditionExpression: 'groupId = :g',
        ExpressionAttributeValues: { ':g': groupId },
      }),
    )
    .catch((e: unknown) => {
      if (!isConditionFailure(e)) throw e;
    });
}
