/**
 * Human steps: the places where the workflow waits for a person who answers through a link. A link is
 * bound to exactly one purpose (a step, or one of the link actions below), one referral and one recipient.
 */
import * as z from 'zod/mini';
import { onFirstUse } from '../shared/on-first-use';
import { freeTextSchema } from './free-text';
import { message } from './messages';
import type { Language, Phase } from './referral';

export const HUMAN_STEPS = [
  'screening',
  'information-request',
  'consent',
  'consent-escalation',
  'group-assignment',
  'home-visit',
  'sessions',
  'attendance',
] as const;
export type StepName = (typeof HUMAN_STEPS)[number];
/**
 * What a link can be for besides a human step: withdrawing the referral, a follow-up questionnaire,
 * forming a group from an age band's pool, a staff sign-in. None of them is a workflow wait; each is
 * declared by a link module in its phase (the registry: functions/phases/link-modules.ts).
 */
export const LINK_ACTIONS = [
  'withdrawal',
  'evaluation',
  'group-proposal',
  'sign-in',
  // The family home picks one of the times the group leader offered for the home visit.
  'home-visit-time',
] as const;
export type LinkActionPurpose = (typeof LINK_ACTIONS)[number];
export type LinkPurpose = StepName | LinkActionPurpose;
/** Who a link is addressed to; the family home (`carer`) answers the follow-up questionnaires. */
export type RecipientRole = 'coordinator' | 'custodian' | 'social-worker' | 'group-leader' | 'carer';

export const STEP_PHASE: Record<StepName, Phase> = {
  screening: 'screening',
  'information-request': 'screening',
  consent: 'consent',
  'consent-escalation': 'consent',
  'group-assignment': 'group-assignment',
  // Until the visit is recorded the child has a seat proposed, not confirmed: still being assigned.
  'home-visit': 'group-assignment',
  sessions: 'sessions',
  attendance: 'sessions',
};

/** A step record's key: consent is asked per custodian. */
export function stepKey(step: StepName, custodian?: number): string {
  return custodian ? `${step}#${custodian}` : step;
}

const capitalize = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/**
 * Free text a person types: kept in the table, shown after sign-in, never mailed; no identity numbers.
 * `what` names the field in its messages; given in both languages, the messages have English too.
 */
export const answerText = (what: string | Record<Language, string>, min = 3, max = 1000) => {
  const words = typeof what === 'string' ? { sv: what, en: undefined } : what;
  const say = (sv: string, en: (w: string) => string) =>
    words.en === undefined ? sv : message({ sv, en: en(words.en) });
  return freeTextSchema(
    z.string({ error: say(`Skriv ${words.sv}.`, (w) => `Write ${w}.`) }).check(
      z.trim(),
      z.minLength(min, {
        error: say(
          `Skriv ${words.sv} (minst ${min} tecken).`,
          (w) => `Write ${w} (at least ${min} characters).`,
        ),
      }),
      z.maxLength(max, {
        error: say(
          `${capitalize(words.sv)} får vara högst ${max} tecken.`,
          (w) => `${capitalize(w)} may be at most ${max} characters.`,
        ),
      }),
    ),
  );
};

/**
 * One `present-<referralId>` field per child: present or absent. Built on first use (most bundles import this
 * module for step names and never parse attendance).
 */
export const attendanceAnswer = onFirstUse(() =>
  z.looseObject({
    action: z.literal('record', {
      error: message({ sv: 'Registrera närvaron.', en: 'Record the attendance.' }),
    }),
  }),
);

/** An answer as the link engine records it: its action, and the fields its schema allowed. */
export type AnyStepAction = { action: string } & Record<string, unknown>;

/**
 * What the workflow receives when a step is answered. Negative answers end the referral via the
 * state machine's Catch (SendTaskFailure), so the outcome is visible in the execution history.
 * Only codes travel in the workflow; free text (a decline reason) stays in the table.
 */
export type StepResolution =
  | { kind: 'success'; output: Record<string, string> }
  | { kind: 'failure'; error: AnswerError; cause: string };

export const WORKFLOW_ERRORS = {
  declined: 'Referral.Declined',
  consentRefused: 'Referral.ConsentRefused',
  withdrawn: 'Referral.Withdrawn',
  noGroup: 'Referral.NoGroup',
  homeVisitDeclined: 'Referral.HomeVisitDeclined',
  transient: 'Referral.Transient',
} as const;

/**
 * The errors a person's answer may end a waiting step with (SendTaskFailure). Never a transient one: a
 * retry of a waiting step then only repeats its entry, never the whole wait (infra/longest-execution.ts).
 */
export const ANSWER_ERRORS = [
  WORKFLOW_ERRORS.declined,
  WORKFLOW_ERRORS.consentRefused,
  WORKFLOW_ERRORS.withdrawn,
  WORKFLOW_ERRORS.noGroup,
  WORKFLOW_ERRORS.homeVisitDeclined,
] as const;
export type AnswerError = (typeof ANSWER_ERRORS)[number];
