/**
 * The small interfaces use cases depend on. AWS adapters implement them in Lambda; the local runtime
 * swaps in SMTP, the embedded workflow engine and a fast-forward clock.
 */
import type { AuditAction } from './domain/audit-actions';
import type { Group, Partnership } from './domain/partnership';
import type { ConsentHistory, PoolClaim, PoolEntry, ProposalClock } from './domain/grouping';
import type { AnonymisedReferral, EvaluationAnswer, FollowUpRound, Respondent } from './domain/follow-up';
import type {
  ConsentRecord,
  HomeVisit,
  Language,
  Outcome,
  Phase,
  Referral,
  Withdrawal,
} from './domain/referral';
import type { AnswerError, LinkPurpose, RecipientRole, StepName } from './domain/steps';
import type { Config } from './shared/config';
import type { MetricName } from './shared/metric-names';

export interface Clock {
  now(): Date;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Which template produced it; sent as a header so tests and support can tell emails apart. */
  template: string;
  language: Language;
  /** A calendar file with the schedule, for instance. */
  attachments?: { filename: string; contentType: string; content: string }[];
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** The step is over (answered, timed out or the execution ended): its task token no longer works. */
export class StepNoLongerOpenError extends Error {
  override name = 'StepNoLongerOpen';
}

/** Where a retried group's execution starts: the group workflow's StartOrResumeGroup choice reads it. */
export type GroupResume =
  { resumeAt: 'schedule' } | { resumeAt: 'meetings'; fromMeeting: number } | { resumeAt: 'complete' };

export interface WorkflowEngine {
  /** Idempotent: the execution is named after the referral. */
  startReferral(referralId: string): Promise<void>;
  /** A new execution for a referral that needed attention, starting at the phase that failed. */
  resumeReferral(referralId: string, phase: Phase, attempt: number, outcome?: Outcome): Promise<void>;
  /** Idempotent: the execution is named after the group. */
  startGroup(groupId: string): Promise<void>;
  /** A new execution for a group that needed attention (`<groupId>-retry-<attempt>`), at the step that failed. */
  resumeGroup(groupId: string, resume: GroupResume, attempt: number): Promise<void>;
  sendTaskSuccess(taskToken: string, output: Record<string, string>): Promise<void>;
  sendTaskFailure(taskToken: string, error: AnswerError, cause: string): Promise<void>;
}

/** Makes link tokens: derived from the current notification or step entry where there is one (same entry, same link). */
export interface LinkTokens {
  mint(): Promise<{ token: string; hash: string }>;
}

export interface IdentityHasher {
  /** Keyed hash of a normalized identity number. */
  hash(normalizedIdentityNumber: string): Promise<string>;
}

export type LinkStatus = 'open' | 'used' | 'superseded' | 'closed';

/** The anonymised record made from the referral and its questionnaire answers, as erasure read them. */
/** `onceEvent`: the referral's once-keyed audit event under that key, as the erasure's one read found it. */
export type AnonymiseFromItems = (
  referral: Referral,
  answers: EvaluationAnswer[],
  onceEvent: (onceKey: string) => AuditEvent | undefined,
) => Promise<AnonymisedReferral>;
/** `erased` now, `was-erased` before (what was left is finished), or `no-referral` (nothing written). */
export type ErasureResult = 'erased' | 'was-erased' | 'no-referral';

export interface LinkRecord {
  linkHash: string;
  /** The referral the link acts on; for a group's links (attendance) the group id, which starts with `g-`. */
  referralId: string;
  /** Attendance links: which meeting of the group. */
  meeting?: number;
  /** Group proposal links: the age band whose pool the coordinator forms a group from. */
  ageBand?: string;
  /** Evaluation links: which questionnaire, for whom. */
  round?: FollowUpRound;
  respondent?: Respondent;
  step: LinkPurpose;
  /** Consent is asked per custodian (1 or 2); withdrawal links of custodians say whose they are. */
  custodian?: number;
  recipient: { role: RecipientRole; name: string; email: string; language: Language };
  createdAt: string;
  expiresAt: string;
  status: LinkStatus;
  /** Bound to the step's current task token (empty while no task waits); never shown, mailed or logged. */
  taskToken: string;
  usedAt?: string;
  usedAction?: string;
  /**
   * The `link-redeemed` event of the answer that used it, written by the single-use update itself (one
   * request guards the single use and records the event); the audit trail (listAudit) shows it while the
   * link stays used, and it goes when the link is given back (reopenLink).
   */
  redemption?: LinkRedemption;
  /**
   * The group a proposal link was used to confirm, written by its single-use update: the group's own item
   * is stored beside it (the same round trip), and is stored again from here if that write was cut off.
   */
  confirmedGroup?: Group;
}

/** A link's redemption as its audit event: who answered, when, and what (the event's detail). */
export type LinkRedemption = Pick<AuditEvent, 'at' | 'actor' | 'phase' | 'detail'>;

export interface StepRecord {
  referralId: string;
  step: StepName;
  custodian?: number;
  linkHash: string;
  enteredAt: string;
  /** When the step was first asked: its reminders, escalation and deadline count from here. */
  since?: string;
  /**
   * Which asking of the step this is (absent: the first). A step asked anew after its earlier answer (screening
   * after an information request) starts a new round: a new `since`, and its own reminders and escalation.
   */
  round?: number;
  /** This entry of the step: a repeat of its email (after a crash) is sent under it, with the same link. */
  entry?: string;
  /** Which email the entry sends (request, reminder, renewed), so that a repeat is the same email. */
  emailKind?: string;
  emailSentAt?: string;
}

export interface AuditEvent {
  referralId: string;
  at: string;
  actor: { role: RecipientRole | 'system' | 'unknown'; name?: string };
  action: AuditAction;
  phase?: Phase;
  detail?: Record<string, string>;
}

/** A notification's marker: its key, or with `auditOnceKey` the once-only audit event that is its record. */
export interface NotificationMarker {
  key: string;
  auditOnceKey?: string;
}

export type ClaimResult = { claimed: true } | { claimed: false; holder: string };
/** A child lock held by another referral, and for how long (wall time) it has been held. */
export type ChildClaim = { claimed: true } | { claimed: false; holder: string; heldForMs: number };
/** `placed-elsewhere`: the child was taken into another group first (two confirmations at once). */
export type JoinResult = 'joined' | 'already-member' | 'placed-elsewhere' | 'full' | 'unknown-group';
export type LinkUseResult = 'ok' | 'not-open' | 'expired';

export interface ReferralStore {
  claimSubmission(idempotencyKey: string, referralId: string, at: string): Promise<ClaimResult>;
  releaseSubmission(idempotencyKey: string, referralId: string): Promise<void>;
  claimChild(identityHash: string, referralId: string): Promise<ChildClaim>;
  /** Moves the lock from a holder that is gone to `referralId`; false when `from` no longer holds it. */
  takeOverChild(identityHash: string, from: string, referralId: string): Promise<boolean>;
  releaseChild(identityHash: string, referralId: string): Promise<void>;
  /**
   * Counts one more email requested for `bucket` (an address's window), atomically, and answers the count
   * with this one; the counter expires at `expiresAt` (TTL).
   */
  countRequest(bucket: string, expiresAt: string): Promise<number>;

