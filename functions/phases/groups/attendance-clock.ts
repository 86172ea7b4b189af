/**
 * The clock of one meeting's attendance (the group workflow's attendance window): the kernel's step clock,
 * owned by the group and keyed by the meeting. Reminders go to the group leader with a fresh link, the
 * escalation to the coordinator (who can record attendance from /staff/tasks), and at the deadline the
 * link closes and every member still without a record for the meeting gets "attendance not recorded" on
 * their timeline; the group goes on. Nobody needs to act for the group to continue.
 */
import { stepTimingOf } from '../../domain/partnership';
import { audit } from '../../kernel/audit';
import { partnershipOf } from '../../kernel/referrals';
import { runStepClock, type StepClockOp, type StepClockResult } from '../../kernel/step-clock';
import { mailStepLinkOnce } from '../../kernel/step-outbox';
import type { Dependencies } from '../../ports';
import { renderEmail } from '../../web/emails/render';
import { attendanceOverdue, attendanceReminder, staffTasksUrl } from './attendance-emails';
import { attendanceTiming, leaderOf } from './group-steps';
import { activeMembers, groupLink, loadGroup } from './groups';

export async function attendanceClock(
  { groupId, meeting, op }: { groupId: string; meeting: number; op: StepClockOp },
  deps: Dependencies,
): Promise<StepClockResult> {
  const group = await loadGroup(deps, groupId);
  const p = await partnershipOf(deps, group);
  const leader = leaderOf(p, group);
  return runStepClock(
    {
      ownerId: groupId,
      step: 'attendance',
      slot: meeting,
      phase: 'sessions',
      timing: stepTimingOf(p, attendanceTiming.step),
      detail: { meeting: String(meeting) },
      async remind(_n, entry) {
        // The earlier link is superseded; the next wait binds its token to this one.
        await mailStepLinkOnce(
          deps,
          { ownerId: groupId, step: 'attendance', slot: meeting, taskToken: '', kind: 'reminder', entry },
          () =>
            groupLink(
              deps,
              { referralId: groupId, step: 'attendance', meeting, recipient: leader, taskToken: '' },
              deps.config.linkTtlDays,
            ),
          (link, url) =>
            deps.email.send(
              renderEmail(leader.email, attendanceReminder(group, leader, meeting, url, link.expiresAt)),
            ),
        );
      },
      async escalation({ since, deadline }) {
        const targets = attendanceTiming.escalateTo(p);
        const tasksUrl = staffTasksUrl(deps.config.publicBaseUrl);
        return {
          to: targets.map((t) => t.role),
          async send() {
            for (const to of targets)
              await deps.email.send(
                renderEmail(to.email, attendanceOverdue(group, to, meeting, { since, deadline, tasksUrl })),
              );
          },
        };
      },
      async expire() {
        const recorded = new Set(
          (await deps.store.listAttendance(groupId))
            .filter((a) => a.meeting === meeting)
            .map((a) => a.referralId),
        );
        for (const member of await activeMembers(deps, groupId)) {
          if (recorded.has(member.referralId)) continue;
          await audit(
            deps,
            {
              referralId: member.referralId,
              actor: { role: 'system' },
              action: 'attendance-not-recorded',
              phase: 'sessions',
              detail: { meeting: String(meeting) },
            },
            `attendance-not-recorded-${groupId}-${meeting}`,
          );
        }
      },
    },
    op,
    deps,
  );
}
