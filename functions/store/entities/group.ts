/**
 * A partnership's group, with the seat bookkeeping joins and leaves keep on it (`seatedReferrals`, the
 * set of seated children, which the domain never sees).
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { GROUP_STEPS, type Group } from '../../domain/partnership';
import type { JoinResult } from '../../ports';
import { get, isConditionFailure, queryPartition, reader, setExpression, type Item, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';
import { putMember, removeMember } from './member';
import { placeChild, releasePlacement } from './placement';

const groupSchema = () =>
  z.looseObject({
    partnershipId: z.string(),
    groupId: z.string(),
    name: z.string(),
    format: z.enum(['weekly', 'weekend']),
    ageBand: z.string(),
    status: z.enum(['forming', 'running', 'completed', 'cancelled']),
    capacity: z.number(),
    memberCount: z.number(),
    seatedReferrals: z.optional(z.instanceof(Set)),
    failure: z.optional(
      z.object({
        step: z.enum(GROUP_STEPS),
        meeting: z.optional(z.int()),
        error: z.string(),
        at: z.string(),
        retriedAt: z.optional(z.string()),
      }),
    ),
  });
const parseGroup = reader<Group & { seatedReferrals?: Set<string> }>('group', groupSchema);

/** A group as the domain sees it: the set of seated children is the store's own bookkeeping for joins. */
export function readGroup(item: Item): Group {
  const { seatedReferrals: _seated, ...group } = parseGroup(item);
  return group;
}

export async function listGroups(t: Table, partnershipId: string): Promise<Group[]> {
  return (await queryPartition(t, partition.partnership(partnershipId), sortPrefix.group)).map(readGroup);
}

export async function putGroup(t: Table, g: Group): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { ...key.group(g.partnershipId, g.groupId), entity: 'group', ...g },
    }),
  );
}

export async function getGroup(t: Table, partnershipId: string, groupId: string): Promise<Group | undefined> {
  const item = await get(t, key.group(partnershipId, groupId));
  return item && readGroup(item);
}

export async function updateGroup(
  t: Table,
  partnershipId: string,
  groupId: string,
  patch: Partial<Group>,
): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.group(partnershipId, groupId),
      ConditionExpression: 'attribute_exists(PK)',
      ...setExpression(Object.entries(patch)),
    }),
  );
}

export async function joinGroup(
  t: Table,
  partnershipId: string,
  groupId: string,
  referralId: string,
  at: string,
): Promise<JoinResult> {
  // Three writes, each safe to repeat, so a join cut off by a crash is finished by calling it again
  // (dynalite has no transactions). First the child's placement: one per referral, so two groups
  // confirmed at the same moment (two proposal links, two coordinators) cannot both take the same child.
  if (!(await placeChild(t, referralId, groupId, at))) return 'placed-elsewhere';
  try {
    // The seat: the count and the set of seated children change in one conditional write, which keeps
    // memberCount ≤ capacity under concurrency and never seats the same child twice.
    await t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.group(partnershipId, groupId),
        UpdateExpression: 'SET memberCount = memberCount + :one ADD seatedReferrals :child',
        // A running group takes a child for a freed seat; a completed or cancelled one takes nobody.
        ConditionExpression:
          'attribute_exists(PK) AND memberCount < #cap AND #status IN (:forming, :running) AND NOT contains(seatedReferrals, :id)',
        ExpressionAttributeNames: { '#cap': 'capacity', '#status': 'status' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':child': new Set([referralId]),
          ':id': referralId,
          ':forming': 'forming',
          ':running': 'running',
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const item = await get(t, key.group(partnershipId, groupId));
    const group = item && parseGroup(item);
    if (group?.seatedReferrals?.has(referralId)) {
      await putMember(t, groupId, referralId, at); // seated by an earlier attempt or a double click
      return 'already-member';
    }
    await releasePlacement(t, referralId, groupId);
    return group ? 'full' : 'unknown-group';
  }
  await putMember(t, groupId, referralId, at);
  return 'joined';
}

export async function leaveGroup(
  t: Table,
  partnershipId: string,
  groupId: string,
  referralId: string,
): Promise<boolean> {
  // The seat first: taking the child out of the set gives the seat back exactly once.
  let seatFreed = true;
  try {
    await t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.group(partnershipId, groupId),
        UpdateExpression: 'SET memberCount = memberCount - :one DELETE seatedReferrals :child',
        ConditionExpression: 'contains(seatedReferrals, :id)',
        ExpressionAttributeValues: { ':one': 1, ':child': new Set([referralId]), ':id': referralId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    seatFreed = false;
  }
  // Then the member item. A leave cut off between the two is finished by calling it again, and still
  // reports the seat as freed, so the caller offers it to the next child.
  const removed = await removeMember(t, groupId, referralId);
  return seatFreed || removed;
}
