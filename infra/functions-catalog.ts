/**
 * Every Lambda of the system: its entry file, and either the HTTP routes it serves, the workflow
 * state it backs, or the schedule that invokes it. The CDK stack creates one function per entry and tags it with `bris:handler`, so
 * the local runtime binds routes and states to the same handler files by reading the template.
 */
export const HANDLER_METADATA_KEY = 'bris:handler';

export interface FunctionSpec {
  entry: string;
  description: string;
  routes?: readonly string[];
  /** The state machine whose Task this function backs (functions without routes). */
  workflow?: 'referral' | 'group';
  /** Invoked by an EventBridge Scheduler schedule (defined in the stateless stack), not by a route or a state. */
  scheduled?: boolean;
  /** Subscribed to the SNS topic of SES bounce and complaint events (the configuration set's destination). */
  emailEvents?: boolean;
  /** State machines it starts executions of. */
  starts?: readonly ('referral' | 'group')[];
  /** Resumes waiting tasks (SendTaskSuccess/SendTaskFailure) of either state machine. */
  callbacks?: boolean;
  sendsEmail?: boolean;
  /**
   * Reads the identity key (Secrets Manager): to hash identity numbers, and to derive the links of a step
   * entry or notification (KeyedLinkTokens), so a repeated email carries the same links.
   */
  readsIdentityKey?: boolean;
}

