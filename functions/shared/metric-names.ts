/**
 * The system's own CloudWatch metrics (Powertools Metrics, embedded metric format): one namespace, no
 * dimensions beyond the service, so the alarms in infra read exactly what the functions write. No metric
 * carries personal data or a referral id (ids go in log lines, not in metric dimensions).
 */
export const METRIC_NAMESPACE = 'BrisReferrals';

export const METRICS = {
  /** A referral form accepted (intake stored it). */
  referralsAccepted: 'ReferralsAccepted',
  /** A human step entered (its request sent). */
  stepsEntered: 'StepsEntered',
  /** A referral or group recorded as needing attention (a system failure, never a person's silence). */
  needsAttention: 'NeedsAttention',
  /** An email handed to SES (or the local mailbox). */
  emailsSent: 'EmailsSent',
  /** An SES bounce of one of our emails. */
  emailsBounced: 'EmailsBounced',
  /** An SES complaint about one of our emails. */
  emailsComplained: 'EmailsComplained',
  /**
   * An email asked for (a sign-in link, a fresh link for an expired one) and not sent, because its address
   * (or link) was over its send limit.
   */
  sendLimited: 'SendLimited',
  /**
   * A request to a public POST route (form, links, sign-in) refused with 429 by the per-client limits
   * (infra/public-post-limits.ts): written by the local server; in AWS counted from the HTTP API's access log.
   */
  clientLimited: 'ClientLimited',
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/**
 * The `service` dimension Powertools Metrics puts on every metric (its `serviceName`, or
 * POWERTOOLS_SERVICE_NAME): one value for the whole system, which the alarms select. A metric written with
 * another service name is a different metric to CloudWatch and would never reach an alarm.
 */
export const METRIC_SERVICE = 'bris-referrals';

/** Metrics in the same namespace written by CloudWatch Logs metric filters (infra), not by a function. */
export const LOG_METRICS = {
  /** A request the HTTP API refused with 429 (stage throttling), counted from its access log. */
  apiThrottled: 'ApiThrottled',
} as const;
