/**
 * A seat in a group: a waiting child placed into it (and her pool wait resumed), and a seat freed before the
 * second meeting offered to the next child waiting. Apart from groups.ts, whose pages and schedule emails the
 * closing function (which frees seats) has no use for.
 */
import type { Group } from '../../domain/partnership';
import { StepNoLongerOpenError, type Dependencies } from '../../ports';
import { audit } from '../../kernel/audit';
import { partnershipOf } from '../../kernel/referrals';

/** Resumes a referral's silent wait (group assignment, sessions) through the token its step link holds. */
export async function resumeWaiting(
  deps: Dependencies,
  referralId: string,
  step: 'group-assignment' | 'sessions',
  output: Record<string, string>,
): Promise<void> {
  const record = await deps.store.getStep(referralId, step);
  const link = record && (await deps.store.getLink(record.linkHash));
  // Not waiting right now (the weekly pool wait is re-running, or the runtime restarts): the placement is
  // already recorded on the referral, and the wait sees it when it is entered again. Nothing to do here.
  if (!link || link.status !== 'open' || !link.taskToken) return;
  try {
    await deps.workflow.sendTaskSuccess(link.taskToken, output);
  } catch (error) {
    if (!(error instanceof StepNoLongerOpenError)) throw error;
    return; // the token had just expired: as above, the next entry of the wait goes on by itself
  }
  await deps.store.useLink(link.linkHash, deps.clock.now().toISOString(), 'resumed');
}

/**
 * Puts a waiting child into a group: the seat, the referral's placement, out of the pool, and its wait
 * resumed. Every step can be repeated, so a placement cut off half-way is finished by calling it again
 * ('already-member': an earlier attempt took the seat). False when the child could not be seated.
 * `alongside`: more to record once the child is seated (its event), written beside the referral's change.
 */
export async function placeChild(
  deps: Dependencies,
  group: Group,
  referralId: string,
  at: string,
  alongside?: () => Promise<void>,
): Promise<boolean> {
  const joined = await deps.store.joinGroup(group.partnershipId, group.groupId, referralId, at);
  if (joined !== 'joined' && joined !== 'already-member') return false;
  // The referral names the group before the child leaves the pool and its wait resumes (a wait entered
  // meanwhile reads it and goes on); its band is read back in the same request.
  const [referral] = await Promise.all([
    deps.store.updateReferralReading(referralId, {
      group: { groupId: group.groupId, name: group.name },
      updatedAt: at,
    }),
    alongside?.(),
  ]);
  // Out of its own band's pool: a child at the edge of a neighbouring band may join this band's group.
  const ageBand = referral.child.ageBand;
  await Promise.all([
    deps.store.removePoolEntry(group.partnershipId, ageBand, referralId),
    resumeWaiting(deps, referralId, 'group-assignment', { groupId: group.groupId }),
  ]);
  return true;
}

/** A child who leaves before the second meeting: the seat goes to the next child waiting in that band. */
export async function offerFreedSeat(deps: Dependencies, groupId: string): Promise<string | undefined> {
  const p = await partnershipOf(deps, { partnershipId: deps.config.partnershipId });
  const group = await deps.store.getGroup(p.id, groupId);
  const second = group?.meetings?.[1];
  if (!group || group.status !== 'running' || !second || deps.clock.now().toISOString() >= second.startsAt)
    return undefined;
  const pool = (await deps.store.listPool(p.id, group.ageBand)).sort((a, b) =>
    a.waitingSince.localeCompare(b.waitingSince),
  );
  const next = pool.find((e) => !(group.format === 'weekly' && e.needs?.noWeekdays));
  if (!next) return undefined;
  if (!(await placeChild(deps, group, next.referralId, deps.clock.now().toISOString()))) return undefined;
  await audit(deps, {
    referralId: next.referralId,
    actor: { role: 'system' },
    action: 'freed-seat-offered',
    phase: 'group-assignment',
    detail: { groupId },
  });
  // The schedule follows the home visit (enterSessions), as for every member.
  return next.referralId;
}