  /** false: a referral with this id exists already (nothing written). */
  createReferral(referral: Referral): Promise<boolean>;
  getReferral(referralId: string): Promise<Referral | undefined>;
  /** Several referrals at once (the pool, a group's members), in the order asked; undefined for one not stored. */
  getReferrals(referralIds: string[]): Promise<(Referral | undefined)[]>;
  updateReferral(referralId: string, patch: Partial<Omit<Referral, 'referralId'>>): Promise<void>;
  /** updateReferral that reads the referral back as written, in the same request. */
  updateReferralReading(referralId: string, patch: Partial<Omit<Referral, 'referralId'>>): Promise<Referral>;
  /** True the first time for (referral, key): makes emails from retried tasks go out once. */
  /**
   * Claims the right to send a notification. `claimed`: this caller sends it now; otherwise `sent` tells
   * whether an earlier attempt finished, and `at` when it claimed (an unfinished one died mid-way).
   */
  claimNotification(
    referralId: string,
    key: string,
    at: string,
  ): Promise<{ claimed: boolean; sent: boolean; at: string }>;
  /**
   * Whether a notification sent without a claim (notifyOnce for one sender) went out: its marker says sent
   * (or is an older marker without a state); with `auditOnceKey`, the marker is that once-only audit event.
   */
  wasNotified(referralId: string, key: string, auditOnceKey?: string): Promise<boolean>;
  /**
   * The referral and whether each of its notifications went out (`wasNotified`, in order), in one request:
   * a lone sender's task reads what it will send with the referral it starts from (notifyOnce's `sent`).
   */
  getReferralNotified(
    referralId: string,
    notifications: NotificationMarker[],
  ): Promise<{ referral: Referral | undefined; notified: boolean[] }>;
  /** `wasNotified` (without an audit key) for several notifications in one request per 100, in order. */
  wereNotified(notifications: { referralId: string; key: string }[]): Promise<boolean[]>;
  /** Records the notification as sent; one write, whether it was claimed or not. */
  markNotificationSent(referralId: string, key: string): Promise<void>;
  /**
   * Several notifications of one sender (never claimed) as sent, in one BatchWriteItem per 25: the
   * marker is written whole, so not for a shared notification, whose claim keeps its time.
   */
  markNotificationsSent(notifications: { referralId: string; key: string }[]): Promise<void>;
  releaseNotification(referralId: string, key: string): Promise<void>;

