/**
 * Human steps: the places where the workflow waits for a person who answers through a link.
 * Each step has one recipient and a fixed set of actions; a link is bound to exactly one step.
 */
import { z } from 'zod';
import type { Phase } from './referral';

export const HUMAN_STEPS = ['screening', 'consent', 'group-assignment', 'sessions'] as const;
export type StepName = (typeof HUMAN_STEPS)[number];
export type RecipientRole = 'coordinator' | 'custodian' | 'social-worker' | 'group-leader';

export const STEP_RECIPIENT: Record<StepName, RecipientRole> = {
  screening: 'coordinator',
  consent: 'custodian',
  'group-assignment': 'coordinator',
  sessions: 'group-leader',
};

export const STEP_PHASE: Record<StepName, Phase> = {
  screening: 'screening',
  consent: 'consent',
  'group-assignment': 'group-assignment',
  sessions: 'sessions',
};

const reason = z
  .string({ error: 'Skriv ett skäl till beslutet.' })
  .trim()
  .min(3, { error: 'Skriv ett skäl till beslutet (minst 3 tecken).' })
  .max(1000, { error: 'Skälet får vara högst 1000 tecken.' });

/** The body of POST /links/{id}, one schema per step. Messages are Swedish and name what to do. */
export const STEP_ACTIONS = {
  screening: z.discriminatedUnion(
    'action',
    [z.object({ action: z.literal('approve') }), z.object({ action: z.literal('decline'), reason })],
    { error: 'Välj om anmälan godkänns eller avslås.' },
  ),
  consent: z.discriminatedUnion(
    'action',
    [z.object({ action: z.literal('consent') }), z.object({ action: z.literal('refuse') })],
    { error: 'Välj om du samtycker eller inte.' },
  ),
  'group-assignment': z.object({
    action: z.literal('pick-group', { error: 'Välj en grupp.' }),
    groupId: z
      .string({ error: 'Välj en grupp.' })
      .regex(/^[a-z0-9-]{1,64}$/, { error: 'Välj en grupp i listan.' }),
  }),
  sessions: z.object({ action: z.literal('complete', { error: 'Bekräfta att gruppen är genomförd.' }) }),
} satisfies Record<StepName, z.ZodType>;

export type StepAction<S extends StepName> = z.infer<(typeof STEP_ACTIONS)[S]>;
export type AnyStepAction = { [S in StepName]: StepAction<S> }[StepName];

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
  transient: 'Referral.Transient',
} as const;

export function resolutionOf(action: AnyStepAction): StepResolution {
  switch (action.action) {
    case 'approve':
      return { kind: 'success', output: { decision: 'approved' } };
    case 'decline':
      return { kind: 'failure', error: WORKFLOW_ERRORS.declined, cause: 'declined-at-screening' };
    case 'consent':
      return { kind: 'success', output: { consent: 'given' } };
    case 'refuse':
      return { kind: 'failure', error: WORKFLOW_ERRORS.consentRefused, cause: 'consent-refused' };
    case 'pick-group':
      return { kind: 'success', output: { groupId: action.groupId } };
    case 'complete':
      return { kind: 'success', output: { sessions: 'completed' } };
  }
}
