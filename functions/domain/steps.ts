/**
 * Human steps: the places where the workflow waits for a person who answers through a link. A link is
 * bound to exactly one purpose (a step, or a withdrawal), one referral and one recipient.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { freeTextSchema } from './free-text';
import type { Phase } from './referral';

export const HUMAN_STEPS = [
  'screening',
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

/** Free text a person types: kept in the table, shown after sign-in, never mailed; no identity numbers. */
const text = (what: string, min = 3, max = 1000) =>
  freeTextSchema(
    z
      .string({ error: `Skriv ${what}.` })
      .trim()
      .min(min, { error: `Skriv ${what} (minst ${min} tecken).` })
      .max(max, { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} får vara högst ${max} tecken.` }),
  );

const isoDate = z
  .string({ error: 'Skriv beslutsdatum som ÅÅÅÅ-MM-DD.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Skriv beslutsdatum som ÅÅÅÅ-MM-DD.' })
  .refine((d) => DateTime.fromISO(d).isValid, { error: 'Beslutsdatumet finns inte i kalendern.' });

const screening = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('approve'),
      // A need recorded at screening that the group format must respect.
      noWeekdays: z.literal('on', { error: 'Kryssa i rutan eller lämna den tom.' }).optional(),
    }),
    z.object({ action: z.literal('decline'), reason: text('ett skäl till beslutet') }),
  ],
  { error: 'Välj om anmälan godkänns eller avslås.' },
);

const consentByCustodian = z.discriminatedUnion(
  'action',
  [z.object({ action: z.literal('consent') }), z.object({ action: z.literal('refuse') })],
  { error: 'Välj om du samtycker eller inte.' },
);

const paperReference = text(
  'en hänvisning till den underskrivna blanketten, till exempel dokument-id i akten',
  3,
  100,
);
const consentOnBehalf = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('consent'), paperReference }),
    z.object({ action: z.literal('refuse'), paperReference }),
  ],
  { error: 'Välj om vårdnadshavaren har samtyckt eller inte.' },
);

const escalation = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('extend') }),
    z.object({
      action: z.literal('committee-decision'),
      decisionDate: isoDate,
      caseReference: text('beslutets diarienummer', 3, 60),
    }),
    z.object({ action: z.literal('close') }),
  ],
  { error: 'Välj vad som ska hända med anmälan.' },
);

/** Silent waits (the pool, a running group) hold a task token in a link that is never mailed. */
const notAnswerable = z.object({
  action: z.literal('__never__', { error: 'Det här steget besvaras inte med en länk.' }),
});

/** Members are chosen with `member-<referralId>` checkboxes; the use case checks them against the pool. */
const groupProposal = z.discriminatedUnion(
  'action',
  [
    z.looseObject({
      action: z.literal('confirm'),
      format: z.enum(['weekly', 'weekend'], { error: 'Välj veckogrupp eller stödhelg.' }),
      slot: z
        .string()
        .regex(/^[1-7]-\d{2}:\d{2}$/, { error: 'Välj en veckotid för veckogruppen.' })
        .optional(),
      startDate: z
        .string({ error: 'Skriv startdatum som ÅÅÅÅ-MM-DD.' })
        .trim()
        .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Skriv startdatum som ÅÅÅÅ-MM-DD.' })
        .refine((d) => DateTime.fromISO(d).isValid, { error: 'Startdatumet finns inte i kalendern.' }),
    }),
    z.object({ action: z.literal('postpone') }),
  ],
  { error: 'Välj om gruppen ska bekräftas eller vänta.' },
);

/** One `present-<referralId>` field per child: present or absent. */
const attendance = z.looseObject({ action: z.literal('record', { error: 'Registrera närvaron.' }) });

const withdrawal = z.object({
  action: z.literal('withdraw', { error: 'Bekräfta att anmälan ska återkallas.' }),
  reason: text('varför anmälan återkallas'),
});

/** The schema for POST /links/{id}, chosen by what the link is for and who holds it. */
export function actionSchema(purpose: LinkPurpose, role: RecipientRole) {
  switch (purpose) {
    case 'screening':
      return screening;
    case 'consent':
      return role === 'social-worker' ? consentOnBehalf : consentByCustodian;
    case 'consent-escalation':
      return escalation;
    case 'group-assignment':
    case 'sessions':
      return notAnswerable;
    case 'withdrawal':
      return withdrawal;
    case 'group-proposal':
      return groupProposal;
    case 'attendance':
      return attendance;
    case 'sign-in':
      return z.object({ action: z.literal('sign-in') });
    case 'evaluation':
      // Checked against the partnership's questionnaire by the use case (items are configuration).
      return z.looseObject({ action: z.literal('answer', { error: 'Skicka svaren med knappen.' }) });
  }
}

export type AnyStepAction =
  | z.infer<typeof screening>
  | z.infer<typeof consentOnBehalf>
  | z.infer<typeof consentByCustodian>
  | z.infer<typeof escalation>
  | z.infer<typeof withdrawal>
  | z.infer<typeof notAnswerable>
  | z.infer<typeof groupProposal>
  | z.infer<typeof attendance>
  | { action: 'answer' };

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

export function resolutionOf(
  action: Exclude<
    AnyStepAction,
    | { action: 'withdraw' }
    | { action: 'confirm' }
    | { action: 'postpone' }
    | { action: '__never__' }
    | { action: 'answer' }
  >,
): StepResolution {
  switch (action.action) {
    case 'approve':
      return { kind: 'success', output: { decision: 'approved' } };
    case 'decline':
      return { kind: 'failure', error: WORKFLOW_ERRORS.declined, cause: 'declined-at-screening' };
    case 'consent':
      return { kind: 'success', output: { consent: 'given' } };
    case 'refuse':
      return { kind: 'failure', error: WORKFLOW_ERRORS.consentRefused, cause: 'consent-refused' };
    case 'extend':
    case 'committee-decision':
    case 'close':
      return { kind: 'success', output: { choice: action.action } };
    case 'record':
      return { kind: 'success', output: { attendance: 'recorded' } };
  }
}