  getPartnership(partnershipId: string): Promise<Partnership | undefined>;
  putPartnership(partnership: Partnership): Promise<void>;
  listGroups(partnershipId: string): Promise<Group[]>;
  putGroup(group: Group): Promise<void>;
  joinGroup(partnershipId: string, groupId: string, referralId: string, at: string): Promise<JoinResult>;

  getStep(referralId: string, step: StepName, custodian?: number): Promise<StepRecord | undefined>;
  /** The referral and one of its step records, read together (one request). */
  getReferralWithStep(
    referralId: string,
    step: StepName,
    custodian?: number,
  ): Promise<{ referral: Referral | undefined; step: StepRecord | undefined }>;
  /**
   * With `event`: the audit event it records, written in the same request (both unconditional). With
   * `newLinks`: links whose hashes no item can have yet (minted for a new random entry), written in the
   * same request, unconditionally — never a link that may exist already (putLink keeps that one as it is).
   */
  putStep(step: StepRecord, event?: AuditEvent, newLinks?: LinkRecord[]): Promise<void>;
  markStepEmailSent(
    referralId: string,
    step: StepName,
    custodian: number | undefined,
    at: string,
  ): Promise<void>;
  listSteps(referralId: string): Promise<StepRecord[]>;
  /** Records one custodian's answer once (a targeted write, so two custodians answering at once both count). */
  recordCustodianConsent(
    referralId: string,
    custodianIndex: number,
    consent: ConsentRecord,
  ): Promise<boolean>;
  /**
   * Records the home visit as given, with its outcome, unless an outcome was recorded at or after `since`
   * (when the answering link was made): false then, and nothing changed. One outcome per wait, so that the
   * change is its own guard against a second or racing answer.
   */
  recordHomeVisit(referralId: string, homeVisit: HomeVisit, since: string): Promise<boolean>;
  /** Takes back an answer the workflow did not accept (its wait had ended). */
  clearCustodianConsent(referralId: string, custodianIndex: number): Promise<void>;
  setCustodianReminders(referralId: string, custodianIndex: number, remindersSent: number): Promise<void>;
  /** Another address for one custodian (a targeted write: the other custodian's answer is untouched). */
  setCustodianEmail(referralId: string, custodianIndex: number, email: string): Promise<void>;
  leaveGroup(partnershipId: string, groupId: string, referralId: string): Promise<boolean>;
  listGroupMembers(groupId: string): Promise<string[]>;
  getGroup(partnershipId: string, groupId: string): Promise<Group | undefined>;
  updateGroup(partnershipId: string, groupId: string, patch: Partial<Group>): Promise<void>;
  /** The pool of consented children waiting for a group, per age band; the first entry keeps its time. */
  /** True when the entry is new (the child entered the pool now), false when it was there already. */
  putPoolEntry(partnershipId: string, entry: PoolEntry): Promise<boolean>;
  removePoolEntry(partnershipId: string, ageBand: string, referralId: string): Promise<void>;
  listPool(partnershipId: string, ageBand?: string): Promise<PoolEntry[]>;
  /** Every band's entries and the claims of confirmations being placed (PoolClaim), in one query. */
  listPoolWithClaims(partnershipId: string): Promise<{ entries: PoolEntry[]; claims: PoolClaim[] }>;
  /** The claims alone (a few items, under their own sort prefix): for a wait that has the entries. */
  listPoolClaims(partnershipId: string): Promise<PoolClaim[]>;
  putPoolClaim(partnershipId: string, claim: PoolClaim): Promise<void>;
  removePoolClaim(partnershipId: string, groupId: string): Promise<void>;
  /** A child entered the pool: its band and the instant, kept a year for the planner's forecast. */
  recordConsent(partnershipId: string, consent: { ageBand: string; at: string }): Promise<void>;
  /** The consents recorded in the last year and when recording began; none recorded yet: undefined. */
  consentHistory(partnershipId: string): Promise<ConsentHistory | undefined>;
  /** The clock of an age band's group proposal, if one was ever started. */
  getProposalClock(partnershipId: string, ageBand: string): Promise<ProposalClock | undefined>;
  /**
   * Starts a band's proposal clock where there is none, or in place of the one that started at `replaces`;
   * returns the clock stored now (another writer's, when it came first).
   */
  startProposalClock(partnershipId: string, clock: ProposalClock, replaces?: string): Promise<ProposalClock>;
  /** Sets fields of the band's clock that started at `since`; false when that is no longer the band's clock. */
  updateProposalClock(
    partnershipId: string,
    ageBand: string,
    since: string,
    patch: Partial<Pick<ProposalClock, 'stopped' | 'reminderLink'>>,
  ): Promise<boolean>;
  /**
   * One meeting's attendance: each child's record with its timeline event (once per child and meeting,
   * under `onceKey`), all in one BatchWriteItem per 12 children rather than two writes each. A repeat
   * replaces both, so the timeline says what the record says. Not atomic: a caller runs it again.
   */
  recordAttendance(entries: AttendanceEntry[]): Promise<void>;
  listAttendance(groupId: string): Promise<AttendanceRecord[]>;
  /** One answer per round and respondent; false when it was already answered. */
  putEvaluation(referralId: string, answer: EvaluationAnswer): Promise<boolean>;
  listEvaluations(referralId: string): Promise<EvaluationAnswer[]>;
  /**
   * The referral and its answers (as listEvaluations reads them), in one request; with `notifications`,
   * whether each went out too (as getReferralNotified reads them).
   */
  getReferralWithAnswers(
    referralId: string,
    notifications?: NotificationMarker[],
  ): Promise<{ referral: Referral | undefined; answers: EvaluationAnswer[]; notified: boolean[] }>;
  /**
   * Retention: replaces the referral with its anonymised record and removes or scrubs everything
   * personal that belongs to it (links, steps, answers, names and free text in the audit trail).
   * Without `anonymised`, finishes an erasure an earlier run left part-done (the referral reads as erased
   * already, and stays as it is); it throws for a referral not erased yet. Given `anonymise`, the
   * anonymised record is made from the referral and its answers as the erasure reads them (one Query of the
   * referral's partition for both): not called for a referral erased already; no referral stored: nothing
   * is written.
   */
  eraseReferral(
    referralId: string,
    anonymised?: AnonymisedReferral | AnonymiseFromItems,
  ): Promise<ErasureResult>;
  /**
   * Records that the referral's personal data is due for erasure at `eraseAt` (ISO instant). Idempotent:
   * the same referral and instant is the same record. Holds the id and the instant, nothing personal.
   * `leavesPool`: the closed referral's pool entry, removed in the same request (one batch of two plain
   * writes: neither is conditional).
   */
  putDueErasure(due: DueErasure, leavesPool?: PoolPlace): Promise<void>;
  /**
   * Due erasures with eraseAt at or before `dueBy`, earliest first, at most `limit`; `after`: the last one
   * of the previous page (the next page starts after it, whether or not it is still recorded).
   */
  listDueErasures(dueBy: string, page: { limit: number; after?: DueErasure }): Promise<DueErasure[]>;
  /** The erasure is done: removes its record (nothing happens when it is gone already). */
  removeDueErasure(due: DueErasure): Promise<void>;
  putSession(sessionHash: string, session: StaffSession): Promise<void>;
  getSession(sessionHash: string): Promise<StaffSession | undefined>;
  deleteSession(sessionHash: string): Promise<void>;
  /** Referrals of one district created in [from, to) (ISO instants), newest first: a Query on GSI1. */
  listReferralsByDistrict(district: string, from?: string, to?: string): Promise<Record<string, unknown>[]>;
  /** Every item stored under the referral's key, as raw attributes (for erasure checks and support). */
  rawReferralItems(referralId: string): Promise<Record<string, unknown>[]>;
  /**
   * The referral in `phase` and running, as it is after that (one request): what a step entry reads after
   * its wait's token is stored. `changedAt`: the phase or status moves, and updatedAt with it. A withdrawn
   * referral is not changed, only read; undefined: no such referral.
   */
  enterPhase(referralId: string, phase: Phase, changedAt?: string): Promise<Referral | undefined>;
  /** Sets the withdrawal once, and only on a referral that is not closed. */
  markWithdrawn(referralId: string, withdrawal: Withdrawal): Promise<boolean>;

