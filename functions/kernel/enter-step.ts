/** Entering a human step and the silent waits, step-agnostic; a recorded answer is replayed to a new wait. */
import type { Referral } from '../domain/referral';
import { WORKFLOW_ERRORS, type StepResolution } from '../domain/steps';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord, type StepRecord } from '../ports';
import { audit } from './audit';
import { fromEarlierRound, type HumanStep } from './human-step';
import { enterPhase, enterPhaseReading, loadOpenReferralWithStep, loadReferral } from './referrals';
import { appendLogKeys } from '../shared/log-keys';
import { METRICS } from '../shared/metric-names';
import { issueStepLink } from './step-links';
import { mintLink } from './step-outbox';

/**
 * Entering a human step. Idempotent: when the step's email already went out and its link is still
 * open, the new task token is bound to that link and no second email is sent.
 */
export async function enterHumanStep(
  module: HumanStep,
  input: { referralId: string; taskToken: string; custodian?: number },
  deps: Dependencies,
  options: { notify?: boolean } = {},
): Promise<'waiting' | 'answered'> {
  return (await enterStepReading(module, input, deps, options)).outcome;
}

/**
 * `enterHumanStep` that also hands back the referral as it last read it — after the wait's token was
 * stored, where it got that far — so that a task going on after entering its wait reads it no third time.
 */
export async function enterStepReading(
  module: HumanStep,
  { referralId, taskToken, custodian }: { referralId: string; taskToken: string; custodian?: number },
  deps: Dependencies,
  { notify = true }: { notify?: boolean } = {},
): Promise<{ outcome: 'waiting' | 'answered'; referral: Referral }> {
  const step = module.name;
  appendLogKeys({ step });
  const { referral, step: existing } = await loadOpenReferralWithStep(deps, referralId, step, custodian);
  // The phase is entered once the wait's token is stored, in the request that reads the referral again
  // (settleWait): one request for both, and before any email of the step goes out.
  let afterToken: Referral | undefined;
  const enteredReading = async () => (afterToken ??= await enterPhaseReading(deps, referral, module.phase));
  // Asked before, in an earlier round (screening again after an information request): a new round.
  const newRound = !!existing && fromEarlierRound(module, referral, existing);
  // What the outbox would read again: the step and its link as read here, while nothing here wrote them.
  let known: { step: StepRecord | undefined; link: LinkRecord | undefined } | undefined = {
    step: existing,
    link: undefined,
  };
  if (existing) {
    const link = await deps.store.getLink(existing.linkHash);
    known.link = link;
    // Answered already (the execution was resumed after a crash, or retried), or a silent wait whose event
    // came while no wait was open (a group confirmed while the weekly pool wait re-ran): go on at once.
    // An answer recorded before its link is used (`first`) whose request was cut off before the link's use:
    // nobody may send the form again, so the wait that runs now finishes it (the link used, its event).
    const first = link?.status === 'open' ? module.answer?.first : undefined;
    const cutOff = first && link ? first.recorded({ link, referral }) : undefined;
    const over =
      !!link && (link.status === 'used' || !!cutOff || !!(await module.settledBy?.(deps, referral)));
    const recorded = link && over ? await module.recordedAnswer(deps, referral, link) : undefined;
    if (link && recorded) {
      await enterPhase(deps, referral, module.phase);
      await resolve(deps, taskToken, recorded, 'replayed');
      if (link.status === 'open') {
        const answerEvent = first && cutOff ? first.event({ link, referral }, cutOff) : undefined;
        await Promise.all([
          deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'resumed'),
          answerEvent && audit(deps, answerEvent.event, answerEvent.onceKey),
        ]);
      }
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-answer-replayed',
        phase: module.phase,
        detail: { step },
      });
      return { outcome: 'answered', referral };
    }
    // A new round (a consent extension) asks again with a new email, even if an older link still works.
    const asksAgainAfter = module.asksAgainAfter?.(referral);
    const staleRound = !!asksAgainAfter && existing.enteredAt < asksAgainAfter;
    const usable =
      link && link.status === 'open' && link.expiresAt > deps.clock.now().toISOString() && !staleRound;
    if (existing.emailSentAt && usable && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) {
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-resumed',
        phase: module.phase,
        detail: { step, ...(custodian ? { custodian: String(custodian) } : {}) },
      });
      return settleWait(deps, module, taskToken, await enteredReading());
    }
    // The link was tried and changed under us (answered, closed): the outbox reads it afresh.
    if (existing.emailSentAt && usable) known = undefined;
    // Otherwise the step is asked anew, or its unsent email sent again with its own link (step-outbox).
  }
  const recipient = await module.recipient(deps, referral, custodian);
  const requested = {
    referralId,
    actor: { role: 'system' as const },
    action: 'step-requested' as const,
    phase: module.phase,
    detail: { step, recipientRole: recipient.role, ...(custodian ? { custodian: String(custodian) } : {}) },
  };
  if (notify)
    // Recorded with the email's sent mark (one request), once the email went out.
    await issueStepLink(deps, referral, module, recipient, taskToken, 'request', custodian, undefined, {
      newRound,
      known,
      sentEvent: requested,
      beforeSend: async () => void (await enteredReading()),
    });
  else {
    // A silent wait (the pool, a running group): the link is never mailed, it only holds the task token
    // so that a confirmation, a completed group or a withdrawal can resume or stop the wait. Its token is
    // random (no entry names it), so no link can have its hash: written with the record and the event.
    const { link } = await mintLink(
      deps,
      { referralId, step, custodian, recipient, taskToken },
      SILENT_WAIT_LINK_DAYS,
    );
    await deps.store.putStep(
      {
        referralId,
        step,
        custodian,
        linkHash: link.linkHash,
        enteredAt: link.createdAt,
        emailSentAt: link.createdAt,
      },
      { ...requested, at: deps.clock.now().toISOString() },
      [link],
    );
  }
  deps.metrics.count(METRICS.stepsEntered);
  return settleWait(deps, module, taskToken, await enteredReading());
}

