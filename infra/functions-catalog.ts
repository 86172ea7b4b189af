/**
 * Every Lambda of the system: its entry file, and either the HTTP routes it serves or the workflow
 * state it backs. The CDK stack creates one function per entry and tags it with `bris:handler`, so
 * the local runtime binds routes and states to the same handler files by reading the template.
 */
export const HANDLER_METADATA_KEY = 'bris:handler';

export interface FunctionSpec {
  entry: string;
  description: string;
  routes?: readonly string[];
  /** Needs to start executions (intake) or answer callbacks (links). */
  workflowAccess?: 'start' | 'callback';
  sendsEmail?: boolean;
  readsIdentityKey?: boolean;
}

export const FUNCTIONS = {
  referralForm: {
    entry: 'functions/referral-form/handler.ts',
    description: 'Referral form: GET / shows it, POST /referrals validates, stores and starts the workflow.',
    routes: ['GET /', 'POST /referrals', 'GET /assets/site.css'],
    workflowAccess: 'start',
    readsIdentityKey: true,
  },
  links: {
    entry: 'functions/links/handler.ts',
    description: 'Capability links: GET shows the step, POST performs it and resumes the workflow.',
    routes: ['GET /links/{id}', 'POST /links/{id}', 'POST /links/{id}/renew'],
    workflowAccess: 'callback',
    sendsEmail: true,
  },
  intake: {
    entry: 'functions/intake/handler.ts',
    description: 'Workflow: intake accepted.',
    sendsEmail: true,
  },
  screening: {
    entry: 'functions/screening/handler.ts',
    description: 'Workflow: ask the Bris coordinator to screen.',
    sendsEmail: true,
  },
  consentPlan: {
    entry: 'functions/consent-plan/handler.ts',
    description: 'Workflow: plan a consent round (which custodians are asked, or the child alone).',
  },
  consentClock: {
    entry: 'functions/consent-clock/handler.ts',
    description: 'Workflow: time to the next consent reminder or deadline; sends reminders.',
    sendsEmail: true,
  },
  consent: {
    entry: 'functions/consent/handler.ts',
    description: 'Workflow: ask one custodian for consent (or the social worker, on paper).',
    sendsEmail: true,
  },
  consentEvaluate: {
    entry: 'functions/consent-evaluate/handler.ts',
    description: 'Workflow: decide from the answers; record the legal basis.',
  },
  consentEscalation: {
    entry: 'functions/consent-escalation/handler.ts',
    description: 'Workflow: ask the social worker what to do when consent is missing at the deadline.',
    sendsEmail: true,
  },
  groupAssignment: {
    entry: 'functions/group-assignment/handler.ts',
    description: 'Workflow: ask the coordinator to pick a group.',
    sendsEmail: true,
  },
  sessions: {
    entry: 'functions/sessions/handler.ts',
    description: 'Workflow: wait for the group leader to report the group completed.',
    sendsEmail: true,
  },
  followUp: {
    entry: 'functions/follow-up/handler.ts',
    description: 'Workflow: follow-up email.',
    sendsEmail: true,
  },
  close: {
    entry: 'functions/close/handler.ts',
    description: 'Workflow: record the outcome and close.',
    sendsEmail: true,
  },
  recordFailure: {
    entry: 'functions/record-failure/handler.ts',
    description: 'Workflow: record a failed step as needs-attention.',
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionId = keyof typeof FUNCTIONS;
