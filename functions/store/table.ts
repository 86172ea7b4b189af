/**
 * The table's key design, in code: every partition key, sort key and index attribute the DynamoDB store
 * writes or queries is built here and nowhere else (the layout, with the table's definition, is described in
 * infra/constructs/table-design.ts). The entity modules (./entities) take their keys from this file.
 */
import type { Referral } from '../domain/referral';
import { stepKey, type StepName } from '../domain/steps';
import type { AuditEvent, DueErasure } from '../ports';
import { TIME_TO_LIVE_ATTRIBUTE } from '../adapters/time-to-live';

export interface TableKey {
  PK: string;
  SK: string;
}

/** Partition keys, for Queries over a whole partition. */
export const partition = {
  referral: (id: string) => `REFERRAL#${id}`,
  partnership: (id: string) => `PARTNERSHIP#${id}`,
  group: (gid: string) => `GROUP#${gid}`,
  pool: (pid: string) => `POOL#${pid}`,
  consents: (pid: string) => `CONSENTS#${pid}`,
  linkAudit: (day: string) => `LINKAUDIT#${day}`,
  erasure: 'ERASURE',
};

/** Partition-key prefixes of the items keyed by a hash (no Query reaches them; the local TTL sweep scans). */
export const partitionPrefix = {
  session: 'SESSION#',
  link: 'LINK#',
  submission: 'SUBMISSION#',
  sendLimit: 'SENDLIMIT#',
};

/** Sort-key prefixes, for Queries of one kind of item within a partition. */
export const sortPrefix = {
  step: 'STEP#',
  group: 'GROUP#',
  member: 'MEMBER#',
  attendance: 'ATTENDANCE#',
  linkRef: 'LINKREF#',
  evaluation: 'EVALUATION#',
  audit: 'AUDIT#',
  poolAgeBand: (ageBand: string) => `${ageBand}#`,
  consent: 'CONSENT#',
  consentDay: 'CONSENTDAY#',
};

/** Sort keys that stand alone (one item of their kind in a partition). */
export const sortKey = {
  referral: 'REFERRAL',
};

