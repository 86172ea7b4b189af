/** Entering a human step and the silent waits, step-agnostic; a recorded answer is replayed to a new wait. Each task is safe to run twice: the state machine retries tasks. */
import { type Referral } from '../domain/referral';
import { STEP_PHASE, WORKFLOW_ERRORS, type StepName, type AnswerError } from '../domain/steps';
import { StepNoLongerOpenError, type Dependencies, type LinkRecord } from '../ports';
import { audit } from './audit';
import { enterPhase, loadOpenReferral, loadReferral } from './referrals';
import { issueStepLink, putLink, recipientFor } from './step-links';

/**
 * Entering a human step. Idempotent: when the step's email already went out and its link is still
 * open, the new task token is bound to that link and no second email is sent.
 */
export async function enterHumanStep(
  step: StepName,
  { referralId, taskToken, custodian }: { referralId: string; taskToken: string; custodian?: number },
  deps: Dependencies,
  { notify = true }: { notify?: boolean } = {},
): Promise<'waiting' | 'answered'> {
  const referral = await loadOpenReferral(deps, referralId);
  await enterPhase(deps, referral, STEP_PHASE[step]);
  const existing = await deps.store.getStep(referralId, step, custodian);
  if (existing) {
    const link = await deps.store.getLink(existing.linkHash);
    // Answered already (the execution was resumed after a crash, or retried), or a silent wait whose event
    // came while no wait was open (a group confirmed while the weekly pool wait re-ran): go on at once.
    const over =
      !!link &&
      (link.status === 'used' ||
        (step === 'group-assignment' && !!referral.group) ||
        (step === 'sessions' && (await groupCompleted(deps, referral))));
    if (over && (await replayAnswer(deps, step, referral, link, taskToken))) {
      if (link.status === 'open')
        await deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'resumed');
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-answer-replayed',
        phase: STEP_PHASE[step],
        detail: { step },
      });
      return 'answered';
    }
    // A new consent round (after an extension) asks again with a new email, even if an older link still works.
    const staleRound =
      step === 'consent' && !!referral.consentRound && existing.enteredAt < referral.consentRound.startedAt;
    const usable =
      link && link.status === 'open' && link.expiresAt > deps.clock.now().toISOString() && !staleRound;
    if (existing.emailSentAt && usable && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) {
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-resumed',
        phase: STEP_PHASE[step],
        detail: { step, ...(custodian ? { custodian: String(custodian) } : {}) },
      });
      return settleSilentWait(deps, step, referralId, taskToken);
    }
    // Otherwise the step is asked anew, or its unsent email sent again with its own link (step-outbox).
  }
  const recipient = await recipientFor(deps, step, referral, custodian);
  if (notify) await issueStepLink(deps, referral, step, recipient, taskToken, 'request', custodian);
  else {
    // A silent wait (the pool, a running group): the link is never mailed, it only holds the task token
    // so that a confirmation, a completed group or a withdrawal can resume or stop the wait.
    const { link } = await putLink(deps, referral, step, recipient, taskToken, 400, custodian);
    await deps.store.putStep({
      referralId,
      step,
      custodian,
      linkHash: link.linkHash,
      enteredAt: link.createdAt,
      emailSentAt: link.createdAt,
    });
  }
  await audit(deps, {
    referralId,
    actor: { role: 'system' },
    action: 'step-requested',
    phase: STEP_PHASE[step],
    detail: { step, recipientRole: recipient.role, ...(custodian ? { custodian: String(custodian) } : {}) },
  });
  return settleSilentWait(deps, step, referralId, taskToken);
}

/**
 * An event may land while a wait is being entered: a withdrawal (any step), a group confirmed or completed
 * (the silent waits). The other side writes the event, then reads the token; this side writes the token,
 * then reads the event here. One of the two always sees the other, so the wait never misses it (both may:
 * the later answer finds the token used and changes nothing).
 */
export async function settleSilentWait(
  deps: Dependencies,
  step: StepName,
  referralId: string,
  taskToken: string,
): Promise<'waiting' | 'answered'> {
  const referral = await loadReferral(deps, referralId);
  if (referral.withdrawal) {
    try {
      await deps.workflow.sendTaskFailure(taskToken, WORKFLOW_ERRORS.withdrawn, 'withdrawn');
    } catch (error) {
      if (!(error instanceof StepNoLongerOpenError)) throw error;
    }
    return 'answered';
  }
  if (step !== 'group-assignment' && step !== 'sessions') return 'waiting';
  let output: Record<string, string> | undefined;
  if (step === 'group-assignment' && referral.group) output = { groupId: referral.group.groupId };
  if (step === 'sessions' && (await groupCompleted(deps, referral))) output = { sessions: 'completed' };
  if (!output) return 'waiting';
  try {
    await deps.workflow.sendTaskSuccess(taskToken, output);
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
  }
  return 'answered';
}

export async function groupCompleted(deps: Dependencies, referral: Referral): Promise<boolean> {
  if (!referral.group) return false;
  const group = await deps.store.getGroup(deps.config.partnershipId, referral.group.groupId);
  return group?.status === 'completed';
}

/** The recorded answer of a step whose link was used, sent to the task that waits now. */
export async function replayAnswer(
  deps: Dependencies,
  step: StepName,
  referral: Referral,
  link: LinkRecord,
  taskToken: string,
): Promise<boolean> {
  const success = (output: Record<string, string>) =>
    deps.workflow.sendTaskSuccess(taskToken, output).then(() => true);
  const failure = (error: AnswerError) =>
    deps.workflow.sendTaskFailure(taskToken, error, 'replayed').then(() => true);
  switch (step) {
    case 'screening':
      if (!referral.screening) return false;
      return referral.screening.decision === 'approved'
        ? success({ decision: 'approved' })
        : failure(WORKFLOW_ERRORS.declined);
    case 'consent': {
      const answer = referral.custodians.find((c) => c.number === link.custodian)?.consent;
      if (!answer) return false;
      return answer.given ? success({ consent: 'given' }) : failure(WORKFLOW_ERRORS.consentRefused);
    }
    case 'consent-escalation':
      return link.usedAction ? success({ choice: link.usedAction }) : false;
    case 'group-assignment':
      return referral.group ? success({ groupId: referral.group.groupId }) : false;
    case 'sessions':
      return success({ sessions: 'completed' });
    case 'attendance':
      return false;
  }
}
