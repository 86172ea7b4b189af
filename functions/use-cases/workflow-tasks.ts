/** What each workflow state does. Each is safe to run twice: the state machine retries tasks. */
import type { Group, Partnership } from '../domain/partnership';
import type { Language, Outcome, Phase, Referral } from '../domain/referral';
import { STEP_PHASE, STEP_RECIPIENT, type RecipientRole, type StepName } from '../domain/steps';
import { linkUrl, newLinkToken } from '../adapters/link-tokens';
import { renderEmail } from '../web/emails/render';
import { followUp, intakeReceived, referralClosed, stepRequest } from '../web/emails/templates';
import type { Dependencies, LinkRecord } from '../ports';
import { ReferralNotFoundError } from '../shared/errors';
import { audit, notifyOnce } from './audit';

export class ReferralClosedError extends Error {
  override name = 'Referral.AlreadyClosed';
}

async function loadReferral(deps: Dependencies, referralId: string): Promise<Referral> {
  const referral = await deps.store.getReferral(referralId);
  if (!referral) throw new ReferralNotFoundError(`Referral ${referralId} not found`);
  return referral;
}

async function enterPhase(deps: Dependencies, referral: Referral, phase: Phase): Promise<void> {
  if (referral.status === 'closed')
    throw new ReferralClosedError(`Referral ${referral.referralId} is closed`);
  if (referral.phase === phase && referral.status === 'active') return;
  await deps.store.updateReferral(referral.referralId, {
    phase,
    status: 'active',
    updatedAt: deps.clock.now().toISOString(),
  });
}

async function partnershipOf(deps: Dependencies, referral: Referral): Promise<Partnership> {
  const p = await deps.store.getPartnership(referral.partnershipId);
  if (!p) throw new Error(`Partnership ${referral.partnershipId} not found`);
  return p;
}

export async function acceptIntake(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadReferral(deps, referralId);
  await enterPhase(deps, referral, 'intake');
  const sent = await notifyOnce(deps, referralId, 'intake-received', () =>
    deps.email.send(
      renderEmail(referral.socialWorker.email, intakeReceived(referral, referral.socialWorker)),
    ),
  );
  if (sent) {
    await audit(deps, { referralId, actor: { role: 'system' }, action: 'intake-accepted', phase: 'intake' });
  }
}

interface Recipient {
  role: RecipientRole;
  name: string;
  email: string;
  language: Language;
}

async function recipientFor(deps: Dependencies, step: StepName, referral: Referral): Promise<Recipient> {
  const role = STEP_RECIPIENT[step];
  switch (role) {
    case 'custodian':
      return { role, ...referral.custodian };
    case 'social-worker':
      return { role, ...referral.socialWorker, language: 'sv' };
    case 'coordinator':
      return { role, ...(await partnershipOf(deps, referral)).coordinator, language: 'sv' };
    case 'group-leader': {
      const p = await partnershipOf(deps, referral);
      const group: Group | undefined = referral.group
        ? (await deps.store.listGroups(p.id)).find((g) => g.groupId === referral.group?.groupId)
        : undefined;
      return { role, ...(group?.leader ?? p.coordinator), language: 'sv' };
    }
  }
}

/** Creates a link for the step and mails it; used when a step is entered and when a link is renewed. */
export async function issueStepLink(
  deps: Dependencies,
  referral: Referral,
  step: StepName,
  recipient: Recipient,
  taskToken: string,
  renewed: boolean,
): Promise<LinkRecord> {
  const now = deps.clock.now();
  const { token, hash } = newLinkToken();
  const link: LinkRecord = {
    linkHash: hash,
    referralId: referral.referralId,
    step,
    recipient,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + deps.config.linkTtlDays * 86_400_000).toISOString(),
    status: 'open',
    taskToken,
  };
  await deps.store.putLink(link);
  await deps.store.putStep({
    referralId: referral.referralId,
    step,
    linkHash: hash,
    enteredAt: now.toISOString(),
  });
  const content = stepRequest(
    step,
    referral,
    recipient,
    linkUrl(deps.config.publicBaseUrl, token),
    link.expiresAt,
    renewed,
  );
  await deps.email.send(renderEmail(recipient.email, content));
  await deps.store.markStepEmailSent(referral.referralId, step, deps.clock.now().toISOString());
  return link;
}

