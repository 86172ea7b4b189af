/** A child waiting in a partnership's pool for a group, by age band. */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, TIME_TO_LIVE_ATTRIBUTE } from '../../adapters/time-to-live';
import * as z from 'zod/mini';
import type { PoolClaim, PoolEntry } from '../../domain/grouping';
import { putIfAbsent, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const poolEntrySchema = () =>
  z.looseObject({
    referralId: z.string(),
    ageBand: z.string(),
    district: z.string(),
    waitingSince: z.string(),
    needs: z.optional(z.looseObject({ noWeekdays: z.optional(z.boolean()) })),
    // Entries written before the planner's age rule have none: such a child stays within its band.
    age: z.optional(z.int()),
  });
export const readPoolEntry = reader<PoolEntry>('pool-entry', poolEntrySchema);

export async function putPoolEntry(t: Table, partnershipId: string, entry: PoolEntry): Promise<boolean> {
  return putIfAbsent(t, {
    ...key.poolEntry(partnershipId, entry.ageBand, entry.referralId),
    entity: 'pool-entry',
    ...entry,
  });
}

export async function removePoolEntry(
  t: Table,
  partnershipId: string,
  ageBand: string,
  referralId: string,
): Promise<void> {
  await t.db.send(
    new DeleteCommand({ TableName: t.tableName, Key: key.poolEntry(partnershipId, ageBand, referralId) }),
  );
}

export async function listPool(t: Table, partnershipId: string, ageBand?: string): Promise<PoolEntry[]> {
  return (
    await queryPartition(
      t,
      partition.pool(partnershipId),
      ageBand ? sortPrefix.poolAgeBand(ageBand) : undefined,
    )
  )
    .filter((item) => item.entity !== 'pool-claim')
    .map(readPoolEntry);
}

const poolClaimSchema = () =>
  z.looseObject({ groupId: z.string(), members: z.array(z.string()), until: z.string() });
const readPoolClaim = reader<PoolClaim>('pool-claim', poolClaimSchema);
/** Beside the entries in the pool's partition (not under a band), so one query reads both. */
const CLAIM_PREFIX = 'CLAIM#';
const claimKey = (partnershipId: string, groupId: string) => ({
  PK: partition.pool(partnershipId),
  SK: `${CLAIM_PREFIX}${groupId}`,
});

/** Every band's entries and the claims of confirmations being placed, in one query. */
export async function listPoolWithClaims(
  t: Table,
  partnershipId: string,
): Promise<{ entries: PoolEntry[]; claims: PoolClaim[] }> {
  const items = await queryPartition(t, partition.pool(partnershipId));
  return {
    entries: items.filter((i) => i.entity !== 'pool-claim').map(readPoolEntry),
    claims: items.filter((i) => i.entity === 'pool-claim').map(readPoolClaim),
  };
}

/** The claims alone: one Query of their sort prefix, none of the entries. */
export async function listPoolClaims(t: Table, partnershipId: string): Promise<PoolClaim[]> {
  return (await queryPartition(t, partition.pool(partnershipId), CLAIM_PREFIX)).map(readPoolClaim);
}

export async function putPoolClaim(t: Table, partnershipId: string, claim: PoolClaim): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      // Gone from the table a day after it stopped counting, should nothing remove it before.
      Item: {
        ...claimKey(partnershipId, claim.groupId),
        entity: 'pool-claim',
        ...claim,
        [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(claim.until, 86_400),
      },
    }),
  );
}

export async function removePoolClaim(t: Table, partnershipId: string, groupId: string): Promise<void> {
  await t.db.send(new DeleteCommand({ TableName: t.tableName, Key: claimKey(partnershipId, groupId) }));
}
