/** A child's membership of a group, under the group. */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const memberSchema = () => z.looseObject({ referralId: z.string(), at: z.string() });
const readMember = reader<z.infer<ReturnType<typeof memberSchema>>>('group-member', memberSchema);

export async function putMember(t: Table, groupId: string, referralId: string, at: string): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: { ...key.member(groupId, referralId), entity: 'group-member', referralId, at },
    }),
  );
}

/** Removes the member item; true when there was one. */
export async function removeMember(t: Table, groupId: string, referralId: string): Promise<boolean> {
  const removed = await t.db.send(
    new DeleteCommand({
      TableName: t.tableName,
      Key: key.member(groupId, referralId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return !!removed.Attributes;
}

export async function listGroupMembers(t: Table, groupId: string): Promise<string[]> {
  return (await queryPartition(t, partition.group(groupId), sortPrefix.member)).map(
    (i) => readMember(i).referralId,
  );
}
