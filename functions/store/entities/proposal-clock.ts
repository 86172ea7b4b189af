/**
 * The clock of an age band's group proposal (domain/grouping.ts), one per band under its partnership.
 * Every write names the clock it expects by its start (`since`), so that waits of several children of the
 * band, running at the same moment, agree on one clock.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ProposalClock } from '../../domain/grouping';
import {
  get,
  isConditionFailure,
  madeUnlessConditionFails,
  putIfAbsent,
  reader,
  setExpression,
  type Table,
} from '../io';
import { key } from '../table';

const proposalClockSchema = () =>
  z.looseObject({
    ageBand: z.string(),
    since: z.string(),
    stopped: z.optional(z.looseObject({ at: z.string(), shown: z.array(z.string()) })),
    reminderLink: z.optional(z.string()),
  });
export const readProposalClock = reader<ProposalClock>('proposal-clock', proposalClockSchema);

export async function getProposalClock(
  t: Table,
  partnershipId: string,
  ageBand: string,
): Promise<ProposalClock | undefined> {
  const item = await get(t, key.proposalClock(partnershipId, ageBand));
  return item && readProposalClock(item);
}

export async function startProposalClock(
  t: Table,
  partnershipId: string,
  clock: ProposalClock,
  replaces?: string,
): Promise<ProposalClock> {
  const item = { ...key.proposalClock(partnershipId, clock.ageBand), entity: 'proposal-clock', ...clock };
  let written: boolean;
  if (replaces === undefined) written = await putIfAbsent(t, item);
  else
    try {
      await t.db.send(
        new PutCommand({
          TableName: t.tableName,
          Item: item,
          ConditionExpression: '#since = :replaces',
          ExpressionAttributeNames: { '#since': 'since' },
          ExpressionAttributeValues: { ':replaces': replaces },
        }),
      );
      written = true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      written = false;
    }
  if (written) return clock;
  const stored = await getProposalClock(t, partnershipId, clock.ageBand);
  if (!stored) throw new Error(`The proposal clock of ${clock.ageBand} was removed while it was started`);
  return stored;
}

export async function updateProposalClock(
  t: Table,
  partnershipId: string,
  ageBand: string,
  since: string,
  patch: Partial<Pick<ProposalClock, 'stopped' | 'reminderLink'>>,
): Promise<boolean> {
  const set = setExpression(Object.entries(patch));
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.proposalClock(partnershipId, ageBand),
        ...set,
        ConditionExpression: '#since = :since',
        ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#since': 'since' },
        ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':since': since },
      }),
    ),
  );
}