/** A silent wait's link lives as long as the longest wait (the pool's, up to a year). */
const SILENT_WAIT_LINK_DAYS = 400;

/** Gives a waiting task its answer: a success output, or an answer error the state machine catches. */
async function resolve(
  deps: Dependencies,
  taskToken: string,
  resolution: StepResolution,
  cause: string,
): Promise<void> {
  if (resolution.kind === 'success') await deps.workflow.sendTaskSuccess(taskToken, resolution.output);
  else await deps.workflow.sendTaskFailure(taskToken, resolution.error, cause);
}

/**
 * An event may land while a wait is being entered: a withdrawal (any step), a group confirmed or completed
 * (the silent waits). The other side writes the event, then reads the token; this side writes the token,
 * then reads the event here. One of the two always sees the other, so the wait never misses it (both may:
 * the later answer finds the token used and changes nothing).
 */
export async function settleSilentWait(
  deps: Dependencies,
  module: HumanStep,
  referralId: string,
  taskToken: string,
): Promise<'waiting' | 'answered'> {
  return (await settleWait(deps, module, taskToken, await loadReferral(deps, referralId))).outcome;
}

/**
 * `referral` must be read after the token was stored, never before: this read is what sees an event that
 * landed in between.
 */
async function settleWait(
  deps: Dependencies,
  module: HumanStep,
  taskToken: string,
  referral: Referral,
): Promise<{ outcome: 'waiting' | 'answered'; referral: Referral }> {
  const settled: StepResolution | undefined = referral.withdrawal
    ? { kind: 'failure', error: WORKFLOW_ERRORS.withdrawn, cause: 'withdrawn' }
    : await module.settledBy?.(deps, referral).then((output) => output && { kind: 'success', output });
  if (!settled) return { outcome: 'waiting', referral };
  try {
    await resolve(deps, taskToken, settled, settled.kind === 'failure' ? settled.cause : 'settled');
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
  }
  return { outcome: 'answered', referral };
}