export const FUNCTIONS = {
  referralForm: {
    entry: 'functions/referral-form/handler.ts',
    description:
      'Referral form: GET / shows it, POST /referrals validates, stores and starts the workflow; GET /privacy is the privacy notice.',
    routes: ['GET /', 'POST /referrals', 'GET /assets/site.css', 'GET /privacy'],
    starts: ['referral'],
    readsIdentityKey: true,
  },
  links: {
    entry: 'functions/links/handler.ts',
    description: 'Capability links: GET shows the step, POST performs it and resumes the workflow.',
    routes: ['GET /links/{id}', 'POST /links/{id}', 'POST /links/{id}/renew'],
    starts: ['group'],
    callbacks: true,
    sendsEmail: true,
    readsIdentityKey: true,
  },
  staff: {
    entry: 'functions/staff/handler.ts',
    description:
      'Staff pages: sign-in by email link, referral overview and timeline, retry, partnership report.',
    routes: [
      'GET /staff',
      'GET /staff/sign-in',
      'POST /staff/sign-in',
      'GET /staff/sign-in/{token}',
      'POST /staff/sign-in/{token}',
      'POST /staff/sign-out',
      'GET /staff/referrals/{id}',
      'POST /staff/referrals/{id}/retry',
      'POST /staff/groups/{id}/retry',
      'GET /staff/report',
      'GET /staff/report.csv',
    ],
    // A retry starts a new execution of the referral (or group) at the step that failed.
    starts: ['referral', 'group'],
    // The sign-in email.
    sendsEmail: true,
    // Past the sign-in limits the audit keeps only a keyed hash of the address asked for.
    readsIdentityKey: true,
  },
  staffTasks: {
    entry: 'functions/staff-tasks/handler.ts',
    description:
      "Staff task inbox: the signed-in person's open steps and the pools; acting on one acts through its link.",
    routes: [
      'GET /staff/tasks',
      'GET /staff/tasks/step/{id}/{task}',
      'POST /staff/tasks/step/{id}/{task}',
      'GET /staff/tasks/pool/{band}',
      'POST /staff/tasks/pool/{band}',
    ],
    // A group confirmed from the inbox starts the group's execution, as the emailed pool link does.
    starts: ['group'],
    // Acting on a step from the inbox resumes its wait, as the step's emailed link does.
    callbacks: true,
    sendsEmail: true,
    // A new address for a custodian whose email came back, given from the inbox, mails her a fresh
    // consent link: derived from the identity key, as every step link is.
    readsIdentityKey: true,
  },
  intake: {
    workflow: 'referral',
    entry: 'functions/intake/handler.ts',
    description: 'Workflow: intake accepted.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  screening: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/screening/handler.ts',
    description: 'Workflow: ask the Bris coordinator to screen.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  informationRequest: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/information-request/handler.ts',
    description: 'Workflow: ask the referring social worker for the information screening lacks.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  consentPlan: {
    workflow: 'referral',
    entry: 'functions/consent-plan/handler.ts',
    description:
      'Workflow: tell the social worker the referral is approved; plan a consent round (which custodians are asked, or the child alone).',
    sendsEmail: true,
  },
  consentClock: {
    workflow: 'referral',
    entry: 'functions/consent-clock/handler.ts',
    description: 'Workflow: time to the next consent reminder or deadline; sends reminders.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  stepClock: {
    workflow: 'referral',
    entry: 'functions/step-clock/handler.ts',
    description:
      'Workflow: time to the next reminder, escalation or deadline of a step a person may leave unanswered.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  consent: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/consent/handler.ts',
    description: 'Workflow: ask one custodian for consent (or the social worker, on paper).',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  consentEvaluate: {
    workflow: 'referral',
    entry: 'functions/consent-evaluate/handler.ts',
    description:
      'Workflow: decide from the answers; record the legal basis and tell the social worker consent is complete.',
    sendsEmail: true,
  },
  consentEscalation: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/consent-escalation/handler.ts',
    description: 'Workflow: ask the social worker what to do when consent is missing at the deadline.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  groupAssignment: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/group-assignment/handler.ts',
    description: 'Workflow: wait in the pool of the age band; tell the coordinator when a group can form.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  homeVisit: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/home-visit/handler.ts',
    description:
      'Workflow: ask the group leader to visit the family home of a child proposed for the group; the seat is confirmed after it.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  sessions: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'referral',
    entry: 'functions/sessions/handler.ts',
    description:
      'Workflow: tell the social worker of the placement; wait while the group meets (the group workflow resumes it).',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  followUp: {
    workflow: 'referral',
    entry: 'functions/follow-up/handler.ts',
    description: 'Workflow: evaluation, summary to the social worker, later follow-up.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  close: {
    workflow: 'referral',
    // A freed seat goes to the next child waiting, whose wait it resumes.
    callbacks: true,
    entry: 'functions/close/handler.ts',
    description: 'Workflow: record the outcome and close.',
    sendsEmail: true,
  },
  recordFailure: {
    workflow: 'referral',
    entry: 'functions/record-failure/handler.ts',
    description: 'Workflow: record a failed step as needs-attention.',
  },
  emailEvents: {
    emailEvents: true,
    entry: 'functions/email-events/handler.ts',
    description:
      'SES bounces and complaints (SNS): marks the recipient undeliverable, records it, tells the coordinator and social worker.',
    sendsEmail: true,
    // A custodian's consent link moves to the social worker: a step link, derived from the identity key.
    readsIdentityKey: true,
  },
  erasureSweep: {
    scheduled: true,
    entry: 'functions/erasure-sweep/handler.ts',
    description:
      'Daily at 03:00 Stockholm time: erase the personal data of referrals past their retention period, keep an anonymised record.',
  },
  groupPlacement: {
    workflow: 'group',
    // Each child placed has her pool wait resumed (SendTaskSuccess on its token).
    callbacks: true,
    entry: 'functions/group-placement/handler.ts',
    description:
      'Group workflow: place the children the coordinator confirmed, record her answer, run or cancel the group.',
  },
  groupSchedule: {
    workflow: 'group',
    entry: 'functions/group-schedule/handler.ts',
    description: 'Group workflow: the meetings, with reminder and attendance times.',
  },
  groupNotify: {
    workflow: 'group',
    entry: 'functions/group-notify/handler.ts',
    description: 'Group workflow: reminders before meetings.',
    sendsEmail: true,
  },
  groupAttendance: {
    // A step answered before a crash or retry is handed to the new wait (SendTaskSuccess on its own token).
    callbacks: true,
    workflow: 'group',
    entry: 'functions/group-attendance/handler.ts',
    description: 'Group workflow: ask the group leader for attendance after a meeting.',
    sendsEmail: true,
    readsIdentityKey: true,
  },
  groupAttendanceClock: {
    workflow: 'group',
    entry: 'functions/group-attendance-clock/handler.ts',
    description:
      "Group workflow: time to the next reminder, escalation or deadline of a meeting's attendance; sends them.",
    sendsEmail: true,
    readsIdentityKey: true,
  },
  groupComplete: {
    workflow: 'group',
    entry: 'functions/group-complete/handler.ts',
    description: 'Group workflow: after the last meeting, resume every member referral into follow-up.',
    callbacks: true,
  },
  groupFailure: {
    workflow: 'group',
    entry: 'functions/group-failure/handler.ts',
    description: 'Group workflow: record a failed step on the group and tell the coordinator.',
    sendsEmail: true,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionId = keyof typeof FUNCTIONS;
