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
} as const;
export type MetricName = (typeof METRICS)[keyof typeof METRICS];
