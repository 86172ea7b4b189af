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
import type { LinkAction, Recorded } from '../../kernel/link-module';
import { StepNoLongerOpenError, type Dependencies, type StepRecord } from '../../ports';
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
    // The withdrawal first: once only by itself (markWithdrawn), it guards against a second or racing answer
    // as the link's use would; its event and the steps' failing then go beside the link's use.
    useLink: 'after',
    apply: (deps, view, action) => withdraw(deps, view, action.reason),
  },
  // No renewal: the link works until the referral closes (it expires only after 400 days, by then long
  // closed), and every later email to the same person carries a fresh one.
};

/** Record who and why, then fail whichever step waits, so the workflow ends in Close as withdrawn. */
async function withdraw(
  deps: Dependencies,
  { referral, link }: OpenLinkView,
  reason: string,
): Promise<Recorded> {
  const at = deps.clock.now().toISOString();
  const by = { role: link.recipient.role, name: link.recipient.name };
  const { referralId } = referral;
  // The steps listed beside the write, so that their links are read at once after it (failWaitingSteps).
  const [withdrawn, listed] = await Promise.all([
    deps.store.markWithdrawn(referralId, { at, by, reason }),
    deps.store.listSteps(referralId),
  ]);
  // Withdrawn a moment ago by another answer: that one finishes it.
  if (!withdrawn) return { outcome: 'answered-already', leaveLink: true };
  return {
    outcome: 'done',
    // After the withdrawal it records, beside the link's use.
    async beside() {
      // Once-keyed: Close writes the same event from the stored withdrawal, should this process die first.
      const recorded = audit(
        deps,
        withdrawnEvent(referralId, { at, by, reason }, referral.phase),
        WITHDRAWN_ONCE,
      );
      if (referral.status === 'needs-attention') {
        // No execution is running to close it: close it here, after the event (the closing records its own).
        await recorded;
        await closeReferral({ referralId, outcome: 'withdrawn' }, deps);
        return;
      }
      // The event beside the steps' failing: both follow the withdrawal, neither needs the other. A child
      // waiting in the pool leaves it now, not when Close runs: the planner proposes whoever has an entry
      // (pool-clock.ts planPool), and a proposal must not name a withdrawn child meanwhile.
      await Promise.all([
        recorded,
        failWaitingSteps(deps, referralId, listed),
        referral.group
          ? undefined
          : deps.store.removePoolEntry(referral.partnershipId, referral.child.ageBand, referralId),
      ]);
    },
  };
}

/**
 * Fails whichever step waits (its link open with a token), so that the workflow ends in Close as withdrawn.
 * Its link is read after the withdrawal was written: a step being entered stores its token, then reads the
 * referral, so one of the two sees the other. `listed`: the steps as listed beside that write; their links
 * are read at once, beside a second listing, and a link that only the second names (a step entered or
 * reminded in between) is read after it.
 */
async function failWaitingSteps(deps: Dependencies, referralId: string, listed: StepRecord[]): Promise<void> {
  const hashes = listed.map((s) => s.linkHash);
  // Every step's link in one read, not one each.
  const [steps, links] = await Promise.all([deps.store.listSteps(referralId), deps.store.getLinks(hashes)]);
  const later = steps.map((s) => s.linkHash).filter((hash) => !hashes.includes(hash));
  for (const waiting of [...links, ...(later.length ? await deps.store.getLinks(later) : [])]) {
    if (waiting?.status !== 'open' || !waiting.taskToken) continue;
    try {
      await deps.workflow.sendTaskFailure(waiting.taskToken, WORKFLOW_ERRORS.withdrawn, 'withdrawn');
    } catch (error) {
      if (!(error instanceof StepNoLongerOpenError)) throw error;
      // Not waiting there: whichever task runs next sees the withdrawal and ends the referral.
    }
  }
}