  /** Stores a new link; a link with this hash exists already (the same entry again): returns that one, unchanged. */
  putLink(link: LinkRecord): Promise<LinkRecord>;
  getLink(linkHash: string): Promise<LinkRecord | undefined>;
  /** Several links in one request per 100, in the order asked; undefined for one not stored. */
  getLinks(linkHashes: string[]): Promise<(LinkRecord | undefined)[]>;
  /**
   * A link and the referral a request says it is for, in one request (a BatchGetItem): the caller checks
   * that the link is the referral's. Either may be undefined.
   */
  getLinkWithReferral(
    linkHash: string,
    referralId: string,
  ): Promise<{ link?: LinkRecord; referral?: Referral }>;
  /**
   * Every link made for a referral (or a group: its id), by the referral's links index: one Query, and no
   * step record needed first. The index is eventually consistent: for pages that list, not for decisions.
   */
  listLinks(referralId: string): Promise<LinkRecord[]>;
  bindLinkToken(linkHash: string, taskToken: string): Promise<boolean>;
  /** Single conditional write: open and not expired → used. */
  /**
   * `redemption`: the `link-redeemed` event, recorded with the use (listAudit shows it). `confirmedGroup`:
   * the group a proposal link confirms, kept on the link by the same write (LinkRecord.confirmedGroup).
   */
  useLink(
    linkHash: string,
    at: string,
    action: string,
    redemption?: LinkRedemption,
    confirmedGroup?: Group,
  ): Promise<LinkUseResult>;
  /**
   * useLink for a link not stored yet (the staff inbox's per-form link): stores it already used, in one
   * conditional write, unless a link with its hash is stored and no longer open (then as useLink refuses).
   */
  putUsedLink(
    link: LinkRecord,
    at: string,
    action: string,
    redemption?: LinkRedemption,
    confirmedGroup?: Group,
  ): Promise<LinkUseResult>;
  reopenLink(linkHash: string): Promise<void>;
  /** `onlyIfOpen`: one conditional write that leaves a link already used, closed or superseded as it is. */
  setLinkStatus(
    linkHash: string,
    status: Exclude<LinkStatus, 'open' | 'used'>,
    options?: { onlyIfOpen?: boolean },
  ): Promise<void>;

