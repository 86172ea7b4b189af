/**
 * The information request: the referring social worker answers what the coordinator asked at screening,
 * with a text, or says she cannot add more; either way screening is then asked anew. Silence: she is
 * reminded, then the coordinator is told and may screen with what she has (from the staff inbox); at the
 * deadline screening is asked anew, the timeline saying no answer came. Nothing ends in needs-attention.
 */
import * as z from 'zod/mini';
import { onFirstUse } from '../../shared/on-first-use';
import {
  latestInformationRequest,
  type InformationRequest,
  type InformationRequestOutcome,
} from '../../domain/information-request';
import { message } from '../../domain/messages';
import type { Referral } from '../../domain/referral';
import { answerText } from '../../domain/steps';
import { audit } from '../../kernel/audit';
import type { HumanStep } from '../../kernel/human-step';
import { partnershipOf, socialWorker } from '../../kernel/referrals';
import type { Dependencies } from '../../ports';
import { informationRequestEmail, informationRequestOverdue } from './information-request-emails';

/** The longest answer (a few paragraphs): free text, refused when it carries an identity number. */
export const INFORMATION_ANSWER_MAX = 3000;

const socialWorkerAnswer = onFirstUse(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({
        action: z.literal('add-information'),
        answer: answerText({ sv: 'kompletteringen', en: 'the information' }, 3, INFORMATION_ANSWER_MAX),
      }),
      z.object({ action: z.literal('cannot-add') }),
    ],
    {
      error: message({
        sv: 'Skicka kompletteringen, eller svara att du inte kan komplettera mer.',
        en: 'Send the information, or answer that you cannot add more.',
      }),
    },
  ),
);
/** The coordinator, once the request is overdue and escalated to her: screen without the answer. */
const coordinatorAnswer = onFirstUse(() =>
  z.object({
    action: z.literal('screen-now', {
      error: message({
        sv: 'Välj att bedöma anmälan med de uppgifter som finns.',
        en: 'Choose to screen the referral as it stands.',
      }),
    }),
  }),
);
export type InformationRequestAnswer =
  z.infer<ReturnType<typeof socialWorkerAnswer>> | z.infer<ReturnType<typeof coordinatorAnswer>>;

const OUTCOME: Record<InformationRequestAnswer['action'], InformationRequestOutcome> = {
  'add-information': 'answered',
  'cannot-add': 'cannot-add',
  'screen-now': 'screened-without',
};

/** The referral's requests with the latest one replaced. */
async function updateLatest(
  deps: Dependencies,
  referral: Referral,
  change: (r: InformationRequest) => InformationRequest,
): Promise<InformationRequest> {
  const requests = referral.informationRequests ?? [];
  const latest = requests.at(-1);
  if (!latest) throw new Error(`Referral ${referral.referralId} has no information request`);
  const updated = change(latest);
  await deps.store.updateReferral(referral.referralId, {
    informationRequests: [...requests.slice(0, -1), updated],
    updatedAt: deps.clock.now().toISOString(),
  });
  return updated;
}

export const informationRequestStep: HumanStep<InformationRequestAnswer> = {
  name: 'information-request',
  phase: 'screening',
  recipient: async (_deps, referral) => socialWorker(referral),
  email: { request: informationRequestEmail, overdue: informationRequestOverdue },
  answer: {
    schema: (role) => (role === 'coordinator' ? coordinatorAnswer() : socialWorkerAnswer()),
    async apply(deps, { referral, link }, action, at) {
      const actor = { role: link.recipient.role, name: link.recipient.name };
      const request = await updateLatest(deps, referral, (r) => ({
        ...r,
        answer: action.action === 'add-information' ? action.answer : undefined,
        outcome: OUTCOME[action.action],
        closedAt: at,
        closedBy: actor,
      }));
      const event = { referralId: referral.referralId, at, actor, phase: 'screening' as const };
      const detail = { round: String(request.number) };
      // The answer is free text: it stays on the referral, the timeline says only that it came.
      switch (action.action) {
        case 'add-information':
          return audit(deps, { ...event, action: 'information-provided', detail });
        case 'cannot-add':
          return audit(deps, { ...event, action: 'information-not-available', detail });
        case 'screen-now':
          return audit(deps, { ...event, action: 'information-request-ended', detail });
      }
    },
    resolution: (action) => ({ kind: 'success', output: { outcome: OUTCOME[action.action] } }),
    // The workflow did not take the answer (its wait had ended): the request is open again, to be answered.
    async takeBack(deps, { referral }) {
      await deps.store.updateReferral(referral.referralId, {
        informationRequests: referral.informationRequests ?? [],
        updatedAt: deps.clock.now().toISOString(),
      });
    },
  },
  timing: {
    step: 'information-request',
    async escalateTo(deps, referral) {
      return [{ ...(await partnershipOf(deps, referral)).coordinator, role: 'coordinator' }];
    },
    escalationMayAnswer: 'coordinator',
    async atDeadline(deps, referral) {
      const open = latestInformationRequest(referral);
      if (!open || open.outcome) return;
      const at = deps.clock.now().toISOString();
      const request = await updateLatest(deps, referral, (r) => ({
        ...r,
        outcome: 'no-answer',
        closedAt: at,
        closedBy: { role: 'system' },
      }));
      await audit(
        deps,
        {
          referralId: referral.referralId,
          at,
          actor: { role: 'system' },
          action: 'information-request-unanswered',
          phase: 'screening',
          detail: { round: String(request.number) },
        },
        `information-request-${request.number}-unanswered`,
      );
    },
  },
  // Each request is its own round: a new link, and its clock counts from when it was asked.
  asksAgainAfter: (referral) => latestInformationRequest(referral)?.requestedAt,
  async recordedAnswer(_deps, referral) {
    const outcome = latestInformationRequest(referral)?.outcome;
    return outcome ? { kind: 'success', output: { outcome } } : undefined;
  },
};