/**
 * Entering a human step. Idempotent: when the step's email already went out and its link is still
 * open, the new task token is bound to that link and no second email is sent.
 */
export async function enterHumanStep(
  step: StepName,
  { referralId, taskToken }: { referralId: string; taskToken: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadReferral(deps, referralId);
  await enterPhase(deps, referral, STEP_PHASE[step]);
  const existing = await deps.store.getStep(referralId, step);
  if (existing) {
    const link = await deps.store.getLink(existing.linkHash);
    const usable = link && link.status === 'open' && link.expiresAt > deps.clock.now().toISOString();
    if (existing.emailSentAt && usable && (await deps.store.bindLinkToken(existing.linkHash, taskToken))) {
      await audit(deps, {
        referralId,
        actor: { role: 'system' },
        action: 'step-resumed',
        phase: STEP_PHASE[step],
        detail: { step },
      });
      return;
    }
    if (link?.status === 'open') await deps.store.setLinkStatus(existing.linkHash, 'superseded');
  }
  const recipient = await recipientFor(deps, step, referral);
  await issueStepLink(deps, referral, step, recipient, taskToken, false);
  await audit(deps, {
    referralId,
    actor: { role: 'system' },
    action: 'step-requested',
    phase: STEP_PHASE[step],
    detail: { step, recipientRole: recipient.role },
  });
}

export async function sendFollowUp(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadReferral(deps, referralId);
  await enterPhase(deps, referral, 'follow-up');
  await notifyOnce(deps, referralId, 'follow-up-social-worker', () =>
    deps.email.send(
      renderEmail(referral.socialWorker.email, followUp(referral, referral.socialWorker, 'social-worker')),
    ),
  );
  await notifyOnce(deps, referralId, 'follow-up-carer', () =>
    deps.email.send(renderEmail(referral.carer.email, followUp(referral, referral.carer, 'carer'))),
  );
  await audit(deps, { referralId, actor: { role: 'system' }, action: 'follow-up-sent', phase: 'follow-up' });
}

export async function closeReferral(
  { referralId, outcome }: { referralId: string; outcome: Outcome },
  deps: Dependencies,
): Promise<void> {
  const referral = await loadReferral(deps, referralId);
  const at = deps.clock.now().toISOString();
  if (referral.status !== 'closed') {
    await deps.store.updateReferral(referralId, {
      phase: 'closed',
      status: 'closed',
      outcome,
      updatedAt: at,
    });
  }
  // The child may be referred again once this referral is closed.
  await deps.store.releaseChild(referral.identityHash, referralId);
  const reason = outcome === 'declined' ? referral.screening?.reason : undefined;
  await notifyOnce(deps, referralId, 'closed', () =>
    deps.email.send(
      renderEmail(
        referral.socialWorker.email,
        referralClosed(referral, referral.socialWorker, outcome, reason),
      ),
    ),
  );
  if (referral.status !== 'closed') {
    await audit(deps, {
      referralId,
      at,
      actor: { role: 'system' },
      action: 'referral-closed',
      phase: 'closed',
      detail: { outcome },
    });
  }
}

export async function recordFailure(
  { referralId, error }: { referralId: string; error: string },
  deps: Dependencies,
): Promise<void> {
  const referral = await deps.store.getReferral(referralId);
  if (!referral) {
    deps.log.error('failure for unknown referral', { referralId, error });
    return;
  }
  const at = deps.clock.now().toISOString();
  await deps.store.updateReferral(referralId, {
    status: 'needs-attention',
    failure: { phase: referral.phase, error, at },
    updatedAt: at,
  });
  await audit(deps, {
    referralId,
    at,
    actor: { role: 'system' },
    action: 'step-failed',
    phase: referral.phase,
    detail: { error },
  });
  deps.log.warn('referral needs attention', { referralId, phase: referral.phase, error });
}
