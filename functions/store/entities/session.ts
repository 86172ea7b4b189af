/** A staff sign-in session, expiring from the table with its TTL. */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { epochSeconds, TIME_TO_LIVE_ATTRIBUTE } from '../../adapters/time-to-live';
import type { StaffSession } from '../../ports';
import { get, reader, type Table } from '../io';
import { key } from '../table';

const sessionSchema = () =>
  z.looseObject({
    email: z.string(),
    name: z.string(),
    role: z.enum(['coordinator', 'social-worker', 'partnership-admin']),
    district: z.optional(z.string()),
    expiresAt: z.string(),
    language: z.optional(z.enum(['sv', 'en'])),
  });
export const readSession = reader<StaffSession>('session', sessionSchema);

export async function putSession(t: Table, sessionHash: string, session: StaffSession): Promise<void> {
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: {
        ...key.session(sessionHash),
        entity: 'session',
        ...session,
        [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(session.expiresAt),
      },
    }),
  );
}

export async function getSession(t: Table, sessionHash: string): Promise<StaffSession | undefined> {
  const item = await get(t, key.session(sessionHash));
  return item && readSession(item);
}

export async function deleteSession(t: Table, sessionHash: string): Promise<void> {
  await t.db.send(new DeleteCommand({ TableName: t.tableName, Key: key.session(sessionHash) }));
}
