/**
 * The clock of one meeting's attendance (the group workflow's attendance window): the kernel's step clock,
 * owned by the group and keyed by the meeting. Reminders go to the group leader with a fresh link, the
 * escalation to the coordinator (who can record attendance from /staff/tasks), and at the deadline the
 * link closes and every member still without a record for the meeting gets "attendance not recorded" on
 * their timeline; the group goes on. Nobody needs to act for the group to continue.
 */
import { stepTimingOf } from '../../domain/partnership';
import { stepKey } from '../../domain/steps';
import { audit } from '../../kernel/audit';
import { partnershipOf } from '../../kernel/referrals';
import { askedStep, runStepClock, type StepClockOp, type StepClockResult } from '../../kernel/step-clock';
import { mailStepLinkOnce } from '../../kernel/step-outbox';
import type { Dependencies } from '../../ports';
import { renderEmail } from '../../web/emails/render';
import { attendanceOverdue, attendanceReminder, staffTasksUrl } from './attendance-emails';
import { attendanceTiming, leaderOf } from './group-steps';
import { activeMembers, loadGroup } from './groups';

export async function attendanceClock(
  { groupId, meeting, op }: { groupId: string; meeting: number; op: StepClockOp },
  deps: Dependencies,
): Promise<StepClockResult> {
  const group = await loadGroup(deps, groupId);
  const p = await partnershipOf(deps, group);
  const leader = leaderOf(p, group);
  const timing = stepTimingOf(p, attendanceTiming.step);
  // Before the first wait the leader has not been asked yet: the clock starts now.
  const { record, since, deadlineAt, link } = await askedStep(deps, timing, groupId, 'attendance', {
    slot: meeting,
  });
  const detail = { meeting: String(meeting) };
  return runStepClock(
    {
      step: 'attendance',
      phase: 'sessions',
      timing,
      escalateTo: async () => attendanceTiming.escalateTo(p),
    },
    {
      owner: groupId,
      key: stepKey('attendance', meeting),
      since,
      deadlineAt,
      recordedOn: [groupId],
      detail,
      answered: link?.status === 'used',
      async remind(_n, newLink, entry) {
        // The earlier link is superseded; the next wait binds its token to this one.
        await mailStepLinkOnce(
          deps,
          { ownerId: groupId, step: 'attendance', slot: meeting, taskToken: '', kind: 'reminder', entry },
          () =>
            newLink(
              { referralId: groupId, step: 'attendance', meeting, recipient: leader, taskToken: '' },
              deps.config.linkTtlDays,
            ),
          (link, url) =>
            deps.email.send(
              renderEmail(
                leader.email,
                attendanceReminder(group, leader, meeting, url, link.expiresAt),
                deps.config.publicBaseUrl,
              ),
            ),
        );
      },
      async escalate(targets) {
        const tasksUrl = staffTasksUrl(deps.config.publicBaseUrl);
        const when = { since: new Date(since).toISOString(), deadline: new Date(deadlineAt).toISOString() };
        for (const to of targets)
          await deps.email.send(
            renderEmail(
              to.email,
              attendanceOverdue(group, to, meeting, { ...when, tasksUrl }),
              deps.config.publicBaseUrl,
            ),
          );
      },
      async end() {
        // The link closes: a late answer is refused, and the group goes on without this meeting's record.
        if (record && link?.status === 'open') await deps.store.setLinkStatus(record.linkHash, 'closed');
        await audit(
          deps,
          {
            referralId: groupId,
            actor: { role: 'system' },
            action: 'step-deadline-passed',
            phase: 'sessions',
            detail: { step: 'attendance', ...detail },
          },
          `${stepKey('attendance', meeting)}-deadline-passed`,
        );
        const recorded = new Set(
          (await deps.store.listAttendance(groupId))
            .filter((a) => a.meeting === meeting)
            .map((a) => a.referralId),
        );
        for (const member of await activeMembers(deps, groupId, { confirmedOnly: true })) {
          if (recorded.has(member.referralId)) continue;
          await audit(
            deps,
            {
              referralId: member.referralId,
              actor: { role: 'system' },
              action: 'attendance-not-recorded',
              phase: 'sessions',
              detail,
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
