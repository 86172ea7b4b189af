/** Screening: the coordinator approves the referral (noting a need the group must respect) or declines it. */
import { z } from 'zod';
import { message } from '../../domain/messages';
import { answerText, WORKFLOW_ERRORS } from '../../domain/steps';
import type { HumanStep } from '../../kernel/human-step';
import { screeningPage } from './screening-page';
import { screeningRequest } from './emails';
import { aboveTheCoordinator, coordinatorRecipient, partnershipOf } from '../../kernel/referrals';

const screeningAnswer = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('approve'),
      // A need recorded at screening that the group format must respect.
      noWeekdays: z
        .literal('on', {
          error: message({
            sv: 'Kryssa i rutan eller lämna den tom.',
            en: 'Tick the box or leave it empty.',
          }),
        })
        .optional(),
    }),
    z.object({
      action: z.literal('decline'),
      reason: answerText({ sv: 'ett skäl till beslutet', en: 'a reason for the decision' }),
    }),
  ],
  {
    error: message({
      sv: 'Välj om anmälan godkänns eller avslås.',
      en: 'Choose whether the referral is approved or declined.',
    }),
  },
);
export type ScreeningAnswer = z.infer<typeof screeningAnswer>;

const approved = { kind: 'success', output: { decision: 'approved' } } as const;
const declined = {
  kind: 'failure',
  error: WORKFLOW_ERRORS.declined,
  cause: 'declined-at-screening',
} as const;

export const screeningStep: HumanStep<ScreeningAnswer> = {
  name: 'screening',
  phase: 'screening',
  recipient: (deps, referral) => coordinatorRecipient(deps, referral),
  page: screeningPage,
  email: { request: screeningRequest },
  answer: {
    schema: () => screeningAnswer,
    async apply(deps, { referral }, action, at) {
      await deps.store.updateReferral(referral.referralId, {
        screening: {
          decision: action.action === 'approve' ? 'approved' : 'declined',
          reason: action.action === 'decline' ? action.reason : undefined,
          at,
        },
        needs: action.action === 'approve' && action.noWeekdays ? { noWeekdays: true } : undefined,
        updatedAt: at,
      });
    },
    resolution: (action) => (action.action === 'approve' ? approved : declined),
  },
  // Silence: the coordinator is reminded, then Bris's other coordinators are asked (they can screen, from
  // the staff pages), or where there are none the partnership's follow-up is told; at the deadline the
  // referral closes as not screened, and the social worker may refer again.
  timing: {
    step: 'screening',
    escalateTo: async (deps, referral) => aboveTheCoordinator(await partnershipOf(deps, referral)),
  },
  async recordedAnswer(_deps, referral) {
    if (!referral.screening) return undefined;
    return referral.screening.decision === 'approved' ? approved : declined;
  },
};
