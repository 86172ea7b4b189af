/** The active-child lock: one referral at a time per child (identity hash). */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ChildClaim } from '../../ports';
import { deleteIf, get, isConditionFailure, putIfAbsent, reader, type Table } from '../io';
import { key } from '../table';

// `claimedAt` is absent from locks written before it existed.
const childLockSchema = () => z.looseObject({ referralId: z.string(), claimedAt: z.optional(z.number()) });
const readChildLock = reader<z.infer<ReturnType<typeof childLockSchema>>>('child-lock', childLockSchema);

/** `claimedAt` is wall time (epoch ms): the lease is about processes, not the programme's clock. */
export async function claimChild(t: Table, identityHash: string, referralId: string): Promise<ChildClaim> {
  const claimedAt = Date.now();
  if (await putIfAbsent(t, { ...key.child(identityHash), entity: 'child-lock', referralId, claimedAt }))
    return { claimed: true };
  const item = await get(t, key.child(identityHash));
  const existing = item ? readChildLock(item) : undefined;
  const holder = existing?.referralId ?? '';
  if (holder === referralId) return { claimed: true };
  // A lock written before `claimedAt` existed is older than any lease.
  const heldForMs = typeof existing?.claimedAt === 'number' ? Date.now() - existing.claimedAt : Infinity;
  return { claimed: false, holder, heldForMs };
}

export async function takeOverChild(
  t: Table,
  identityHash: string,
  from: string,
  referralId: string,
): Promise<boolean> {
  try {
    await t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.child(identityHash),
        UpdateExpression: 'SET referralId = :to, claimedAt = :at',
        ConditionExpression: 'referralId = :from',
        ExpressionAttributeValues: { ':to': referralId, ':from': from, ':at': Date.now() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function releaseChild(t: Table, identityHash: string, referralId: string): Promise<void> {
  await deleteIf(t, key.child(identityHash), 'referralId', referralId);
}
