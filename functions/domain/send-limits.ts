/**
 * Limits on emails anyone can make the system send by asking (a sign-in link, a fresh link for an expired
 * one): per address, in fixed
 * windows, so a stranger cannot flood a person's inbox or spend the system's sending reputation. Pure:
 * the windows an instant falls in, and whether a count is over its limit.
 */
export interface SendLimit {
  /** Names the window in the counter's key. */
  window: string;
  lengthMs: number;
  /** The most emails per address in one such window. */
  max: number;
}

/** Sign-in links: three per quarter of an hour, ten a day, per address. */
export const SIGN_IN_EMAIL_LIMITS: readonly SendLimit[] = [
  { window: '15m', lengthMs: 15 * 60_000, max: 3 },
  { window: 'day', lengthMs: 24 * 3_600_000, max: 10 },
];

/**
 * A fresh link for an expired one ("Skicka en ny länk"): anyone holding an expired link can ask, and the
 * email goes to its recipient. Per link, so one link cannot be used to flood its recipient; per recipient
 * (all their links together), so a person with many open steps is not flooded either.
 */
export interface LinkRenewalLimits {
  perLink: readonly SendLimit[];
  perRecipient: readonly SendLimit[];
}

/** Three fresh links a day for one expired link, five a day for one recipient. */
export const LINK_RENEWAL_LIMITS: LinkRenewalLimits = {
  perLink: [{ window: 'day', lengthMs: 24 * 3_600_000, max: 3 }],
  perRecipient: [{ window: 'day', lengthMs: 24 * 3_600_000, max: 5 }],
};

/** The counters one request at `now` counts in: one per limit, each expiring when its window ends. */
export function sendWindows(
  purpose: string,
  addressHash: string,
  now: Date,
  limits: readonly SendLimit[],
): { bucket: string; expiresAt: string; limit: SendLimit }[] {
  return limits.map((limit) => {
    const n = Math.floor(now.getTime() / limit.lengthMs);
    return {
      bucket: `${purpose}#${addressHash}#${limit.window}#${n}`,
      expiresAt: new Date((n + 1) * limit.lengthMs).toISOString(),
      limit,
    };
  });
}
