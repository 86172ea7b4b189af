/**
 * ReferralStore on one DynamoDB table (key design in infra/constructs/table-design.ts). Every write is
 * a single-item (conditional) write: dynalite has no transactions, and none are needed.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { parsePartnership, type Group, type Partnership } from '../domain/partnership';
import type { Referral } from '../domain/referral';
import { stepKey, type StepName } from '../domain/steps';
import type { ConsentRecord, Withdrawal } from '../domain/referral';
import type { PoolEntry } from '../domain/grouping';
import type { AnonymisedReferral, EvaluationAnswer } from '../domain/follow-up';
import type {
  AttendanceRecord,
  AuditEvent,
  StaffSession,
  ChildClaim,
  ClaimResult,
  DueErasure,
  JoinResult,
  LinkRecord,
  LinkUseResult,
  ReferralStore,
  StepRecord,
} from '../ports';
import {
  epochSeconds,
  SIGN_IN_LINK_GRACE_SECONDS,
  SUBMISSION_TTL_SECONDS,
  TIME_TO_LIVE_ATTRIBUTE,
} from './time-to-live';

const key = {
  referral: (id: string) => ({ PK: `REFERRAL#${id}`, SK: 'REFERRAL' }),
  step: (id: string, step: StepName, custodian?: number) => ({
    PK: `REFERRAL#${id}`,
    SK: `STEP#${stepKey(step, custodian)}`,
  }),
  notification: (id: string, k: string) => ({ PK: `REFERRAL#${id}`, SK: `NOTIFY#${k}` }),
  link: (hash: string) => ({ PK: `LINK#${hash}`, SK: 'LINK' }),
  submission: (k: string) => ({ PK: `SUBMISSION#${k}`, SK: 'SUBMISSION' }),
  child: (hash: string) => ({ PK: `CHILD#${hash}`, SK: 'ACTIVE' }),
  partnership: (id: string) => ({ PK: `PARTNERSHIP#${id}`, SK: 'PARTNERSHIP' }),
  group: (pid: string, gid: string) => ({ PK: `PARTNERSHIP#${pid}`, SK: `GROUP#${gid}` }),
  member: (gid: string, rid: string) => ({ PK: `GROUP#${gid}`, SK: `MEMBER#${rid}` }),
  placement: (rid: string) => ({ PK: `REFERRAL#${rid}`, SK: 'PLACEMENT' }),
  // ISO instants of one format sort as they compare, so a Query on SK ≤ now finds what is due.
  erasure: (d: DueErasure) => ({ PK: 'ERASURE', SK: `${d.eraseAt}#${d.referralId}` }),
};

const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'entity', TIME_TO_LIVE_ATTRIBUTE];

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

/** A group as the domain sees it: the set of seated children is the store's own bookkeeping for joins. */
function stripGroup(item: Record<string, unknown> | undefined): Group | undefined {
  const group = strip<Group & { seatedReferrals?: unknown }>(item);
  if (group) delete group.seatedReferrals;
  return group;
}

/** `SET #a0 = :v0, …` for the defined values of a patch. */
function setExpression(entries: [string, unknown][]) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:v${i}`] = v;
      return `#a${i} = :v${i}`;
    });
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

function referralIndexKeys(
  r: Pick<Referral, 'district' | 'createdAt' | 'referralId' | 'status' | 'updatedAt'>,
) {
  return {
    GSI1PK: `DISTRICT#${r.district}`,
    GSI1SK: `${r.createdAt}#${r.referralId}`,
    GSI2PK: `STATUS#${r.status}`,
    GSI2SK: r.referralId,
  };
}

