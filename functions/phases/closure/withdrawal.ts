/**
 * Withdrawal: a custodian or the social worker withdraws the referral, in any phase until it closes,
 * through the withdrawal link that every email to them carries (a fresh one each time, valid until the
 * referral closes). The reason is typed free text: kept, read after signing in, never mailed.
 */
import * as z from 'zod/mini';
import { message } from '../../domain/messages';
import { answerText, WORKFLOW_ERRORS } from '../../domain/steps';
import { audit } from '../../kernel/audit';
import type { OpenLinkView } from '../../kernel/human-step';
import type { LinkAction } from '../../kernel/link-module';
import { StepNoLongerOpenError, type Dependencies } from '../../ports';
import { closeReferral, WITHDRAWN_ONCE, withdrawnEvent } from './closure';
import { withdrawalPage } from './withdrawal-page';

export const withdrawalAnswer = z.object({
  action: z.literal('withdraw', {
    error: message({
      sv: 'Bekräfta att anmälan ska återkallas.',
      en: 'Confirm that the referral is to be withdrawn.',
    }),
  }),
  reason: answerText({ sv: 'varför anmälan återkallas', en: 'why the referral is withdrawn' }),
});
export type WithdrawalAnswer = z.infer<typeof withdrawalAnswer>;

export const withdrawalLink: LinkAction<WithdrawalAnswer> = {
  purpose: 'withdrawal',
  answeredBy: ['custodian', 'social-worker'],
  // No phase: a referral may be withdrawn at any time until it closes.
  page: withdrawalPage,
  answer: {
    schema: () => withdrawalAnswer,
    async apply(deps, view, action) {
      await withdraw(deps, view, action.reason);
      return 'done';
    },
  },
  // No renewal: the link works until the referral closes (it expires only after 400 days, by then long
  // closed), and every later email to the same person carries a fresh one.
};

/** Record who and why, then fail whichever step waits, so the workflow ends in Close as withdrawn. */
async function withdraw(deps: Dependencies, { referral, link }: OpenLinkView, reason: string): Promise<void> {
  const at = deps.clock.now().toISOString();
  const by = { role: link.recipient.role, name: link.recipient.name };
  if (!(await deps.store.markWithdrawn(referral.referralId, { at, by, reason }))) return;
  // Once-keyed: Close writes the same event from the stored withdrawal, should this process die first.
  const recorded = audit(
    deps,
    withdrawnEvent(referral.referralId, { at, by, reason }, referral.phase),
    WITHDRAWN_ONCE,
  );
  if (referral.status === 'needs-attention') {
    // No execution is running to close it: close it here, after the event (the closing records its own).
    await recorded;
    await closeReferral({ referralId: referral.referralId, outcome: 'withdrawn' }, deps);
    return;
  }
  // The event beside the steps' failing: both follow the withdrawal, neither needs the other.
  await Promise.all([recorded, failWaitingSteps(deps, referral.referralId)]);
}

/** Fails whichever step waits (its link open with a token), so that the workflow ends in Close as withdrawn. */
async function failWaitingSteps(deps: Dependencies, referralId: string): Promise<void> {
  const steps = await deps.store.listSteps(referralId);
  // Every step's link in one read, not one each.
  for (const waiting of await deps.store.getLinks(steps.map((s) => s.linkHash))) {
    if (waiting?.status !== 'open' || !waiting.taskToken) continue;
    try {
      await deps.workflow.sendTaskFailure(waiting.taskToken, WORKFLOW_ERRORS.withdrawn, 'withdrawn');
    } catch (error) {
      if (!(error instanceof StepNoLongerOpenError)) throw error;
      // Not waiting there: whichever task runs next sees the withdrawal and ends the referral.
    }
  }
}
