/**
 * One active referral per child. Intake holds a lock per child (keyed by the identity number's HMAC)
 * from the moment it decides to accept until the referral closes. A lock whose referral is not stored
 * yet belongs to an intake that is still running — or that died before storing. It may be taken over
 * only when its holder is provably gone: the referral is closed (or erased), or it was never stored and the lock is
 * older than the lease. The lease is longer than any intake can run (the intake Lambda's timeout, 30 s,
 * behind API Gateway's 30 s integration limit; `test/infra` checks the timeout stays below it), so a
 * holder past its lease can no longer store its referral. Measured in wall time, not the local clock
 * that runs fast: it is about processes, not the programme's calendar.
 */
import type { ReferralStatus } from './referral';

export const CHILD_LOCK_LEASE_MS = 2 * 60_000;

export type ChildLockHolder = { stored: true; status: ReferralStatus } | { stored: false; heldForMs: number };

/** True when the lock's holder can never go on, so another referral may take the lock. */
export function childLockHolderIsGone(holder: ChildLockHolder): boolean {
  if (holder.stored) return holder.status === 'closed' || holder.status === 'erased';
  return holder.heldForMs > CHILD_LOCK_LEASE_MS;
}
