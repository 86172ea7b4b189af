/**
 * Crash resume for the local runtime: executions live in this process, so after a restart every
 * referral that had not closed, and every running group not waiting for a retry, gets a new execution at
 * its recorded phase;
 * a group confirmation cut off half-way is claimed and its execution started.
 * Step entry is idempotent (the existing link is re-bound, an answered step replays its answer, emails
 * go out once), so nothing is lost and nothing is sent twice.
 */
import { groupNeedsAttention } from '../../functions/domain/partnership';
import type { Dependencies } from '../../functions/ports';
import { claimConfirmation } from '../../functions/phases/groups/group-links';
import type { LocalWorkflowEngine } from './workflow-engine';

export async function resumeUnfinished(
  deps: Dependencies,
  engine: LocalWorkflowEngine,
): Promise<{ referrals: number; groups: number }> {
  let referrals = 0;
  for (const r of await deps.store.listReferralsByStatus('active')) {
    await engine.resumeReferral(r.referralId, r.phase);
    referrals++;
  }
  // A closed referral's execution ended at Close, which recorded its erasure in the table (the due-erasure
  // index, on disk) for the daily sweep (infra/local/schedules.ts). One whose process died inside Close,
  // after the status was written but before the erasure was recorded, runs Close again (it is idempotent),
  // as a retry of the Close task would in AWS; otherwise it would never be erased.
  const recorded = new Set<string>();
  const farFuture = '9999-12-31T23:59:59.999Z';
  for (let page = await deps.store.listDueErasures(farFuture, { limit: 500 }); page.length;) {
    for (const due of page) recorded.add(due.referralId);
    page = await deps.store.listDueErasures(farFuture, { limit: 500, after: page.at(-1)! });
  }
  for (const r of await deps.store.listReferralsByStatus('closed'))
    if (!recorded.has(r.referralId)) {
      await engine.resumeReferral(r.referralId, 'closed', 0, r.outcome);
      referrals++;
    }
  let groups = 0;
  for (const g of await deps.store.listGroups(deps.config.partnershipId)) {
    // A group whose execution failed stays failed until the coordinator retries it (as in AWS, where
    // nothing restarts it): restarting it here would hide the failure. Its failure is recorded before the
    // execution ends, so only an execution that was running when the process died is started again.
    if (groupNeedsAttention(g)) continue;
    if (g.status === 'running') {
      await engine.startGroup(g.groupId);
      groups++;
    } else if (g.status === 'forming' && g.confirmation && (await claimConfirmation(deps, g))) {
      // Confirmed, but cut off before its execution placed every child: its first step places them.
      await engine.startGroup(g.groupId);
      groups++;
    }
  }
  return { referrals, groups };
}
