/**
 * The partnership's consent history, for the planner's forecast: one small item per child entering the
 * pool (its band and the instant, no id, so erasure has nothing to find), kept a year by TTL, in a
 * partition of its own so that one Query reads it; and when recording began.
 */
import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ConsentHistory } from '../../domain/grouping';
import {
  CONSENT_HISTORY_TTL_SECONDS,
  epochSeconds,
  TIME_TO_LIVE_ATTRIBUTE,
} from '../../adapters/time-to-live';
import { putIfAbsent, queryPartition, reader, type Table } from '../io';
import { key, partition, sortPrefix } from '../table';

const readConsent = reader<{ ageBand: string; at: string }>('consent', () =>
  z.looseObject({ ageBand: z.string(), at: z.string() }),
);
const readSince = reader<{ since: string }>('consents-since', () => z.looseObject({ since: z.string() }));

/**
 * The partnerships whose history start this container has seen written, per table: the item is never
 * changed or removed (no TTL, erasure never reaches it), so once written it stays, and its conditional put
 * (which fails for every child after the first) is made once per container instead of once per child.
 */
const sinceWritten = new WeakMap<Table['db'], Set<string>>();

export async function recordConsent(
  t: Table,
  partnershipId: string,
  consent: { ageBand: string; at: string },
): Promise<void> {
  const written = sinceWritten.get(t.db) ?? new Set<string>();
  sinceWritten.set(t.db, written);
  const since = `${t.tableName}#${partnershipId}`;
  if (!written.has(since)) {
    await putIfAbsent(t, {
      ...key.consentsSince(partnershipId),
      entity: 'consents-since',
      since: consent.at,
    });
    written.add(since);
  }
  await t.db.send(
    new PutCommand({
      TableName: t.tableName,
      Item: {
        ...key.consent(partnershipId, consent.at, randomBytes(4).toString('hex')),
        entity: 'consent',
        ageBand: consent.ageBand,
        at: consent.at,
        [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(consent.at, CONSENT_HISTORY_TTL_SECONDS),
      },
    }),
  );
}

export async function consentHistory(t: Table, partnershipId: string): Promise<ConsentHistory | undefined> {
  const items = await queryPartition(t, partition.consents(partnershipId));
  const since = items.find((i) => i.SK === key.consentsSince(partnershipId).SK);
  if (!since) return undefined;
  return {
    since: readSince(since).since,
    consents: items
      .filter((i) => String(i.SK).startsWith(sortPrefix.consent))
      .map(readConsent)
      .map(({ ageBand, at }) => ({ ageBand, at })),
  };
}