  /** `onceKey`: an event that must be recorded once however often its step runs (same key → same item). */
  appendAudit(event: AuditEvent, onceKey?: string): Promise<void>;
  /**
   * Once-keyed events written together in one request (a batch: none is conditional). A repeat writes the
   * same items again, so each is recorded once, as its latest write has it; for events whose every write
   * is the same event (the form's events, written again only by the same form's retry).
   */
  recordEvents(events: { event: AuditEvent; onceKey: string }[]): Promise<void>;
  /** In time order, with the redemptions its used links carry (LinkRecord.redemption) as `link-redeemed` events. */
  listAudit(referralId: string): Promise<AuditEvent[]>;
  /** Refused redemptions of links that lead to no referral. */
  appendLinkAudit(event: Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string }): Promise<void>;
  /** Refused redemptions of unknown links on one UTC day (yyyy-mm-dd). */
  listLinkAudit(day: string): Promise<(Omit<AuditEvent, 'referralId'> & { linkHashPrefix: string })[]>;
  listReferralsByStatus(status: Referral['status'], limit?: number): Promise<Referral[]>;
}

/** A referral whose personal data is to be erased at `eraseAt` (the end of its retention period). */
/** Where a referral's pool entry is: its partnership and the child's age band. */
export interface PoolPlace {
  partnershipId: string;
  ageBand: string;
}