export const key = {
  referral: (id: string): TableKey => ({ PK: partition.referral(id), SK: sortKey.referral }),
  step: (id: string, step: StepName, custodian?: number): TableKey => ({
    PK: partition.referral(id),
    SK: `${sortPrefix.step}${stepKey(step, custodian)}`,
  }),
  notification: (id: string, k: string): TableKey => ({ PK: partition.referral(id), SK: `NOTIFY#${k}` }),
  link: (hash: string): TableKey => ({ PK: `${partitionPrefix.link}${hash}`, SK: 'LINK' }),
  /**
   * A link's reference under its referral, as links were found by erasure before they carried the
   * referral's links index (index.link); erasure still follows the ones written then.
   */
  linkRef: (referralId: string, hash: string): TableKey => ({
    PK: partition.referral(referralId),
    SK: `${sortPrefix.linkRef}${hash}`,
  }),
  submission: (k: string): TableKey => ({ PK: `${partitionPrefix.submission}${k}`, SK: 'SUBMISSION' }),
  child: (hash: string): TableKey => ({ PK: `CHILD#${hash}`, SK: 'ACTIVE' }),
  /** Emails sent on request to one (hashed) address in one window: `<purpose>#<hash>#<window>#<n>`. */
  sendLimit: (bucket: string): TableKey => ({ PK: `${partitionPrefix.sendLimit}${bucket}`, SK: 'COUNT' }),
  partnership: (id: string): TableKey => ({ PK: partition.partnership(id), SK: 'PARTNERSHIP' }),
  group: (pid: string, gid: string): TableKey => ({
    PK: partition.partnership(pid),
    SK: `${sortPrefix.group}${gid}`,
  }),
  member: (gid: string, rid: string): TableKey => ({
    PK: partition.group(gid),
    SK: `${sortPrefix.member}${rid}`,
  }),
  placement: (rid: string): TableKey => ({ PK: partition.referral(rid), SK: 'PLACEMENT' }),
  /** The clock of an age band's group proposal: one per band, beside the partnership's groups. */
  proposalClock: (pid: string, ageBand: string): TableKey => ({
    PK: partition.partnership(pid),
    SK: `PROPOSAL#${ageBand}`,
  }),
  poolEntry: (pid: string, ageBand: string, rid: string): TableKey => ({
    PK: partition.pool(pid),
    SK: `${sortPrefix.poolAgeBand(ageBand)}${rid}`,
  }),
  /** A child entering the pool, for the forecast (items written before 2026-12-03; now one per day and band). */
  consent: (pid: string, at: string, random: string): TableKey => ({
    PK: partition.consents(pid),
    SK: `${sortPrefix.consent}${at}#${random}`,
  }),
  /** The children entering the pool on one UTC day in one age band, for the forecast: their instants only. */
  consentDay: (pid: string, day: string, ageBand: string): TableKey => ({
    PK: partition.consents(pid),
    SK: `${sortPrefix.consentDay}${day}#${ageBand}`,
  }),
  /** When the partnership's consent history began (the first record). */
  consentsSince: (pid: string): TableKey => ({ PK: partition.consents(pid), SK: 'SINCE' }),
  attendance: (gid: string, meeting: number, rid: string): TableKey => ({
    PK: partition.group(gid),
    SK: `${sortPrefix.attendance}${String(meeting).padStart(2, '0')}#${rid}`,
  }),
  evaluation: (rid: string, round: string, respondent: string): TableKey => ({
    PK: partition.referral(rid),
    SK: `${sortPrefix.evaluation}${round}#${respondent}`,
  }),
  session: (hash: string): TableKey => ({ PK: `${partitionPrefix.session}${hash}`, SK: 'SESSION' }),
  /** A once-only audit event: keyed by what it is, not when, so writing it again changes nothing. */
  auditOnce: (rid: string, onceKey: string): TableKey => ({
    PK: partition.referral(rid),
    SK: `${sortPrefix.audit}once#${onceKey}`,
  }),
  /** `seq` keeps one process's events of one instant in order; `random` keeps keys unique. */
  audit: (event: Pick<AuditEvent, 'referralId' | 'at'>, seq: string, random: string): TableKey => ({
    PK: partition.referral(event.referralId),
    SK: `${sortPrefix.audit}${event.at}#${seq}#${random}`,
  }),
  linkAudit: (at: string, random: string): TableKey => ({
    PK: partition.linkAudit(at.slice(0, 10)),
    SK: `${at}#${random}`,
  }),
  // ISO instants of one format sort as they compare, so a Query on SK ≤ now finds what is due.
  erasure: (d: DueErasure): TableKey => ({ PK: partition.erasure, SK: `${d.eraseAt}#${d.referralId}` }),
  /** The upper bound of a Query for everything due by `dueBy`: `~` sorts after every character of an id. */
  erasureDueBy: (dueBy: string) => `${dueBy}#~`,
};

/** The index attributes of a referral: by district and creation (GSI1), by status (GSI2). */
const districtIndex = { name: 'GSI1', partition: (district: string) => `DISTRICT#${district}` };
const statusIndex = { name: 'GSI2', partition: (status: string) => `STATUS#${status}` };
/** A referral's links, by hash (GSI2, beside the status partitions): how erasure finds every link. */
const referralLinksIndex = { name: 'GSI2', partition: (referralId: string) => `LINKS#${referralId}` };
export const index = {
  district: districtIndex,
  status: statusIndex,
  referralLinks: referralLinksIndex,
  /** The index attributes of a link: under its referral's links. */
  link: (l: { referralId: string; linkHash: string }) => ({
    GSI2PK: referralLinksIndex.partition(l.referralId),
    GSI2SK: l.linkHash,
  }),
  referral: (r: Pick<Referral, 'district' | 'createdAt' | 'referralId' | 'status' | 'updatedAt'>) => ({
    GSI1PK: districtIndex.partition(r.district),
    GSI1SK: `${r.createdAt}#${r.referralId}`,
    GSI2PK: statusIndex.partition(r.status),
    GSI2SK: r.referralId,
  }),
};

/** Attributes the table adds to what the domain stores: removed when an item is read back. */
export const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'entity',
  TIME_TO_LIVE_ATTRIBUTE,
];
