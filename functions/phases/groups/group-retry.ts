/**
 * A group's execution that failed: RecordGroupFailure writes the step that failed on the group (for the
 * meetings, which meeting) and tells the coordinator once; the coordinator's retry on the staff pages
 * starts a new execution at that step (groupResumeOf), as a referral's retry does at its phase.
 */
import { groupNeedsAttention, type Group, type GroupFailure, type GroupStep } from '../../domain/partnership';
import type { Dependencies, GroupResume } from '../../ports';
import { audit, notifyOnce } from '../../kernel/audit';
import { coordinatorOf, partnershipOf } from '../../kernel/referrals';
import { renderEmail } from '../../web/emails/render';
import { groupNeedsAttentionNotice } from './emails';
import { loadGroup } from './groups';
import { METRICS } from '../../shared/metric-names';

/** The audit action of a coordinator's retry, on the group's own trail (as on a referral's). */
export const GROUP_RETRY_ACTION = 'retry-requested';

/** Where the retry of a failed group starts: the step that failed; for the meetings, the meeting that did. */
export function groupResumeOf(failure: Pick<GroupFailure, 'step' | 'meeting'>): GroupResume {
  if (failure.step === 'meetings') return { resumeAt: 'meetings', fromMeeting: failure.meeting ?? 1 };
  return { resumeAt: failure.step };
}

/** How many times the group has been retried: its next execution is `<groupId>-retry-<n + 1>`. */
export async function groupRetries(deps: Dependencies, groupId: string): Promise<number> {
  return (await deps.store.listAudit(groupId)).filter((e) => e.action === GROUP_RETRY_ACTION).length;
}

export async function recordGroupFailure(
  {
    groupId,
    step,
    error,
    cause: meeting,
  }: { groupId: string; step: GroupStep; error: string; cause?: number },
  deps: Dependencies,
): Promise<void> {
  const group = await loadGroup(deps, groupId);
  const at = deps.clock.now().toISOString();
  // A meeting whose index did not come through (a failure outside its tasks) is retried from the first
  // meeting: reminders and attendance requests each go out once, so nothing is sent twice.
  const failure: GroupFailure = {
    step,
    ...(step === 'meetings' ? { meeting: meeting ?? 1 } : {}),
    error,
    at,
  };
  await deps.store.updateGroup(group.partnershipId, groupId, { failure });
  const retries = await groupRetries(deps, groupId);
  const detail: Record<string, string> = { error, groupStep: step };
  if (failure.meeting) detail.meeting = String(failure.meeting);
  await audit(
    deps,
    { referralId: groupId, at, actor: { role: 'system' }, action: 'group-step-failed', detail },
    `group-step-failed-${retries}`,
  );
  const p = await partnershipOf(deps, group);
  const coordinator = coordinatorOf(p);
  // Once per failure: a second failure after a retry is news again.
  await notifyOnce(deps, groupId, `group-needs-attention-${retries}`, async () => {
    await deps.email.send(
      renderEmail(
        coordinator.email,
        groupNeedsAttentionNotice(group, coordinator, failure, staffOverviewUrl(deps.config.publicBaseUrl)),
        deps.config.publicBaseUrl,
      ),
    );
    // Counted with the email, once per failure, however often Step Functions retries this task.
    deps.metrics.count(METRICS.needsAttention);
  });
  deps.log.warn('group needs attention', { groupId, step, meeting: failure.meeting, error });
}

/** The staff overview, where failed groups are listed with their retry: a plain link, it asks for sign-in. */
export function staffOverviewUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/staff`;
}

/** Groups whose execution failed and that have not been retried since, for the coordinator's overview. */
export async function groupsNeedingAttention(deps: Dependencies): Promise<Group[]> {
  return (await deps.store.listGroups(deps.config.partnershipId)).filter(groupNeedsAttention);
}