export interface DueErasure {
  referralId: string;
  eraseAt: string;
}

export interface StaffSession {
  email: string;
  name: string;
  role: 'coordinator' | 'social-worker' | 'partnership-admin';
  district?: string;
  expiresAt: string;
  /** The language of the person's staff pages: chosen at sign-in, switchable on every page; Swedish if absent. */
  language?: Language;
}

/** A child's attendance record and the event on its timeline that says so. */
export interface AttendanceEntry {
  record: AttendanceRecord;
  event: AuditEvent;
  onceKey: string;
}

export interface AttendanceRecord {
  groupId: string;
  meeting: number;
  referralId: string;
  present: boolean;
  at: string;
  recordedBy: string;
}

export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean | undefined>): void;
  warn(message: string, fields?: Record<string, string | number | boolean | undefined>): void;
  error(message: string, fields?: Record<string, string | number | boolean | undefined>): void;
}

/**
 * The system's CloudWatch metrics (names in `shared/metric-names`): counts only, never a referral id or
 * anything personal. Buffered per invocation; the handler wiring flushes them when the invocation ends.
 */
export interface Metrics {
  count(name: MetricName, n?: number): void;
  /** Writes what was counted since the last flush (one EMF line in Lambda); nothing when nothing was. */
  flush(): void;
}

export interface Dependencies {
  config: Config;
  store: ReferralStore;
  email: EmailSender;
  workflow: WorkflowEngine;
  clock: Clock;
  /**
   * A person's own time: staff sign-in links and sessions last minutes and hours of it. Locally the
   * programme's clock runs 720× fast, where a 15-minute link would be gone in a second and a half.
   */
  wallClock: Clock;
  identity: IdentityHasher;
  linkTokens: LinkTokens;
  log: Logger;
  metrics: Metrics;
}

export type { Outcome };
