/**
 * Every action the audit trail can record. `AuditEvent.action` is typed by this list, so an action that is
 * not here does not compile, and the label catalogue (functions/web/audit-labels.ts) is a Record over it,
 * so an action here without a Swedish and an English label does not compile either.
 */
export const AUDIT_ACTIONS = [
  // Intake
  'referral-submitted',
  'child-wish-recorded',
  'intake-accepted',
  // Any human step
  'step-requested',
  'step-resumed',
  'step-answer-replayed',
  'step-reminder-sent',
  'step-escalated',
  'step-deadline-passed',
  'link-opened',
  'link-redeemed',
  'link-renewal',
  // Screening: an information request
  'information-requested',
  'information-provided',
  'information-not-available',
  'information-request-unanswered',
  'information-request-ended',
  // Consent
  'consent-round-started',
  'consent-reminder-sent',
  'consent-deadline-passed',
  // SES reported an email as bounced (permanently) or complained about: the recipient is marked.
  'email-undeliverable',
  // The social worker gave another address for a custodian whose email came back.
  'custodian-email-replaced',
  'consent-given',
  'consent-refused',
  'consent-deadline-extended',
  'consent-escalation-closed',
  'legal-basis-recorded',
  // Groups
  'waiting-for-group',
  'no-group-in-time',
  'group-confirmed',
  // The coordinator accepted or overruled the planner's proposal, with the figures she saw.
  'group-proposal-answered',
  // The home visit before the group: the seat is confirmed after it, or freed when the family declines.
  'home-visit-times-offered',
  'home-visit-time-chosen',
  'home-visit-other-times-asked',
  'home-visit-done',
  'home-visit-declined',
  'seat-confirmed',
  'freed-seat-offered',
  'group-seat-freed',
  'attendance-recorded',
  'attendance-not-recorded',
  'group-step-failed',
  // Follow-up and closing
  'follow-up-sent',
  'follow-up-reminder-sent',
  'questionnaire-not-answered',
  'summary-sent',
  'referral-withdrawn',
  'referral-closed',
  'personal-data-erased',
  // Failures and staff
  'step-failed',
  'retry-requested',
  'sign-in-requested',
  'signed-in',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
