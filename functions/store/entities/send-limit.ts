/**
 * How many emails were sent on request to one address in one window (sign-in links, and any other email a
 * stranger can ask for): one counter per window, counted up atomically, expiring with its window (TTL).
 * The address is kept only as a keyed hash.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { epochSeconds, TIME_TO_LIVE_ATTRIBUTE } from '../../adapters/time-to-live';
import { onFirstUse, type Table } from '../io';
import { key } from '../table';

const counted = onFirstUse(() => z.object({ count: z.int().check(z.positive()) }));

/** Counts one more request in `bucket` and answers how many there are now, this one included. */
export async function countRequest(t: Table, bucket: string, expiresAt: string): Promise<number> {
  const res = await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.sendLimit(bucket),
      UpdateExpression: 'ADD #count :one SET entity = :entity, #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TIME_TO_LIVE_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':entity': 'send-limit', ':ttl': epochSeconds(expiresAt) },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const parsed = counted().safeParse(res.Attributes);
  if (!parsed.success) throw new Error(`send-limit ${bucket}: the table answered no count`);
  return parsed.data.count;
}
