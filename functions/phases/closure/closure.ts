/** Closing a referral, erasing it after the retention period, and recording a system failure. Each task is safe to run twice: the state machine retries tasks. */
import { type Outcome, type Phase, type Withdrawal } from '../../domain/referral';
import type { SocialWorkerNotificationId } from '../../web/emails/promises';
import { renderEmail } from '../../web/emails/render';
import { staffReferralUrl } from '../../web/emails/templates';
import { referralClosed, withdrawnNotice } from './emails';
import { closingNote } from '../../domain/notes';
import { monthsLater } from '../../domain/stockholm-dates';
import { type Dependencies } from '../../ports';
import { anonymise } from '../../domain/follow-up';
import { audit, notificationMarker, notifyOnce } from '../../kernel/audit';
import { coordinatorOf, loadReferralNotified, partnershipOf, socialWorker } from '../../kernel/referrals';
import { METRICS } from '../../shared/metric-names';
import { ReferralNotFoundError } from '../../shared/errors';
import { followUpFacts, SUMMARY_EVENT_KEY, summarisedFacts } from '../follow-up/follow-up';

export const WITHDRAWN_ONCE = 'referral-withdrawn';

/** The withdrawal's audit event: who, why (free text, kept on the staff page, erased with the referral). */
export function withdrawnEvent(referralId: string, w: Withdrawal, phase: Phase | undefined) {
  return {
    referralId,
    at: w.at,
    actor: w.by,
    action: 'referral-withdrawn' as const,
    phase,
    detail: { reason: w.reason },
  };
}

/** Every open step link of the referral now shows "no longer needed". */
export async function closeOpenLinks(deps: Dependencies, referralId: string): Promise<void> {
  // Every step's link in one BatchGetItem (per 100), not one read per step; only open ones are written.
  const steps = await deps.store.listSteps(referralId);
  const links = await deps.store.getLinks(steps.map((s) => s.linkHash));
  for (const link of links)
    if (link?.status === 'open') await deps.store.setLinkStatus(link.linkHash, 'closed');
}

const CLOSED = 'closed' satisfies SocialWorkerNotificationId;
const WITHDRAWN_COORDINATOR = 'withdrawn-coordinator';

