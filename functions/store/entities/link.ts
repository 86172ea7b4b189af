/**
 * A capability link (keyed by the hash of its token), in its referral's links index (index.link), so that
 * erasure finds every link that names its recipients. A link moves open → used (→ open again) or
 * superseded/closed.
 */
import type { Group } from '../../domain/partnership';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  epochSeconds,
  SIGN_IN_LINK_GRACE_SECONDS,
  TIME_TO_LIVE_ATTRIBUTE,
} from '../../adapters/time-to-live';
import type { AuditEvent, LinkRecord, LinkRedemption, LinkUseResult } from '../../ports';
import {
  batchGet,
  get,
  isConditionFailure,
  madeUnlessConditionFails,
  putIfAbsent,
  queryAll,
  reader,
  type Item,
  type Table,
} from '../io';
import { index, key } from '../table';
import { readReferral } from './referral';
import type { Referral } from '../../domain/referral';

const linkSchema = () =>
  z.looseObject({
    linkHash: z.string(),
    referralId: z.string(),
    step: z.string(),
    custodian: z.optional(z.number()),
    meeting: z.optional(z.number()),
    recipient: z.looseObject({ role: z.string(), email: z.string() }),
    expiresAt: z.string(),
    status: z.enum(['open', 'used', 'superseded', 'closed']),
  });
export const readLink = reader<LinkRecord>('link', linkSchema);

/** A link's item. One item: the index attributes put the link under its referral for erasure. */
export function linkItem(link: LinkRecord): Item {
  // A staff sign-in link is short-lived and belongs to no referral that erasure would clear: it expires
  // from the table (with its reference) a day after it stopped working. Links of a referral have no TTL.
  const ttl =
    link.step === 'sign-in'
      ? { [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(link.expiresAt, SIGN_IN_LINK_GRACE_SECONDS) }
      : {};
  return { ...key.link(link.linkHash), ...index.link(link), entity: 'link', ...link, ...ttl };
}

export async function putLink(t: Table, link: LinkRecord): Promise<LinkRecord> {
  // Never overwritten: a derived link made again must not reopen the first copy's used or closed link.
  const item = linkItem(link);
  return (await putIfAbsent(t, item)) ? link : readLink((await get(t, key.link(link.linkHash)))!);
}

export async function getLink(t: Table, linkHash: string): Promise<LinkRecord | undefined> {
  const item = await get(t, key.link(linkHash));
  return item && readLink(item);
}

/** A link and a referral in one request (BatchGetItem); the caller checks that they belong together. */
export async function getLinkWithReferral(
  t: Table,
  linkHash: string,
  referralId: string,
): Promise<{ link?: LinkRecord; referral?: Referral }> {
  const [link, referral] = await batchGet(t, [key.link(linkHash), key.referral(referralId)]);
  return { link: link && readLink(link), referral: referral && readReferral(referral) };
}

/** Several links in one request (per 100), in the order asked; undefined for one not stored. */
export async function getLinks(t: Table, linkHashes: string[]): Promise<(LinkRecord | undefined)[]> {
  const items = await batchGet(t, linkHashes.map(key.link));
  return items.map((item) => item && readLink(item));
}

/** A referral's links, by its links index (written with each link; eventually consistent). */
export async function listLinks(t: Table, referralId: string): Promise<LinkRecord[]> {
  const items = await queryAll(t, {
    IndexName: index.referralLinks.name,
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': index.referralLinks.partition(referralId) },
  });
  return items.map(readLink);
}

export async function bindLinkToken(t: Table, linkHash: string, taskToken: string): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.link(linkHash),
        UpdateExpression: 'SET taskToken = :t',
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':t': taskToken, ':open': 'open' },
      }),
    ),
  );
}

export async function useLink(
  t: Table,
  linkHash: string,
  at: string,
  action: string,
  redemption?: LinkRedemption,
  confirmedGroup?: Group,
): Promise<LinkUseResult> {
  const extra = [
    ...(redemption ? [['redemption', ':r', redemption] as const] : []),
    ...(confirmedGroup ? [['confirmedGroup', ':g', confirmedGroup] as const] : []),
  ];
  try {
    await t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.link(linkHash),
        // The redemption's event rides on the guard: one conditional write, not the guard and then a Put.
        UpdateExpression: `SET #s = :used, usedAt = :at, usedAction = :action${extra.map(([name, value]) => `, ${name} = ${value}`).join('')}`,
        ConditionExpression: '#s = :open AND expiresAt > :at',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':used': 'used',
          ':open': 'open',
          ':at': at,
          ':action': action,
          ...Object.fromEntries(extra.map(([, value, item]) => [value, item])),
        },
      }),
    );
    return 'ok';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const link = await getLink(t, linkHash);
    return link && link.status === 'open' ? 'expired' : 'not-open';
  }
}

export async function putUsedLink(
  t: Table,
  link: LinkRecord,
  at: string,
  action: string,
  redemption?: LinkRedemption,
  confirmedGroup?: Group,
): Promise<LinkUseResult> {
  const used: LinkRecord = {
    ...link,
    status: 'used',
    usedAt: at,
    usedAction: action,
    ...(redemption ? { redemption } : {}),
    ...(confirmedGroup ? { confirmedGroup } : {}),
  };
  try {
    await t.db.send(
      new PutCommand({
        TableName: t.tableName,
        Item: linkItem(used),
        // Not stored yet, or stored and still open (as useLink's guard): one answer per link.
        ConditionExpression: 'attribute_not_exists(PK) OR (#s = :open AND expiresAt > :at)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':at': at },
      }),
    );
    return 'ok';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const stored = await getLink(t, link.linkHash);
    return stored && stored.status === 'open' ? 'expired' : 'not-open';
  }
}

export async function reopenLink(t: Table, linkHash: string): Promise<void> {
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key.link(linkHash),
      UpdateExpression: 'SET #s = :open REMOVE usedAt, usedAction, redemption, confirmedGroup',
      ConditionExpression: '#s = :used',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':open': 'open', ':used': 'used' },
    }),
  );
}

export async function setLinkStatus(
  t: Table,
  linkHash: string,
  status: 'superseded' | 'closed',
  { onlyIfOpen = false }: { onlyIfOpen?: boolean } = {},
): Promise<void> {
  await madeUnlessConditionFails(
    t.db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: key.link(linkHash),
        UpdateExpression: 'SET #s = :s',
        ...(onlyIfOpen ? { ConditionExpression: '#s = :open' } : {}),
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ...(onlyIfOpen ? { ':open': 'open' } : {}) },
      }),
    ),
  );
}

/** A used link's redemption as the `link-redeemed` event it records (none for a link not used by an answer). */
export function redemptionEvent(link: LinkRecord): AuditEvent | undefined {
  const r = link.redemption;
  if (link.status !== 'used' || !r) return undefined;
  return {
    referralId: link.referralId,
    at: r.at,
    actor: r.actor,
    action: 'link-redeemed',
    phase: r.phase,
    detail: r.detail,
  };
}

/**
 * The referral's (or group's) links, by its links index: every link it has had. An index read, so a link used
 * a moment ago may show a moment later in AWS (the index follows the table within about a second).
 */
export async function listReferralLinks(t: Table, referralId: string): Promise<LinkRecord[]> {
  const items = await queryAll(t, {
    IndexName: index.referralLinks.name,
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': index.referralLinks.partition(referralId) },
  });
  return items.map(readLink);
}
