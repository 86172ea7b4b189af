/**
 * ReferralStore on one DynamoDB table: a thin composition of the entity modules (functions/store/entities),
 * one per kind of item, each with its keys (functions/store/table.ts, the only place a key is built) and the
 * schema that checks what is read. Every write is a single-item (conditional) write, or an unconditional
 * batch that can be written again (erasure): dynalite has no transactions, and none are needed.
 *
 * Each port method is declared here and calls its entity function by name: the IAM test
 * (test/infra/sdk-calls.ts) follows a port method to this class, and from it to the SDK commands it sends.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnonymisedReferral, EvaluationAnswer } from '../domain/follow-up';
import type { ConsentHistory, PoolClaim, PoolEntry, ProposalClock } from '../domain/grouping';
import type { Group, Partnership } from '../domain/partnership';
import type { ConsentRecord, HomeVisit, Phase, Referral, Withdrawal } from '../domain/referral';
import type { StepName } from '../domain/steps';
import type {
  AnonymiseFromItems,
  AttendanceEntry,
  AttendanceRecord,
  AuditEvent,
  ChildClaim,
  ClaimResult,
  DueErasure,
  PoolPlace,
  ErasureResult,
  JoinResult,
  LinkRecord,
  LinkRedemption,
  LinkUseResult,
  NotificationMarker,
  ReferralStore,
  StaffSession,
  StepRecord,
} from '../ports';
import { listAttendance, recordAttendance } from '../store/entities/attendance';
import {
  appendAudit,
  appendLinkAudit,
  listAudit,
  listLinkAudit,
  recordEvents,
} from '../store/entities/audit';
import { claimChild, releaseChild, takeOverChild } from '../store/entities/child-lock';
import { countRequest } from '../store/entities/send-limit';
import { eraseReferral, listDueErasures, putDueErasure, removeDueErasure } from '../store/entities/erasure';
import { getReferralWithAnswers, listEvaluations, putEvaluation } from '../store/entities/evaluation';
import { getGroup, joinGroup, leaveGroup, listGroups, putGroup, updateGroup } from '../store/entities/group';
import {
  bindLinkToken,
  getLink,
  getLinks,
  getLinkWithReferral,
  listLinks,
  putLink,
  putUsedLink,
  reopenLink,
  setLinkStatus,
  useLink,
} from '../store/entities/link';
import { listGroupMembers } from '../store/entities/member';
import {
  claimNotification,
  getReferralNotified,
  markNotificationSent,
  markNotificationsSent,
  releaseNotification,
  wasNotified,
  wereNotified,
} from '../store/entities/notification';
import { getPartnership, putPartnership } from '../store/entities/partnership';
import {
  listPool,
  listPoolClaims,
  listPoolWithClaims,
  putPoolClaim,
  putPoolEntry,
  removePoolClaim,
  removePoolEntry,
} from '../store/entities/pool-entry';
import { consentHistory, recordConsent } from '../store/entities/consent-history';
import { getProposalClock, startProposalClock, updateProposalClock } from '../store/entities/proposal-clock';
import {
  clearCustodianConsent,
  createReferral,
  getReferral,
  getReferrals,
  listReferralsByDistrict,
  listReferralsByStatus,
  enterPhase,
  markWithdrawn,
  rawReferralItems,
  recordCustodianConsent,
  recordHomeVisit,
  setCustodianEmail,
  setCustodianReminders,
  updateReferral,
  updateReferralReading,
} from '../store/entities/referral';
import { deleteSession, getSession, putSession } from '../store/entities/session';
import { getReferralWithStep, getStep, listSteps, markStepEmailSent, putStep } from '../store/entities/step';
import { claimSubmission, releaseSubmission } from '../store/entities/submission';
import type { Table } from '../store/io';

export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    endpoint
      ? { endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

type LinkAuditEvent = Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string };

export class DynamoDbReferralStore implements ReferralStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Read on each call: tests that simulate a crash replace `db.send` on the client this store holds. */
  private get table(): Table {
    return { db: this.db, tableName: this.tableName };
  }

  // Submissions and the active-child lock.
  claimSubmission(idempotencyKey: string, referralId: string, at: string): Promise<ClaimResult> {
    return claimSubmission(this.table, idempotencyKey, referralId, at);
  }
  releaseSubmission(idempotencyKey: string, referralId: string): Promise<void> {
    return releaseSubmission(this.table, idempotencyKey, referralId);
  }
  claimChild(identityHash: string, referralId: string): Promise<ChildClaim> {
    return claimChild(this.table, identityHash, referralId);
  }
  takeOverChild(identityHash: string, from: string, referralId: string): Promise<boolean> {
    return takeOverChild(this.table, identityHash, from, referralId);
  }
  releaseChild(identityHash: string, referralId: string): Promise<void> {
    return releaseChild(this.table, identityHash, referralId);
  }

  countRequest(bucket: string, expiresAt: string): Promise<number> {
    return countRequest(this.table, bucket, expiresAt);
  }

  // Referrals.
  createReferral(referral: Referral): Promise<boolean> {
    return createReferral(this.table, referral);
  }
  getReferral(referralId: string): Promise<Referral | undefined> {
    return getReferral(this.table, referralId);
  }
  getReferrals(referralIds: string[]): Promise<(Referral | undefined)[]> {
    return getReferrals(this.table, referralIds);
  }
  updateReferral(referralId: string, patch: Partial<Omit<Referral, 'referralId'>>): Promise<void> {
    return updateReferral(this.table, referralId, patch);
  }
  updateReferralReading(referralId: string, patch: Partial<Omit<Referral, 'referralId'>>): Promise<Referral> {
    return updateReferralReading(this.table, referralId, patch);
  }
  recordCustodianConsent(referralId: string, index: number, consent: ConsentRecord): Promise<boolean> {
    return recordCustodianConsent(this.table, referralId, index, consent);
  }
  recordHomeVisit(referralId: string, homeVisit: HomeVisit, since: string): Promise<boolean> {
    return recordHomeVisit(this.table, referralId, homeVisit, since);
  }
  clearCustodianConsent(referralId: string, index: number): Promise<void> {
    return clearCustodianConsent(this.table, referralId, index);
  }
  setCustodianReminders(referralId: string, index: number, remindersSent: number): Promise<void> {
    return setCustodianReminders(this.table, referralId, index, remindersSent);
  }
  setCustodianEmail(referralId: string, index: number, email: string): Promise<void> {
    return setCustodianEmail(this.table, referralId, index, email);
  }
  enterPhase(referralId: string, phase: Phase, changedAt?: string): Promise<Referral | undefined> {
    return enterPhase(this.table, referralId, phase, changedAt);
  }

  markWithdrawn(referralId: string, withdrawal: Withdrawal): Promise<boolean> {
    return markWithdrawn(this.table, referralId, withdrawal);
  }
  listReferralsByDistrict(district: string, from?: string, to?: string): Promise<Record<string, unknown>[]> {
    return listReferralsByDistrict(this.table, district, from, to);
  }
  listReferralsByStatus(status: Referral['status'], limit?: number): Promise<Referral[]> {
    return listReferralsByStatus(this.table, status, limit);
  }
  rawReferralItems(referralId: string): Promise<Record<string, unknown>[]> {
    return rawReferralItems(this.table, referralId);
  }

  // Notifications.
  claimNotification(
    referralId: string,
    k: string,
    at: string,
  ): Promise<{ claimed: boolean; sent: boolean; at: string }> {
    return claimNotification(this.table, referralId, k, at);
  }
  wasNotified(referralId: string, k: string, auditOnceKey?: string): Promise<boolean> {
    return wasNotified(this.table, referralId, k, auditOnceKey);
  }
  getReferralNotified(
    referralId: string,
    notifications: NotificationMarker[],
  ): Promise<{ referral: Referral | undefined; notified: boolean[] }> {
    return getReferralNotified(this.table, referralId, notifications);
  }
  wereNotified(notifications: { referralId: string; key: string }[]): Promise<boolean[]> {
    return wereNotified(this.table, notifications);
  }
  markNotificationSent(referralId: string, k: string): Promise<void> {
    return markNotificationSent(this.table, referralId, k);
  }
  markNotificationsSent(notifications: { referralId: string; key: string }[]): Promise<void> {
    return markNotificationsSent(this.table, notifications);
  }
  releaseNotification(referralId: string, k: string): Promise<void> {
    return releaseNotification(this.table, referralId, k);
  }

  // Partnerships, groups, members, the pool and attendance.
  getPartnership(partnershipId: string): Promise<Partnership | undefined> {
    return getPartnership(this.table, partnershipId);
  }
  putPartnership(p: Partnership): Promise<void> {
    return putPartnership(this.table, p);
  }
  listGroups(partnershipId: string): Promise<Group[]> {
    return listGroups(this.table, partnershipId);
  }
  putGroup(g: Group): Promise<void> {
    return putGroup(this.table, g);
  }
  getGroup(partnershipId: string, groupId: string): Promise<Group | undefined> {
    return getGroup(this.table, partnershipId, groupId);
  }
  updateGroup(partnershipId: string, groupId: string, patch: Partial<Group>): Promise<void> {
    return updateGroup(this.table, partnershipId, groupId, patch);
  }
  joinGroup(partnershipId: string, groupId: string, referralId: string, at: string): Promise<JoinResult> {
    return joinGroup(this.table, partnershipId, groupId, referralId, at);
  }
  leaveGroup(partnershipId: string, groupId: string, referralId: string): Promise<boolean> {
    return leaveGroup(this.table, partnershipId, groupId, referralId);
  }
  listGroupMembers(groupId: string): Promise<string[]> {
    return listGroupMembers(this.table, groupId);
  }
  putPoolEntry(partnershipId: string, entry: PoolEntry): Promise<boolean> {
    return putPoolEntry(this.table, partnershipId, entry);
  }
  removePoolEntry(partnershipId: string, ageBand: string, referralId: string): Promise<void> {
    return removePoolEntry(this.table, partnershipId, ageBand, referralId);
  }
  listPool(partnershipId: string, ageBand?: string): Promise<PoolEntry[]> {
    return listPool(this.table, partnershipId, ageBand);
  }
  listPoolWithClaims(partnershipId: string): Promise<{ entries: PoolEntry[]; claims: PoolClaim[] }> {
    return listPoolWithClaims(this.table, partnershipId);
  }
  listPoolClaims(partnershipId: string): Promise<PoolClaim[]> {
    return listPoolClaims(this.table, partnershipId);
  }
  putPoolClaim(partnershipId: string, claim: PoolClaim): Promise<void> {
    return putPoolClaim(this.table, partnershipId, claim);
  }
  removePoolClaim(partnershipId: string, groupId: string): Promise<void> {
    return removePoolClaim(this.table, partnershipId, groupId);
  }
  recordConsent(partnershipId: string, consent: { ageBand: string; at: string }): Promise<void> {
    return recordConsent(this.table, partnershipId, consent);
  }
  consentHistory(partnershipId: string): Promise<ConsentHistory | undefined> {
    return consentHistory(this.table, partnershipId);
  }
  getProposalClock(partnershipId: string, ageBand: string): Promise<ProposalClock | undefined> {
    return getProposalClock(this.table, partnershipId, ageBand);
  }
  startProposalClock(partnershipId: string, clock: ProposalClock, replaces?: string): Promise<ProposalClock> {
    return startProposalClock(this.table, partnershipId, clock, replaces);
  }
  updateProposalClock(
    partnershipId: string,
    ageBand: string,
    since: string,
    patch: Partial<Pick<ProposalClock, 'stopped' | 'reminderLink'>>,
  ): Promise<boolean> {
    return updateProposalClock(this.table, partnershipId, ageBand, since, patch);
  }
  recordAttendance(entries: AttendanceEntry[]): Promise<void> {
    return recordAttendance(this.table, entries);
  }
  listAttendance(groupId: string): Promise<AttendanceRecord[]> {
    return listAttendance(this.table, groupId);
  }

  // Steps.
  getStep(referralId: string, step: StepName, custodian?: number): Promise<StepRecord | undefined> {
    return getStep(this.table, referralId, step, custodian);
  }
  getReferralWithStep(
    referralId: string,
    step: StepName,
    custodian?: number,
  ): Promise<{ referral: Referral | undefined; step: StepRecord | undefined }> {
    return getReferralWithStep(this.table, referralId, step, custodian);
  }

  putStep(s: StepRecord, event?: AuditEvent, newLinks?: LinkRecord[]): Promise<void> {
    return putStep(this.table, s, event, newLinks);
  }
  markStepEmailSent(
    referralId: string,
    step: StepName,
    custodian: number | undefined,
    at: string,
  ): Promise<void> {
    return markStepEmailSent(this.table, referralId, step, custodian, at);
  }
  listSteps(referralId: string): Promise<StepRecord[]> {
    return listSteps(this.table, referralId);
  }

  // Links.
  putLink(link: LinkRecord): Promise<LinkRecord> {
    return putLink(this.table, link);
  }
  getLink(linkHash: string): Promise<LinkRecord | undefined> {
    return getLink(this.table, linkHash);
  }
  getLinks(linkHashes: string[]): Promise<(LinkRecord | undefined)[]> {
    return getLinks(this.table, linkHashes);
  }
  getLinkWithReferral(
    linkHash: string,
    referralId: string,
  ): Promise<{ link?: LinkRecord; referral?: Referral }> {
    return getLinkWithReferral(this.table, linkHash, referralId);
  }

  listLinks(referralId: string): Promise<LinkRecord[]> {
    return listLinks(this.table, referralId);
  }
  bindLinkToken(linkHash: string, taskToken: string): Promise<boolean> {
    return bindLinkToken(this.table, linkHash, taskToken);
  }
  useLink(
    linkHash: string,
    at: string,
    action: string,
    redemption?: LinkRedemption,
    confirmedGroup?: Group,
  ): Promise<LinkUseResult> {
    return useLink(this.table, linkHash, at, action, redemption, confirmedGroup);
  }
  putUsedLink(
    link: LinkRecord,
    at: string,
    action: string,
    redemption?: LinkRedemption,
    confirmedGroup?: Group,
  ): Promise<LinkUseResult> {
    return putUsedLink(this.table, link, at, action, redemption, confirmedGroup);
  }
  reopenLink(linkHash: string): Promise<void> {
    return reopenLink(this.table, linkHash);
  }
  setLinkStatus(
    linkHash: string,
    status: 'superseded' | 'closed',
    options?: { onlyIfOpen?: boolean },
  ): Promise<void> {
    return setLinkStatus(this.table, linkHash, status, options);
  }

  // Follow-up answers.
  putEvaluation(referralId: string, answer: EvaluationAnswer): Promise<boolean> {
    return putEvaluation(this.table, referralId, answer);
  }
  listEvaluations(referralId: string): Promise<EvaluationAnswer[]> {
    return listEvaluations(this.table, referralId);
  }
  getReferralWithAnswers(
    referralId: string,
    notifications: NotificationMarker[] = [],
  ): Promise<{ referral: Referral | undefined; answers: EvaluationAnswer[]; notified: boolean[] }> {
    return getReferralWithAnswers(this.table, referralId, notifications);
  }

  // Staff sessions.
  putSession(sessionHash: string, session: StaffSession): Promise<void> {
    return putSession(this.table, sessionHash, session);
  }
  getSession(sessionHash: string): Promise<StaffSession | undefined> {
    return getSession(this.table, sessionHash);
  }
  deleteSession(sessionHash: string): Promise<void> {
    return deleteSession(this.table, sessionHash);
  }

  // Erasure.
  eraseReferral(
    referralId: string,
    anonymised?: AnonymisedReferral | AnonymiseFromItems,
  ): Promise<ErasureResult> {
    return eraseReferral(this.table, referralId, anonymised);
  }
  putDueErasure(due: DueErasure, leavesPool?: PoolPlace): Promise<void> {
    return putDueErasure(this.table, due, leavesPool);
  }
  listDueErasures(dueBy: string, page: { limit: number; after?: DueErasure }): Promise<DueErasure[]> {
    return listDueErasures(this.table, dueBy, page);
  }
  removeDueErasure(due: DueErasure): Promise<void> {
    return removeDueErasure(this.table, due);
  }

  // Audit.
  appendAudit(event: AuditEvent, onceKey?: string): Promise<void> {
    return appendAudit(this.table, event, onceKey);
  }
  recordEvents(events: { event: AuditEvent; onceKey: string }[]): Promise<void> {
    return recordEvents(this.table, events);
  }
  listAudit(referralId: string): Promise<AuditEvent[]> {
    return listAudit(this.table, referralId);
  }
  appendLinkAudit(event: LinkAuditEvent): Promise<void> {
    return appendLinkAudit(this.table, event);
  }
  listLinkAudit(day: string): Promise<LinkAuditEvent[]> {
    return listLinkAudit(this.table, day);
  }
}
