/**
 * DynamoDB TTL on the short-lived items of the table. The table's TTL attribute (enabled by
 * infra/constructs/referral-table.ts; the local runtime sweeps it the same way, infra/local/ttl-sweeper.ts)
 * holds the instant, in epoch seconds, after which DynamoDB may delete the item. AWS deletes within a day
 * or two of that instant, so nothing relies on the deletion: every reader still checks the item's own
 * expiry (a session's or link's `expiresAt`).
 *
 * Items with a TTL: staff sessions (at their expiry), staff sign-in links and their reference (a day after
 * their expiry, so an old link still meets the "expired" page for a while rather than "unknown"), and
 * submission records (a day after the form was sent). Never on the active-child lock, referrals, steps,
 * links of a referral or audit events: those live and are erased with the referral.
 */
export const TIME_TO_LIVE_ATTRIBUTE = 'expireAfter';

/**
 * A submission record keeps a double-submitted form (a reload, a second click, a retry by the browser
 * after a timeout) pointing at the first referral. A day is far longer than any such repeat; after it, the
 * same form again meets the child lock instead (one active referral per child).
 */
export const SUBMISSION_TTL_SECONDS = 24 * 3600;

/** How long a record of a child entering the pool is kept: the forecast reads half a year of them. */
export const CONSENT_HISTORY_TTL_SECONDS = 366 * 24 * 3600;

/** How long a staff sign-in link is kept after it expired. */
export const SIGN_IN_LINK_GRACE_SECONDS = 24 * 3600;

/** The TTL value for an instant: epoch seconds, rounded up (never before the instant). */
export function epochSeconds(instant: string | Date, plusSeconds = 0): number {
  return Math.ceil(new Date(instant).getTime() / 1000) + plusSeconds;
}
