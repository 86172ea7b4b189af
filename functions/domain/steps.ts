/**
 * Human steps: the places where the workflow waits for a person who answers through a link. A link is
 * bound to exactly one purpose (a step, or a withdrawal), one referral and one recipient.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { freeTextSchema } from './free-text';
import { message } from './messages';
import type { Language, Phase } from './referral';

export const HUMAN_STEPS = [
  'screening',
  'information-request',
  'consent',
  'consent-escalation',
  'group-assignment',
  'sessions',
  'attendance',
] as const;
export type StepName = (typeof HUMAN_STEPS)[number];
/**
 * What a link can be for: a human step; withdrawing the referral; or forming a group from an age
 * band's pool (neither of the last two is a workflow wait).
 */
export type LinkPurpose = StepName | 'withdrawal' | 'group-proposal' | 'evaluation' | 'sign-in';
export type RecipientRole = 'coordinator' | 'custodian' | 'social-worker' | 'group-leader';

export const STEP_PHASE: Record<StepName, Phase> = {
  screening: 'screening',
  'information-request': 'screening',
  consent: 'consent',
  'consent-escalation': 'consent',
  'group-assignment': 'group-assignment',
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
    z
      .string({ error: say(`Skriv ${words.sv}.`, (w) => `Write ${w}.`) })
      .trim()
      .min(min, {
        error: say(
          `Skriv ${words.sv} (minst ${min} tecken).`,
          (w) => `Write ${w} (at least ${min} characters).`,
        ),
      })
      .max(max, {
        error: say(
          `${capitalize(words.sv)} får vara högst ${max} tecken.`,
          (w) => `${capitalize(w)} may be at most ${max} characters.`,
        ),
      }),
  );
};

const START_DATE_FORMAT = message({
  sv: 'Skriv startdatum som ÅÅÅÅ-MM-DD.',
  en: 'Write the start date as YYYY-MM-DD.',
});

/** Members are chosen with `member-<referralId>` checkboxes; the use case checks them against the pool. */
const groupProposal = z.discriminatedUnion(
  'action',
  [
    z.looseObject({
      action: z.literal('confirm'),
      format: z.enum(['weekly', 'weekend'], {
        error: message({
          sv: 'Välj veckogrupp eller stödhelg.',
          en: 'Choose a weekly group or a support weekend.',
        }),
      }),
      slot: z
        .string()
        .regex(/^[1-7]-\d{2}:\d{2}$/, {
          error: message({
            sv: 'Välj en veckotid för veckogruppen.',
            en: 'Choose a time of the week for the weekly group.',
          }),
        })
        .optional(),
      startDate: z
        .string({ error: START_DATE_FORMAT })
        .trim()
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: START_DATE_FORMAT })
        .refine((d) => DateTime.fromISO(d).isValid, {
          error: message({
            sv: 'Startdatumet finns inte i kalendern.',
            en: 'The start date does not exist in the calendar.',
          }),
        }),
    }),
    z.object({ action: z.literal('postpone') }),
  ],
  {
    error: message({
      sv: 'Välj om gruppen ska bekräftas eller vänta.',
      en: 'Choose whether to confirm the group or to wait.',
    }),
  },
);

/** One `present-<referralId>` field per child: present or absent. */
const attendance = z.looseObject({
  action: z.literal('record', {
    error: message({ sv: 'Registrera närvaron.', en: 'Record the attendance.' }),
  }),
});

export const withdrawalAnswer = z.object({
  action: z.literal('withdraw', {
    error: message({
      sv: 'Bekräfta att anmälan ska återkallas.',
      en: 'Confirm that the referral is to be withdrawn.',
    }),
  }),
  reason: answerText({ sv: 'varför anmälan återkallas', en: 'why the referral is withdrawn' }),
});

/**
 * The schema for POST /links/{id} of a link that is not a referral's human step (those are declared by
 * their step modules, functions/phases/<phase>/<step>-step.ts): withdrawal, the pool's group proposal, attendance,
 * sign-in and the questionnaires.
 */
export function actionSchema(
  purpose: Exclude<
    LinkPurpose,
    'screening' | 'information-request' | 'consent' | 'consent-escalation' | 'group-assignment' | 'sessions'
  >,
) {
  switch (purpose) {
    case 'withdrawal':
      return withdrawalAnswer;
    case 'group-proposal':
      return groupProposal;
    case 'attendance':
      return attendance;
    case 'sign-in':
      return z.object({ action: z.literal('sign-in') });
    case 'evaluation':
      // Checked against the partnership's questionnaire by the use case (items are configuration).
      return z.looseObject({
        action: z.literal('answer', {
          error: message({ sv: 'Skicka svaren med knappen.', en: 'Send the answers with the button.' }),
        }),
      });
  }
}

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
] as const;
export type AnswerError = (typeof ANSWER_ERRORS)[number];
