/** A child waiting in a partnership's pool for a group, by age band. */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { PoolEntry } from '../../domain/grouping';
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
  ).map(readPoolEntry);
}
