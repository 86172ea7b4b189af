/**
 * A human step's link as a link module (kernel/link-module.ts): the step's schema for the recipient's
 * role, its page, and its email for a renewed link; an answer is recorded by the step module and then
 * resumes the waiting workflow (or ends it, for a negative answer).
 */
import type { Referral } from '../domain/referral';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import type { HumanStep, OpenLinkView, StepAnswer } from './human-step';
import { stillOpenOn, type AnswerOutcome, type LinkModule } from './link-module';
import { issueStepLink } from './step-links';

export function stepLinkModule(step: HumanStep): LinkModule {
  const answer = step.answer;
  return {
    purpose: step.name,
    phase: step.phase,
    page: step.page,
    answer: answer && {
      schema: (view) => answer.schema(view.link.recipient.role),
      check: answer.check && ((deps, view, action) => answer.check!(deps, view, action)),
      apply: (deps, view, action, at) => answerStep(deps, step, answer, view, action, at),
    },
    // Only a step that mails its link can mail a new one (a silent wait cannot).
    renew: step.email && ((deps, expired, referral) => renewStepLink(deps, step, expired, referral)),
  };
}

/** The link is already used: record the answer, then resume the workflow with it. */
async function answerStep(
  deps: Dependencies,
  step: HumanStep,
  answer: StepAnswer,
  view: OpenLinkView,
  action: { action: string },
  at: string,
): Promise<AnswerOutcome> {
  const { store } = deps;
  const { link } = view;
  try {
    await answer.apply(deps, view, action, at);
    const resolution = answer.resolution(action);
    // Asked anew: the answer bound the waiting task to a new link (apply did), so nothing resumes yet.
    if (resolution.kind === 'success') await deps.workflow.sendTaskSuccess(link.taskToken, resolution.output);
    else if (resolution.kind === 'failure')
      await deps.workflow.sendTaskFailure(link.taskToken, resolution.error, resolution.cause);
    return 'done';
  } catch (error) {
    if (error instanceof StepNoLongerOpenError) {
      await answer.takeBack?.(deps, view);
      const record = await store.getStep(link.referralId, step.name, link.custodian);
      if (record?.linkHash === link.linkHash && stillOpenOn(step, await store.getReferral(link.referralId))) {
        // The workflow is between two waits of this very step (a reminder timer): the answer will fit in a moment.
        await store.reopenLink(link.linkHash);
        return 'try-again';
      }
      await store.setLinkStatus(link.linkHash, 'closed');
      return 'no-longer-open';
    }
    // Nothing was resumed: give the link back so the person can try again.
    await store.reopenLink(link.linkHash);
    throw error;
  }
}

/** A fresh link for the same still-open step and recipient, mailed as a renewed request. */
async function renewStepLink(
  deps: Dependencies,
  step: HumanStep,
  expired: LinkRecord,
  referral: Referral,
): Promise<LinkRecord | undefined> {
  const record = await deps.store.getStep(expired.referralId, step.name, expired.custodian);
  if (record?.linkHash !== expired.linkHash) {
    await deps.store.setLinkStatus(expired.linkHash, 'closed');
    return undefined;
  }
  await deps.store.setLinkStatus(expired.linkHash, 'superseded');
  return issueStepLink(
    deps,
    referral,
    step,
    expired.recipient,
    expired.taskToken,
    'renewed',
    expired.custodian,
  );
}