export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? { endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export class DynamoDbReferralStore implements ReferralStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Every item a Query returns, across pages (up to `limit` items when given). Never a Scan. */
  private async queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    limit?: number,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({ ...input, TableName: this.tableName, Limit: limit, ExclusiveStartKey: startKey }),
      );
      items.push(...(out.Items ?? []));
      startKey = limit && items.length >= limit ? undefined : out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Every item of one partition (optionally with a sort-key prefix). */
  private queryPartition(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
      ConsistentRead: true,
    });
  }

  private async get(k: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: k, ConsistentRead: true }),
    );
    return out.Item;
  }

  private async deleteIf(
    k: { PK: string; SK: string },
    holderAttribute: string,
    holder: string,
  ): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: k,
          ConditionExpression: '#h = :h',
          ExpressionAttributeNames: { '#h': holderAttribute },
          ExpressionAttributeValues: { ':h': holder },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async claimSubmission(idempotencyKey: string, referralId: string, at: string): Promise<ClaimResult> {
    if (
      await this.putIfAbsent({
        ...key.submission(idempotencyKey),
        entity: 'submission',
        referralId,
        at,
        [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(at, SUBMISSION_TTL_SECONDS),
      })
    )
      return { claimed: true };
    const existing = await this.get(key.submission(idempotencyKey));
    return { claimed: false, holder: String(existing?.referralId ?? '') };
  }

  async releaseSubmission(idempotencyKey: string, referralId: string): Promise<void> {
    await this.deleteIf(key.submission(idempotencyKey), 'referralId', referralId);
  }

  /** `claimedAt` is wall time (epoch ms): the lease is about processes, not the programme's clock. */
  async claimChild(identityHash: string, referralId: string): Promise<ChildClaim> {
    const claimedAt = Date.now();
    if (await this.putIfAbsent({ ...key.child(identityHash), entity: 'child-lock', referralId, claimedAt }))
      return { claimed: true };
    const existing = await this.get(key.child(identityHash));
    const holder = String(existing?.referralId ?? '');
    if (holder === referralId) return { claimed: true };
    // A lock written before `claimedAt` existed is older than any lease.
    const heldForMs = typeof existing?.claimedAt === 'number' ? Date.now() - existing.claimedAt : Infinity;
    return { claimed: false, holder, heldForMs };
  }

  async takeOverChild(identityHash: string, from: string, referralId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.child(identityHash),
          UpdateExpression: 'SET referralId = :to, claimedAt = :at',
          ConditionExpression: 'referralId = :from',
          ExpressionAttributeValues: { ':to': referralId, ':from': from, ':at': Date.now() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseChild(identityHash: string, referralId: string): Promise<void> {
    await this.deleteIf(key.child(identityHash), 'referralId', referralId);
  }

  async createReferral(referral: Referral): Promise<boolean> {
    return this.putIfAbsent({
      ...key.referral(referral.referralId),
      ...referralIndexKeys(referral),
      entity: 'referral',
      ...referral,
    });
  }

  async getReferral(referralId: string): Promise<Referral | undefined> {
    return strip<Referral>(await this.get(key.referral(referralId)));
  }

  async updateReferral(referralId: string, patch: Partial<Omit<Referral, 'referralId'>>): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    // The status index moves with the status; its sort key is the id, so nothing else needs to be read.
    if (patch.status !== undefined) entries.push(['GSI2PK', `STATUS#${patch.status}`]);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.referral(referralId),
        ConditionExpression: 'attribute_exists(PK)',
        ...setExpression(entries),
      }),
    );
  }

  async claimNotification(
    referralId: string,
    k: string,
    at: string,
  ): Promise<{ claimed: boolean; sent: boolean; at: string }> {
    if (
      await this.putIfAbsent({
        ...key.notification(referralId, k),
        entity: 'notification',
        at,
        state: 'sending',
      })
    )
      return { claimed: true, sent: false, at };
    const earlier = await this.get(key.notification(referralId, k));
    // Markers written before the state existed were written after sending.
    return { claimed: false, sent: earlier?.state !== 'sending', at: String(earlier?.at ?? at) };
  }

  async markNotificationSent(referralId: string, k: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.notification(referralId, k),
        UpdateExpression: 'SET #state = :sent',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent' },
      }),
    );
  }

  async releaseNotification(referralId: string, k: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: key.notification(referralId, k) }),
    );
  }

  async getPartnership(partnershipId: string): Promise<Partnership | undefined> {
    // Parsed, not cast: a partnership written by hand or by an older version fails here with every bad
    // field named, not later as an undefined setting deep inside a step.
    const item = strip<unknown>(await this.get(key.partnership(partnershipId)));
    return item === undefined
      ? undefined
      : parsePartnership(item, `partnership ${partnershipId} in the table`);
  }

  async putPartnership(p: Partnership): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key.partnership(p.id), entity: 'partnership', ...p },
      }),
    );
  }

  async listGroups(partnershipId: string): Promise<Group[]> {
    return (await this.queryPartition(`PARTNERSHIP#${partnershipId}`, 'GROUP#')).map((i) => stripGroup(i)!);
  }

  async putGroup(g: Group): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key.group(g.partnershipId, g.groupId), entity: 'group', ...g },
      }),
    );
  }

  async joinGroup(
    partnershipId: string,
    groupId: string,
    referralId: string,
    at: string,
  ): Promise<JoinResult> {
    // Three writes, each safe to repeat, so a join cut off by a crash is finished by calling it again
    // (dynalite has no transactions). First the child's placement: one per referral, so two groups
    // confirmed at the same moment (two proposal links, two coordinators) cannot both take the same child.
    if (!(await this.putIfAbsent({ ...key.placement(referralId), entity: 'placement', groupId, at }))) {
      const placed = await this.get(key.placement(referralId));
      if (placed?.groupId !== groupId) return 'placed-elsewhere';
    }
    try {
      // The seat: the count and the set of seated children change in one conditional write, which keeps
      // memberCount ≤ capacity under concurrency and never seats the same child twice.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
      const group = await this.get(key.group(partnershipId, groupId));
      if ((group?.seatedReferrals as Set<string> | undefined)?.has(referralId)) {
        await this.putMember(groupId, referralId, at); // seated by an earlier attempt or a double click
        return 'already-member';
      }
      await this.db
        .send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key.placement(referralId),
            ConditionExpression: 'groupId = :g',
            ExpressionAttributeValues: { ':g': groupId },
          }),
        )
        .catch((e: unknown) => {
          if (!isConditionFailure(e)) throw e;
        });
      return group ? 'full' : 'unknown-group';
    }
    await this.putMember(groupId, referralId, at);
    return 'joined';
  }

  private async putMember(groupId: string, referralId: string, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key.member(groupId, referralId), entity: 'group-member', referralId, at },
      }),
    );
  }

  async getStep(referralId: string, step: StepName, custodian?: number): Promise<StepRecord | undefined> {
    return strip<StepRecord>(await this.get(key.step(referralId, step, custodian)));
  }

  async putStep(s: StepRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...key.step(s.referralId, s.step, s.custodian), entity: 'step', ...s },
      }),
    );
  }

  async markStepEmailSent(
    referralId: string,
    step: StepName,
    custodian: number | undefined,
    at: string,
  ): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.step(referralId, step, custodian),
        UpdateExpression: 'SET emailSentAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async listSteps(referralId: string): Promise<StepRecord[]> {
    return (await this.queryPartition(`REFERRAL#${referralId}`, 'STEP#')).map((i) => strip<StepRecord>(i)!);
  }

  async recordCustodianConsent(referralId: string, index: number, consent: ConsentRecord): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.referral(referralId),
          UpdateExpression: `SET custodians[${index}].#consent = :c, updatedAt = :at`,
          ConditionExpression: `attribute_exists(custodians[${index}]) AND attribute_not_exists(custodians[${index}].#consent)`,
          ExpressionAttributeNames: { '#consent': 'consent' },
          ExpressionAttributeValues: { ':c': consent, ':at': consent.at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async clearCustodianConsent(referralId: string, index: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.referral(referralId),
        UpdateExpression: `REMOVE custodians[${index}].#consent`,
        ConditionExpression: `attribute_exists(custodians[${index}])`,
        ExpressionAttributeNames: { '#consent': 'consent' },
      }),
    );
  }

  async setCustodianReminders(referralId: string, index: number, remindersSent: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.referral(referralId),
        UpdateExpression: `SET custodians[${index}].remindersSent = :n`,
        ConditionExpression: `attribute_exists(custodians[${index}])`,
        ExpressionAttributeValues: { ':n': remindersSent },
      }),
    );
  }

  async markWithdrawn(referralId: string, withdrawal: Withdrawal): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.referral(referralId),
          UpdateExpression: 'SET withdrawal = :w, updatedAt = :at',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(withdrawal) AND #status <> :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':w': withdrawal, ':at': withdrawal.at, ':closed': 'closed' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getGroup(partnershipId: string, groupId: string): Promise<Group | undefined> {
    return stripGroup(await this.get(key.group(partnershipId, groupId)));
  }

  async updateGroup(partnershipId: string, groupId: string, patch: Partial<Group>): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.group(partnershipId, groupId),
        ConditionExpression: 'attribute_exists(PK)',
        ...setExpression(Object.entries(patch)),
      }),
    );
  }

  async putPoolEntry(partnershipId: string, entry: PoolEntry): Promise<void> {
    await this.putIfAbsent({
      PK: `POOL#${partnershipId}`,
      SK: `${entry.ageBand}#${entry.referralId}`,
      entity: 'pool-entry',
      ...entry,
    });
  }

  async removePoolEntry(partnershipId: string, ageBand: string, referralId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { PK: `POOL#${partnershipId}`, SK: `${ageBand}#${referralId}` },
      }),
    );
  }

  async listPool(partnershipId: string, ageBand?: string): Promise<PoolEntry[]> {
    return (await this.queryPartition(`POOL#${partnershipId}`, ageBand ? `${ageBand}#` : undefined)).map(
      (i) => strip<PoolEntry>(i)!,
    );
  }

  async recordAttendance(r: AttendanceRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `GROUP#${r.groupId}`,
          SK: `ATTENDANCE#${String(r.meeting).padStart(2, '0')}#${r.referralId}`,
          entity: 'attendance',
          ...r,
        },
      }),
    );
  }

  async listAttendance(groupId: string): Promise<AttendanceRecord[]> {
    return (await this.queryPartition(`GROUP#${groupId}`, 'ATTENDANCE#')).map((i) =>
      strip<AttendanceRecord>(i)!,
    );
  }

  async listGroupMembers(groupId: string): Promise<string[]> {
    return (await this.queryPartition(`GROUP#${groupId}`, 'MEMBER#')).map((i) => String(i.referralId));
  }

  async leaveGroup(partnershipId: string, groupId: string, referralId: string): Promise<boolean> {
    // The seat first: taking the child out of the set gives the seat back exactly once.
    let seatFreed = true;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
    const removed = await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: key.member(groupId, referralId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return seatFreed || !!removed.Attributes;
  }

  async putLink(link: LinkRecord): Promise<LinkRecord> {
    // A staff sign-in link is short-lived and belongs to no referral that erasure would clear: it expires
    // from the table (with its reference) a day after it stopped working. Links of a referral have no TTL.
    const ttl =
      link.step === 'sign-in'
        ? { [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(link.expiresAt, SIGN_IN_LINK_GRACE_SECONDS) }
        : {};
    // Never overwritten: a derived link made again must not reopen the first copy's used or closed link.
    const stored = (await this.putIfAbsent({ ...key.link(link.linkHash), entity: 'link', ...link, ...ttl }))
      ? link
      : strip<LinkRecord>(await this.get(key.link(link.linkHash)))!;
    // A reference under the referral, so erasure finds every link that names its recipients.
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `REFERRAL#${link.referralId}`,
          SK: `LINKREF#${link.linkHash}`,
          entity: 'link-ref',
          linkHash: link.linkHash,
          ...ttl,
        },
      }),
    );
    return stored;
  }

  async putEvaluation(referralId: string, answer: EvaluationAnswer): Promise<boolean> {
    return this.putIfAbsent({
      PK: `REFERRAL#${referralId}`,
      SK: `EVALUATION#${answer.round}#${answer.respondent}`,
      entity: 'evaluation',
      ...answer,
    });
  }

  async listEvaluations(referralId: string): Promise<EvaluationAnswer[]> {
    return (await this.rawReferralItems(referralId))
      .filter((i) => String(i.SK).startsWith('EVALUATION#'))
      .map((i) => strip<EvaluationAnswer>(i)!);
  }

  async putSession(sessionHash: string, session: StaffSession): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `SESSION#${sessionHash}`,
          SK: 'SESSION',
          entity: 'session',
          ...session,
          [TIME_TO_LIVE_ATTRIBUTE]: epochSeconds(session.expiresAt),
        },
      }),
    );
  }

  async getSession(sessionHash: string): Promise<StaffSession | undefined> {
    return strip<StaffSession>(await this.get({ PK: `SESSION#${sessionHash}`, SK: 'SESSION' }));
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { PK: `SESSION#${sessionHash}`, SK: 'SESSION' } }),
    );
  }

  async listReferralsByDistrict(district: string, from = '0', to = '~'): Promise<Record<string, unknown>[]> {
    const items = await this.queryAll({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `DISTRICT#${district}`, ':from': from, ':to': to },
      ScanIndexForward: false,
    });
    return items.map((i) => strip<Record<string, unknown>>(i)!);
  }

  async rawReferralItems(referralId: string): Promise<Record<string, unknown>[]> {
    return this.queryPartition(`REFERRAL#${referralId}`);
  }

  async eraseReferral(referralId: string, anonymised: AnonymisedReferral): Promise<void> {
    const del = (k: { PK: string; SK: string }) =>
      this.db.send(new DeleteCommand({ TableName: this.tableName, Key: k }));
    for (const item of await this.rawReferralItems(referralId)) {
      const sk = String(item.SK);
      const k = { PK: String(item.PK), SK: sk };
      if (sk === 'REFERRAL') {
        // The same key and district index (the report still counts it); nothing personal is carried over.
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key.referral(referralId),
              GSI1PK: item.GSI1PK,
              GSI1SK: item.GSI1SK,
              GSI2PK: 'STATUS#erased',
              GSI2SK: referralId,
              entity: 'referral-anonymised',
              status: 'erased',
              ...anonymised,
            },
          }),
        );
      } else if (sk.startsWith('LINKREF#')) {
        await del(key.link(String(item.linkHash)));
        await del(k);
      } else if (sk.startsWith('AUDIT#')) {
        // Who, what, when stays as roles and actions; names and free text go.
        const { actor, detail } = item as { actor?: { role: string }; detail?: Record<string, string> };
        const kept: Record<string, string> = {};
        for (const field of [
          'step',
          'outcome',
          'basis',
          'custodian',
          'round',
          'meeting',
          'present',
          'error',
          'groupId',
          'format',
        ])
          if (detail?.[field] !== undefined) kept[field] = detail[field]!;
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...item, actor: { role: actor?.role ?? 'unknown' }, detail: kept },
          }),
        );
      } else {
        // Steps, answers (their scores live on in the anonymised record), sent-notification markers.
        await del(k);
      }
    }
  }

  async putDueErasure(due: DueErasure): Promise<void> {
    // The same referral and instant give the same key: a repeat changes nothing.
    await this.putIfAbsent({
      ...key.erasure(due),
      entity: 'due-erasure',
      referralId: due.referralId,
      eraseAt: due.eraseAt,
    });
  }

  async listDueErasures(dueBy: string, page: { limit: number; after?: DueErasure }): Promise<DueErasure[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        // `~` sorts after every character of a referral id: everything due at `dueBy` itself is included.
        KeyConditionExpression: 'PK = :pk AND SK <= :to',
        ExpressionAttributeValues: { ':pk': 'ERASURE', ':to': `${dueBy}#~` },
        ConsistentRead: true,
        Limit: page.limit,
        ExclusiveStartKey: page.after ? key.erasure(page.after) : undefined,
      }),
    );
    return (out.Items ?? []).map((i) => ({ referralId: String(i.referralId), eraseAt: String(i.eraseAt) }));
  }

  async removeDueErasure(due: DueErasure): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key.erasure(due) }));
  }

  async getLink(linkHash: string): Promise<LinkRecord | undefined> {
    return strip<LinkRecord>(await this.get(key.link(linkHash)));
  }

  async bindLinkToken(linkHash: string, taskToken: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.link(linkHash),
          UpdateExpression: 'SET taskToken = :t',
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':t': taskToken, ':open': 'open' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async useLink(linkHash: string, at: string, action: string): Promise<LinkUseResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.link(linkHash),
          UpdateExpression: 'SET #s = :used, usedAt = :at, usedAction = :action',
          ConditionExpression: '#s = :open AND expiresAt > :at',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':used': 'used', ':open': 'open', ':at': at, ':action': action },
        }),
      );
      return 'ok';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const link = await this.getLink(linkHash);
      return link && link.status === 'open' ? 'expired' : 'not-open';
    }
  }

  async reopenLink(linkHash: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.link(linkHash),
        UpdateExpression: 'SET #s = :open REMOVE usedAt, usedAction',
        ConditionExpression: '#s = :used',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':used': 'used' },
      }),
    );
  }

  async setLinkStatus(linkHash: string, status: 'superseded' | 'closed'): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key.link(linkHash),
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status },
      }),
    );
  }

  async appendAudit(event: AuditEvent, onceKey?: string): Promise<void> {
    // Within one instant, events from one process keep their order (hrtime); the random part keeps keys unique.
    // A once-only event gets the same key each time it is written, so writing it again changes nothing.
    if (onceKey) {
      // Its key does not depend on the instant: the first write stands, a repeat changes nothing.
      await this.putIfAbsent({
        PK: `REFERRAL#${event.referralId}`,
        SK: `AUDIT#once#${onceKey}`,
        entity: 'audit',
        ...event,
      });
      return;
    }
    const sk = `AUDIT#${event.at}#${process.hrtime.bigint().toString().padStart(20, '0')}#${randomBytes(4).toString('hex')}`;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: `REFERRAL#${event.referralId}`, SK: sk, entity: 'audit', ...event },
      }),
    );
  }

  async listAudit(referralId: string): Promise<AuditEvent[]> {
    // In time order: once-only events are keyed by what they are, not when (a stable sort keeps the rest).
    return (await this.queryPartition(`REFERRAL#${referralId}`, 'AUDIT#'))
      .map((i) => strip<AuditEvent>(i)!)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  async appendLinkAudit(event: Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          PK: `LINKAUDIT#${event.at.slice(0, 10)}`,
          SK: `${event.at}#${randomBytes(6).toString('hex')}`,
          entity: 'link-audit',
          ...event,
        },
      }),
    );
  }

  async listLinkAudit(day: string): Promise<(Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string })[]> {
    return (await this.queryPartition(`LINKAUDIT#${day}`)).map((i) =>
      strip<Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string }>(i)!,
    );
  }

  async listReferralsByStatus(status: Referral['status'], limit?: number): Promise<Referral[]> {
    const items = await this.queryAll(
      {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `STATUS#${status}` },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map((i) => strip<Referral>(i)!);
  }
}
