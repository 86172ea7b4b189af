/**
 * A human step's link as a link module (kernel/link-module.ts): the step's schema for the recipient's
 * role, its page, and its email for a renewed link; an answer is recorded by the step module and then
 * resumes the waiting workflow (or ends it, for a negative answer).
 */
import type { Referral } from '../domain/referral';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import { audit } from './audit';
import type {
  AnswerFirst,
  AnswerResolution,
  HumanStep,
  OpenLinkView,
  OpenStep,
  StepAnswer,
} from './human-step';
import { stillOpenOn, type AnswerOutcome, type LinkModule, type Recorded } from './link-module';
import { issueStepLink } from './step-links';

export function stepLinkModule(step: HumanStep): LinkModule {
  const answer = step.answer;
  const first = answer?.first;
  return {
    purpose: step.name,
    phase: step.phase,
    page: step.page,
    answer: answer && {
      schema: (view) => answer.schema(view.link.recipient.role),
      check: answer.check && ((deps, view, action) => answer.check!(deps, view, action)),
      // An answer the step records first is its own guard: its link is used after it (AnswerFirst).
      useLinkFor: first && ((action) => (first.takes(action) ? 'after' : 'before')),
      apply: (deps, view, action, at) =>
        first?.takes(action)
          ? answerFirst(deps, step, answer, first, view, action, at)
          : answerStep(deps, step, answer, view, action, at),
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
  try {
    // The wait had its answer (recorded first, by a request that then lost the link to this one): the
    // link, used here, makes the next wait replay it (enterHumanStep).
    if ((await answer.apply(deps, view, action, at)) === 'answered-already') return 'answered-already';
    await resolveWith(deps, view.link, answer.resolution(action));
    return 'done';
  } catch (error) {
    return notResumed(deps, step, answer, view, error);
  }
}

/**
 * An answer `first` takes: recorded before its link is used, once per wait (a conditional change); then
 * its event beside the link's use, after the change it records; and the workflow resumed only by the request
 * whose use of the link counted, so that a takeBack never undoes an answer another request resumed with.
 * A process dying after the change keeps the answer and the link open: sent again, the form finishes it.
 */
async function answerFirst(
  deps: Dependencies,
  step: HumanStep,
  answer: StepAnswer,
  first: AnswerFirst<{ action: string }>,
  view: OpenLinkView,
  action: { action: string },
  at: string,
): Promise<Recorded> {
  // Recorded through this still-open link already: an earlier request was cut off after recording it (or a
  // racing one is finishing it). This one finishes the answer recorded, whatever it sends now.
  const again = first.recorded(view);
  const answered = again ?? {
    action,
    at,
    by: { role: view.link.recipient.role, name: view.link.recipient.name },
  };
  // Another answer was recorded a moment ago, after this one read the link: its request finishes it.
  if (!again && !(await first.record(deps, view, action, at)))
    return { outcome: 'answered-already', leaveLink: true };
  const { event, onceKey } = first.event(view, answered);
  return {
    outcome: again && again.action.action !== action.action ? 'answered-already' : 'done',
    beside: () => audit(deps, event, onceKey),
    resume: async () => {
      try {
        await resolveWith(deps, view.link, answer.resolution(answered.action));
        return undefined;
      } catch (error) {
        // Finishing an answer an earlier request recorded: a restarted execution may have taken it from the
        // record already, so it is never taken back; if not, the link used here makes the next wait replay it.
        if (again && error instanceof StepNoLongerOpenError) return undefined;
        return notResumed(deps, step, answer, view, error);
      }
    },
  };
}

/**
 * An answer `first` takes, applied after a single-use guard of the caller's own (the staff inbox uses the
 * step's link first): the change, then its event. `answered-already` when the wait had an answer.
 */
export async function applyFirst<A extends { action: string }>(
  deps: Dependencies,
  first: AnswerFirst<A>,
  step: OpenStep,
  action: A,
  at: string,
): Promise<void | 'answered-already'> {
  if (!(await first.record(deps, step, action, at))) return 'answered-already';
  const by = { role: step.link.recipient.role, name: step.link.recipient.name };
  const { event, onceKey } = first.event(step, { action, at, by });
  await audit(deps, event, onceKey);
}

/** Gives the waiting task the answer; nothing when the answer asked the step anew (its wait goes on). */
async function resolveWith(
  deps: Dependencies,
  link: LinkRecord,
  resolution: AnswerResolution,
): Promise<void> {
  if (resolution.kind === 'success') await deps.workflow.sendTaskSuccess(link.taskToken, resolution.output);
  else if (resolution.kind === 'failure')
    await deps.workflow.sendTaskFailure(link.taskToken, resolution.error, resolution.cause);
}

/** The workflow did not take an answer whose link this request used: take it back, and say why. */
async function notResumed(
  deps: Dependencies,
  step: HumanStep,
  answer: StepAnswer,
  view: OpenLinkView,
  error: unknown,
): Promise<'try-again' | 'no-longer-open'> {
  const { store } = deps;
  const { link } = view;
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
