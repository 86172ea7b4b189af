/**
 * The partnership's consent history, for the planner's forecast: one item per age band and UTC day holding
 * the instants its children entered the pool (no id, so erasure has nothing to find), kept a year after
 * that day by TTL, in a partition of its own so that one Query reads it; and when recording began.
 *
 * Per band and day, not per child: the forecast reads the history on every pool wait, and one item per
 * child made that Query grow with the partnership's volume (~400 items at the lifecycle bench's 1 000
 * referrals, 4 % of its request floor). Over the forecast's 26 weeks it is now at most 182 items a band;
 * the bench's 600 consents are 4. An item holds ~27 bytes an instant, so a band would need over ten
 * thousand consents in one day to reach DynamoDB's 400 KB. Items written one per child before 2026-12-03
 * are still read, until their TTL removes them.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
const readConsentDay = reader<{ ageBand: string; ats: string[] }>('consent-day', () =>
  z.looseObject({ ageBand: z.string(), ats: z.array(z.string()) }),
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
  const day = consent.at.slice(0, 10);
  // The day's instants in one item: an append, atomic in DynamoDB (and under dynalite's item lock).
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.consentDay(partnershipId, day, consent.ageBand),
      UpdateExpression:
        'SET entity = :entity, ageBand = :band, ats = list_append(if_not_exists(ats, :none), :at), #ttl = :ttl',
      ExpressionAttributeNames: { '#ttl': TIME_TO_LIVE_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':entity': 'consent-day',
        ':band': consent.ageBand,
        ':none': [],
        ':at': [consent.at],
        // A year after the day's end, the same for every consent of the day.
        ':ttl': epochSeconds(`${day}T23:59:59.999Z`, CONSENT_HISTORY_TTL_SECONDS),
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
    consents: [
      ...items
        .filter((i) => String(i.SK).startsWith(sortPrefix.consent))
        .map(readConsent)
        .map(({ ageBand, at }) => ({ ageBand, at })),
      ...items
        .filter((i) => String(i.SK).startsWith(sortPrefix.consentDay))
        .map(readConsentDay)
        .flatMap(({ ageBand, ats }) => ats.map((at) => ({ ageBand, at }))),
    ].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
