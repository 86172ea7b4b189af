/**
 * The clock of a step a person may leave unanswered (a step module with `timing`): reminders to its
 * owner, then an escalation to the person above, then the final deadline, all counted from when the step
 * was first asked. The state machine asks `schedule` how long to wait, waits for the answer that long,
 * and on a timeout asks `elapsed` to do what is due; at the deadline the step ends with its outcome.
 * Stateless and idempotent: what is due follows from the clock, and each email goes out once.
 */
import { secondsUntil } from '../domain/consent';
import { stepSchedule, stepTimingOf } from '../domain/partnership';
import { staffReferralUrl, stepOverdue } from '../web/emails/templates';
import { renderEmail } from '../web/emails/render';
import type { Dependencies } from '../ports';
import { audit, notifyOnce } from './audit';
import { fromEarlierRound, type HumanStep, type StepOverdueEmail } from './human-step';
import { loadOpenReferral, partnershipOf } from './referrals';
import { issueStepLink } from './step-links';

type StepEvent =
  { kind: 'reminder'; n: number; at: number } | { kind: 'escalation' | 'deadline'; at: number };

export async function stepClock(
  module: HumanStep,
  { referralId, op }: { referralId: string; op: 'schedule' | 'elapsed' },
  deps: Dependencies,
): Promise<{ seconds: number; due: string } | { deadlinePassed: boolean }> {
  if (!module.timing) throw new Error(`Step ${module.name} has no timing`);
  const referral = await loadOpenReferral(deps, referralId);
  // Before the first wait the step has not been asked yet (in this round): its clock starts now.
  const stored = await deps.store.getStep(referralId, module.name);
  const record = stored && !fromEarlierRound(module, referral, stored) ? stored : undefined;
  const partnership = await partnershipOf(deps, referral);
  const timing = stepTimingOf(partnership, module.timing.step);
  const since = record ? Date.parse(record.since ?? record.enteredAt) : deps.clock.now().getTime();
  // Each round of a step asked anew reminds and escalates on its own; the first round keeps its old keys.
  const round = record?.round && record.round > 1 ? record.round : undefined;
  const once = (what: string) => `${module.name}${round ? `-round-${round}` : ''}-${what}`;
  const roundDetail: Record<string, string> = round ? { round: String(round) } : {};
  const schedule = stepSchedule(timing, since);
  const events: StepEvent[] = [
    ...schedule.reminders.map((at, i) => ({ kind: 'reminder' as const, n: i + 1, at })),
    { kind: 'escalation' as const, at: schedule.escalationAt },
    { kind: 'deadline' as const, at: schedule.deadlineAt },
  ].sort((a, b) => a.at - b.at);
  const now = deps.clock.now();
  const deadline = events.find((e) => e.kind === 'deadline')!;

  if (op === 'schedule') {
    // The next thing due; never past the deadline (the longest-path bound of the wait relies on it).
    const next = events.find((e) => e.at > now.getTime()) ?? deadline;
    return { seconds: secondsUntil(new Date(Math.min(next.at, deadline.at)), now), due: next.kind };
  }

  for (const event of events.filter((e) => e.at <= now.getTime())) {
    if (event.kind === 'reminder') {
      // A fresh link replaces the earlier one (issueStepLink supersedes it); the next wait re-binds to it.
      const name = once(`reminder-${event.n}`);
      await notifyOnce(
        deps,
        referralId,
        name,
        async () => {
          await issueStepLink(
            deps,
            referral,
            module,
            await module.recipient(deps, referral),
            '',
            'reminder',
            undefined,
            name,
          );
        },
        {
          actor: { role: 'system' },
          action: 'step-reminder-sent',
          phase: module.phase,
          detail: { step: module.name, reminder: String(event.n), ...roundDetail },
        },
      );
    } else if (event.kind === 'escalation') {
      const targets = await module.timing.escalateTo(deps, referral);
      const overdue: StepOverdueEmail =
        module.email?.overdue ?? ((r, to, o) => stepOverdue(module.name, r, to, o));
      await notifyOnce(
        deps,
        referralId,
        once('escalated'),
        async () => {
          for (const to of targets)
            await deps.email.send(
              renderEmail(
                to.email,
                overdue(referral, to, {
                  since: new Date(since).toISOString(),
                  deadline: new Date(deadline.at).toISOString(),
                  staffUrl: staffReferralUrl(deps.config.publicBaseUrl, referralId),
                  coordinator: partnership.coordinator,
                }),
              ),
            );
        },
        {
          actor: { role: 'system' },
          action: 'step-escalated',
          phase: module.phase,
          detail: { step: module.name, escalatedTo: targets.map((t) => t.role).join(','), ...roundDetail },
        },
      );
    } else {
      // The step's link closes: the state machine ends the step with its outcome.
      const link = record && (await deps.store.getLink(record.linkHash));
      if (record && link?.status === 'open') await deps.store.setLinkStatus(record.linkHash, 'closed');
      await audit(
        deps,
        {
          referralId,
          actor: { role: 'system' },
          action: 'step-deadline-passed',
          phase: module.phase,
          detail: { step: module.name, ...roundDetail },
        },
        once('deadline-passed'),
      );
      await module.timing.atDeadline?.(deps, referral);
      return { deadlinePassed: true };
    }
  }
  return { deadlinePassed: false };
}
