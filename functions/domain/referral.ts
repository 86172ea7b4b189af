/** The referral: one child's way through the programme. Personal data is kept only for the programme. */
import { printableName } from './free-text';
import type { InformationRequest } from './information-request';
export const PHASES = [
  'intake',
  'screening',
  'consent',
  'group-assignment',
  'sessions',
  'follow-up',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

/** `needs-attention`: a step failed after its retries; the referral waits for a person, never silently lost. */
export type ReferralStatus = 'active' | 'needs-attention' | 'closed' | 'erased';

export const OUTCOMES = [
  'completed',
  'declined',
  'consent-refused',
  'consent-not-obtained',
  'withdrawn',
  'no-group',
  'not-screened',
  'home-visit-declined',
  'no-home-visit',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Language = 'sv' | 'en';

export interface Person {
  name: string;
  email: string;
}

/** The family home: `language` is the one the social worker chose for its emails (Swedish when unset). */
export interface Carer extends Person {
  language?: Language;
}

/** The referring social worker: `language` is the one she used on the referral form (Swedish when unset). */
export interface SocialWorker extends Person {
  language?: Language;
}

export type ActorRole =
  'coordinator' | 'custodian' | 'social-worker' | 'group-leader' | 'carer' | 'system' | 'unknown';

export interface Actor {
  role: ActorRole;
  name?: string;
}

export interface ConsentRecord {
  given: boolean;
  at: string;
  recordedBy: Actor;
  /** When the social worker records a paper consent for a custodian without email. */
  paperReference?: string;
}

export interface Custodian {
  number: 1 | 2;
  name: string;
  /** Absent when the custodian has no email: the social worker collects consent on paper. */
  email?: string;
  language: Language;
  consent?: ConsentRecord;
  /** Reminders sent in the current consent round. */
  remindersSent?: number;
}

/** One period of asking: the first request, or one started when the social worker extends the deadline. */
export interface ConsentRound {
  number: number;
  startedAt: string;
  reminderAt: string[];
  deadlineAt: string;
}

/** Why the child may take part: recorded for every child who goes ahead, with who recorded it. */
export type LegalBasis =
  | { kind: 'custodian-consent'; citation: string; recordedBy: Actor; at: string }
  | {
      kind: 'committee-decision';
      citation: string;
      decisionDate: string;
      caseReference: string;
      recordedBy: Actor;
      at: string;
    }
  | { kind: 'child-consent'; citation: string; childAge: number; recordedBy: Actor; at: string };

export interface Withdrawal {
  at: string;
  by: Actor;
  reason: string;
}

/**
 * The home visit: the times the leader offered the family home, the one agreed, and how it ended. A seat
 * is confirmed only when it is `done`; `declined` (the family said no) closes the referral and frees the seat.
 */
export interface HomeVisit {
  offeredTimes?: string[];
  /** The agreed time: picked by the carer from the offer, or recorded by the leader. */
  agreedTime?: string;
  /** The carer asked for other times than those offered. */
  otherTimesAskedAt?: string;
  outcome?: 'done' | 'declined';
  recordedAt?: string;
  recordedBy?: Actor;
}

/** The child's seat in its group is confirmed: Bris has visited the family home. */
export const seatConfirmed = (r: Pick<Referral, 'homeVisit'>): boolean => r.homeVisit?.outcome === 'done';

export interface Referral {
  referralId: string; // also the human reference code and the execution name
  partnershipId: string;
  district: string;
  createdAt: string; // UTC ISO instant
  updatedAt: string;
  phase: Phase;
  status: ReferralStatus;
  outcome?: Outcome;
  child: {
    firstName: string;
    birthDate: string;
    ageAtReferral: number;
    ageBand: string;
    protectedIdentity: boolean;
  };
  /** Keyed hash of the identity number: only for "already active" checks. */
  identityHash: string;
  socialWorker: SocialWorker;
  custodians: Custodian[];
  carer: Carer;
  /** The social worker confirmed the child has been told about the group and wants to take part. */
  childWish: { confirmedBy: string; at: string };
  /** 'child': the social worker states the child (old enough, where the partnership allows it) consents alone. */
  consentBasisRequested: 'custodians' | 'child';
  /** The social worker allows custodians to receive the schedule (never for a protected child). */
  custodianMaySeeSchedule: boolean;
  /** Recorded at screening: circumstances the group format must respect. */
  needs?: { noWeekdays?: boolean };
  consentRound?: ConsentRound;
  legalBasis?: LegalBasis;
  withdrawal?: Withdrawal;
  screening?: { decision: 'approved' | 'declined'; reason?: string; at: string };
  /** Asked at screening, in order: what was missing, the social worker's answer, how each ended. */
  informationRequests?: InformationRequest[];
  group?: { groupId: string; name: string };
  /** The group leader's visit to the family home, before the child's seat in `group` is confirmed. */
  homeVisit?: HomeVisit;
  failure?: { phase: Phase; error: string; at: string };
  /**
   * Whose email address could not be used (SES reported a permanent bounce or a complaint), by
   * `undeliverableKey`: codes and times only, never the address. A custodian's consent is then asked through
   * the social worker (another address, or the paper form) instead of waiting out the deadline.
   */
  undeliverable?: Record<string, UndeliverableEmail>;
}

export type UndeliverableRecipient = 'custodian' | 'social-worker' | 'carer';

export interface UndeliverableEmail {
  role: UndeliverableRecipient;
  custodian?: number;
  /** bounce: SES reported a permanent bounce; complaint: the recipient marked the email as spam. */
  kind: 'bounce' | 'complaint';
  at: string;
  /** The template of the email that came back (a code). */
  template?: string;
}

/** The key of a recipient in `Referral.undeliverable`: `custodian-2`, `social-worker`, `carer`. */
export function undeliverableKey(role: UndeliverableRecipient, custodian?: number): string {
  return role === 'custodian' ? `custodian-${custodian}` : role;
}

/** The custodian's address is known and was not reported undeliverable: email can reach her. */
export function custodianReachable(
  r: Pick<Referral, 'undeliverable'>,
  c: Custodian,
): c is Custodian & {
  email: string;
} {
  return !!c.email && !r.undeliverable?.[undeliverableKey('custodian', c.number)];
}

/**
 * How the child is named in email: never at all when the identity is protected, nor when the stored
 * first name is not a plain name (typed before names were checked): then by the reference code.
 */
export function childDisplayName(r: Pick<Referral, 'child' | 'referralId'>, lang: Language = 'sv'): string {
  const name = r.child.protectedIdentity ? undefined : printableName(r.child.firstName);
  return name ?? (lang === 'en' ? `the child in case ${r.referralId}` : `barnet i ärende ${r.referralId}`);
}

/**
 * The custodians who receive the group's schedule and its meeting reminders: only where the social worker
 * allowed it, never for a child with protected identity (where the child will be at a planned time is what
 * protection hides), and only those with an email.
 */
export function scheduleCustodians(
  r: Pick<Referral, 'custodianMaySeeSchedule' | 'child' | 'custodians'>,
): (Custodian & { email: string })[] {
  if (!r.custodianMaySeeSchedule || r.child.protectedIdentity) return [];
  return r.custodians.filter((c): c is Custodian & { email: string } => !!c.email);
}
