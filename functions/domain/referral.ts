/** The referral: one child's way through the programme. Personal data is kept only for the programme. */
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
export type ReferralStatus = 'active' | 'needs-attention' | 'closed';

export const OUTCOMES = ['completed', 'declined', 'consent-refused'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Language = 'sv' | 'en';

export interface Person {
  name: string;
  email: string;
}

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
  socialWorker: Person;
  custodian: Person & { language: Language };
  carer: Person;
  screening?: { decision: 'approved' | 'declined'; reason?: string; at: string };
  consent?: { given: boolean; at: string };
  group?: { groupId: string; name: string };
  failure?: { phase: Phase; error: string; at: string };
}

/** How the child is named in email: never at all when the identity is protected. */
export function childDisplayName(r: Pick<Referral, 'child' | 'referralId'>): string {
  return r.child.protectedIdentity ? `barnet i ärende ${r.referralId}` : r.child.firstName;
}
