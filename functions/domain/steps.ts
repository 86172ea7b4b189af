/**
 * Human steps: the places where the workflow waits for a person who answers through a link. A link is
 * bound to exactly one purpose (a step, or a withdrawal), one referral and one recipient.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Phase } from './referral';

export const HUMAN_STEPS = [
  'screening',
  'consent',
  'consent-escalation',
  'group-assignment',
  'sessions',
] as const;
export type StepName = (typeof HUMAN_STEPS)[number];
/** What a link can be for: a human step, or withdrawing the referral (not a workflow wait). */
export type LinkPurpose = StepName | 'withdrawal';
export type RecipientRole = 'coordinator' | 'custodian' | 'social-worker' | 'group-leader';

export const STEP_PHASE: Record<StepName, Phase> = {
  screening: 'screening',
  consent: 'consent',
  'consent-escalation': 'consent',
  'group-assignment': 'group-assignment',
  sessions: 'sessions',
};

/** A step record's key: consent is asked per custodian. */
export function stepKey(step: StepName, custodian?: number): string {
  return custodian ? `${step}#${custodian}` : step;
}

const text = (what: string, min = 3, max = 1000) =>
  z
    .string({ error: `Skriv ${what}.` })
    .trim()
    .min(min, { error: `Skriv ${what} (minst ${min} tecken).` })
    .max(max, { error: `${what.charAt(0).toUpperCase()}${what.slice(1)} får vara högst ${max} tecken.` });

const isoDate = z
  .string({ error: 'Skriv beslutsdatum som ÅÅÅÅ-MM-DD.' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Skriv beslutsdatum som ÅÅÅÅ-MM-DD.' })
  .refine((d) => DateTime.fromISO(d).isValid, { error: 'Beslutsdatumet finns inte i kalendern.' });

const screening = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('approve') }),
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

const groupAssignment = z.object({
  action: z.literal('pick-group', { error: 'Välj en grupp.' }),
  groupId: z
    .string({ error: 'Välj en grupp.' })
    .regex(/^[a-z0-9-]{1,64}$/, { error: 'Välj en grupp i listan.' }),
});

const sessions = z.object({ action: z.literal('complete', { error: 'Bekräfta att gruppen är genomförd.' }) });

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
      return groupAssignment;
    case 'sessions':
      return sessions;
    case 'withdrawal':
      return withdrawal;
  }
}

export type AnyStepAction =
  | z.infer<typeof screening>
  | z.infer<typeof consentOnBehalf>
  | z.infer<typeof consentByCustodian>
  | z.infer<typeof escalation>
  | z.infer<typeof groupAssignment>
  | z.infer<typeof sessions>
  | z.infer<typeof withdrawal>;

/**
 * What the workflow receives when a step is answered. Negative answers end the referral via the
 * state machine's Catch (SendTaskFailure), so the outcome is visible in the execution history.
 * Only codes travel in the workflow; free text (a decline reason) stays in the table.
 */
export type StepResolution =
  { kind: 'success'; output: Record<string, string> } | { kind: 'failure'; error: string; cause: string };

export const WORKFLOW_ERRORS = {
  declined: 'Referral.Declined',
  consentRefused: 'Referral.ConsentRefused',
  withdrawn: 'Referral.Withdrawn',
  transient: 'Referral.Transient',
} as const;

export function resolutionOf(action: Exclude<AnyStepAction, { action: 'withdraw' }>): StepResolution {
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
    case 'pick-group':
      return { kind: 'success', output: { groupId: action.groupId } };
    case 'complete':
      return { kind: 'success', output: { sessions: 'completed' } };
  }
}