export async function closeReferral(
  { referralId, outcome }: { referralId: string; outcome: Outcome },
  deps: Dependencies,
): Promise<{ eraseAt: string }> {
  // Whether its emails went out, read with the referral (one request, not three).
  const {
    referral,
    notified: [closedSent, coordinatorSent],
  } = await loadReferralNotified(deps, referralId, [
    notificationMarker(CLOSED),
    notificationMarker(WITHDRAWN_COORDINATOR),
  ]);
  const at = deps.clock.now().toISOString();
  if (referral.status !== 'closed') {
    // The withdrawal's event, in case the process that recorded the withdrawal died before its event
    // (the link it came through is used by then, so nothing else would write it): once-keyed, the same item.
    if (outcome === 'withdrawn' && referral.withdrawal)
      await audit(deps, withdrawnEvent(referralId, referral.withdrawal, referral.phase), WITHDRAWN_ONCE);
    // Recorded first and once: a crash between the two writes leaves the event, and Close runs again.
    await audit(
      deps,
      {
        referralId,
        at,
        actor: { role: 'system' },
        action: 'referral-closed',
        phase: 'closed',
        detail: { outcome },
      },
      'referral-closed',
    );
    await deps.store.updateReferral(referralId, {
      phase: 'closed',
      status: 'closed',
      outcome,
      updatedAt: at,
    });
  }
  await closeOpenLinks(deps, referralId);
  // A child still waiting leaves the pool at once, before anything is mailed (a proposal counts whoever is
  // in it). A placed child left it when placed: what a placement cut off may have left goes with the
  // due-erasure record below, in the same request.
  const pool = { partnershipId: referral.partnershipId, ageBand: referral.child.ageBand };
  if (!referral.group) await deps.store.removePoolEntry(pool.partnershipId, pool.ageBand, referralId);
  // A child who leaves before the group is done gives the seat back, to the next child waiting if it is early.
  if (referral.group && outcome !== 'completed') {
    if (await deps.store.leaveGroup(referral.partnershipId, referral.group.groupId, referralId)) {
      await audit(deps, {
        referralId,
        at,
        actor: { role: 'system' },
        action: 'group-seat-freed',
        detail: { groupId: referral.group.groupId },
      });
      const { offerFreedSeat } = await import('../groups/seats');
      await offerFreedSeat(deps, referral.group.groupId);
    }
  }
  // The child may be referred again once this referral is closed.
  await deps.store.releaseChild(referral.identityHash, referralId);
  // A decline or withdrawal reason is never mailed: the email says there is one and links to the staff page.
  const noteKind = closingNote(referral, outcome);
  const note = noteKind && { kind: noteKind, url: staffReferralUrl(deps.config.publicBaseUrl, referralId) };
  await notifyOnce(
    deps,
    referralId,
    CLOSED,
    () =>
      deps.email.send(
        renderEmail(
          referral.socialWorker.email,
          referralClosed(referral, socialWorker(referral), outcome, note),
          deps.config.publicBaseUrl,
        ),
      ),
    undefined,
    { sent: closedSent },
  );
  if (outcome === 'withdrawn') {
    const coordinator = coordinatorOf(await partnershipOf(deps, referral));
    await notifyOnce(
      deps,
      referralId,
      WITHDRAWN_COORDINATOR,
      () =>
        deps.email.send(
          renderEmail(
            coordinator.email,
            withdrawnNotice(referral, coordinator, note),
            deps.config.publicBaseUrl,
          ),
        ),
      undefined,
      { sent: coordinatorSent },
    );
  }
  // Personal data is kept for the retention period after closing, then erased by the daily sweep
  // (eraseDueReferrals), which finds it in the due-erasure index; a Close run again records the same entry.
  const months = (await partnershipOf(deps, referral)).retentionMonths;
  // When it closed: now, or (Close run again) when the earlier run closed it, as read at the start; no
  // task changes a closed referral's updatedAt, so it is not read again.
  const closedAt = referral.status === 'closed' ? (referral.updatedAt ?? at) : at;
  const eraseAt = new Date(monthsLater(Date.parse(closedAt), months)).toISOString();
  await deps.store.putDueErasure({ referralId, eraseAt }, referral.group ? pool : undefined);
  return { eraseAt };
}

/** After the retention period: keep an anonymised record, erase everything personal. */
export async function eraseReferral(
  { referralId }: { referralId: string },
  deps: Dependencies,
): Promise<void> {
  const erased = () =>
    audit(
      deps,
      { referralId, actor: { role: 'system' }, action: 'personal-data-erased', phase: 'closed' },
      'personal-data-erased',
    );
  // The referral and its answers are read by the erasure itself, with every other item it erases (one
  // Query). Erased already (the process died before the event was written, or while the last of the
  // erasure's batch writes was retried: the record is written in it): what it left is finished, and the
  // anonymised record is not made again; the event, once.
  const result = await deps.store.eraseReferral(referralId, async (referral, answers, onceEvent) => {
    // What the summary's event recorded (one request for the group and its attendance fewer), else read.
    const facts = summarisedFacts(onceEvent(SUMMARY_EVENT_KEY)) ?? (await followUpFacts(deps, referral));
    return anonymise(
      referral,
      {
        closedAt: referral.updatedAt,
        format: facts.format,
        attended: facts.attended,
        scheduled: facts.scheduled,
        answers,
      },
      deps.clock.now().toISOString(),
    );
  });
  if (result === 'no-referral') throw new ReferralNotFoundError(`Referral ${referralId} not found`);
  await erased();
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
  deps.metrics.count(METRICS.needsAttention);
  deps.log.warn('referral needs attention', { referralId, phase: referral.phase, error });
}
