/** The active-child lock: one referral at a time per child (identity hash). */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ChildClaim } from '../../ports';
import { deleteIf, madeUnlessConditionFails, reader, type Table } from '../io';
import { key } from '../table';

// `claimedAt` is absent from locks written before it existed.
const childLockSchema = () => z.looseObject({ referralId: z.string(), claimedAt: z.optional(z.number()) });
const readChildLock = reader<z.infer<ReturnType<typeof childLockSchema>>>('child-lock', childLockSchema);

/**
 * One request whether it wins or not: the update takes the lock only where no referral holds it
 * (`if_not_exists`) and answers with the item as it was, so a refused claim learns the holder and its age
 * without a second read (DynamoDB's ReturnValuesOnConditionCheckFailure would do the same, but dynalite
 * lacks it). `claimedAt` is wall time (epoch ms): the lease is about processes, not the programme's clock.
 * A lock written before `claimedAt` existed gets it at its first contested claim, which still sees it as
 * held for ever.
 */
export async function claimChild(t: Table, identityHash: string, referralId: string): Promise<ChildClaim> {
  const { Attributes: before } = await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.child(identityHash),
      UpdateExpression:
        'SET referralId = if_not_exists(referralId, :referralId), claimedAt = if_not_exists(claimedAt, :now), entity = :entity',
      ExpressionAttributeValues: { ':referralId': referralId, ':now': Date.now(), ':entity': 'child-lock' },
      ReturnValues: 'ALL_OLD',
    }),
  );
  const existing = before?.referralId === undefined ? undefined : readChildLock(before);
  if (!existing || existing.referralId === referralId) return { claimed: true };
  // A lock written before `claimedAt` existed is older than any lease.
  const heldForMs = typeof existing.claimedAt === 'number' ? Date.now() - existing.claimedAt : Infinity;
  return { claimed: false, holder: existing.referralId, heldForMs };
}

export async function takeOverChild(
  t: Table,
  identityHash: string,
  from: string,
  referralId: string,
): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.child(identityHash),
        UpdateExpression: 'SET referralId = :to, claimedAt = :at',
        ConditionExpression: 'referralId = :from',
        ExpressionAttributeValues: { ':to': referralId, ':from': from, ':at': Date.now() },
      }),
    ),
  );
}

export async function releaseChild(t: Table, identityHash: string, referralId: string): Promise<void> {
  await deleteIf(t, key.child(identityHash), 'referralId', referralId);
}
