/**
 * The clock of a step a person may leave unanswered (a step module with `timing`): reminders to its
 * owner, then an escalation to the person above, then the final deadline. The state machine asks
 * `schedule` how long to wait, waits for the answer that long, and on a timeout asks `elapsed` to do what
 * is due; at the deadline the step ends with its outcome.
 * A step's clock is its own, counted from when it was first asked (`ownClock`), unless its module gives
 * one (the group proposal's clock belongs to its age band). Stateless and idempotent: what is due follows
 * from the clock, and each email goes out once per clock.
 */
import { secondsUntil } from '../domain/consent';
import { stepSchedule, stepTimingOf, type Partnership, type StepTiming } from '../domain/partnership';
import type { Referral } from '../domain/referral';
import { staffReferralUrl, stepOverdue } from '../web/emails/templates';
import { renderEmail } from '../web/emails/render';
import type { Dependencies } from '../ports';
import { audit, notifyOnce } from './audit';
import type { HumanStep, StepClock } from './human-step';
import { loadOpenReferral, partnershipOf } from './referrals';
import { issueStepLink, newLink } from './step-links';

type StepEvent =
  | { kind: 'reminder'; n: number; at: number }
  | { kind: 'escalation' | 'deadline' | 'look-again'; at: number };

/** What is due on a clock, in order: its reminders and escalation (while it runs), and the deadline. */
export function clockEvents(timing: StepTiming, clock: Pick<StepClock, 'since' | 'deadlineAt'>): StepEvent[] {
  const deadline = { kind: 'deadline' as const, at: clock.deadlineAt };
  if (clock.since === undefined) return [deadline];
  const schedule = stepSchedule(timing, clock.since, clock.deadlineAt);
  return [
    ...schedule.reminders.map((at, i) => ({ kind: 'reminder' as const, n: i + 1, at })),
    { kind: 'escalation' as const, at: schedule.escalationAt },
    deadline,
  ].sort((a, b) => a.at - b.at);
}

export async function stepClock(
  module: HumanStep,
  { referralId, op }: { referralId: string; op: 'schedule' | 'elapsed' },
  deps: Dependencies,
): Promise<{ seconds: number; due: string } | { deadlinePassed: boolean }> {
  if (!module.timing) throw new Error(`Step ${module.name} has no timing`);
  const referral = await loadOpenReferral(deps, referralId);
  const partnership = await partnershipOf(deps, referral);
  const timing = stepTimingOf(partnership, module.timing.step);
  const clock = await (module.timing.clock ?? ownClock(module))(deps, referral, timing, partnership);
  const events = clockEvents(timing, clock);
  const now = deps.clock.now().getTime();

  if (op === 'schedule') {
    // The next thing due; never past the deadline (the longest-path bound of the wait relies on it), nor
    // past the clock's next look.
    const next = events.find((e) => e.at > now) ?? events.find((e) => e.kind === 'deadline')!;
    const lookAgain = clock.lookAgainAt ?? Infinity;
    const due = lookAgain < next.at ? { kind: 'look-again', at: lookAgain } : next;
    return {
      seconds: secondsUntil(new Date(Math.min(due.at, clock.deadlineAt)), new Date(now)),
      due: due.kind,
    };
  }

  const recordOn = (
    action: 'step-reminder-sent' | 'step-escalated',
    key: string,
    detail: Record<string, string>,
  ) =>
    Promise.all(
      clock.recordedOn.map((id) =>
        audit(
          deps,
          {
            referralId: id,
            actor: { role: 'system' },
            action,
            phase: module.phase,
            detail: { step: module.name, ...detail },
          },
          `notify-${key}`,
        ),
      ),
    );
  for (const event of events.filter((e) => e.at <= now)) {
    if (event.kind === 'reminder') {
      const key = `${clock.key}-reminder-${event.n}`;
      // Recorded with the email: an attempt cut off after sending sends again and records then.
      await notifyOnce(
        deps,
        clock.owner,
        key,
        async () => {
          await clock.remind(event.n, (fields, ttlDays) => newLink(deps, fields, ttlDays));
          await recordOn('step-reminder-sent', key, { reminder: String(event.n) });
        },
        undefined,
        { shared: clock.shared },
      );
    } else if (event.kind === 'escalation') {
      const key = `${clock.key}-escalated`;
      const targets = await module.timing.escalateTo(deps, referral);
      await notifyOnce(
        deps,
        clock.owner,
        key,
        async () => {
          await clock.escalate(targets);
          await recordOn('step-escalated', key, { escalatedTo: targets.map((t) => t.role).join(',') });
        },
        undefined,
        { shared: clock.shared },
      );
    } else if (event.kind === 'deadline') {
      await clock.end();
      return { deadlinePassed: true };
    }
  }
  return { deadlinePassed: false };
}

/** A step's own clock: counted from when the step was first asked, on this referral alone. */
function ownClock(module: HumanStep) {
  return async (
    deps: Dependencies,
    referral: Referral,
    timing: StepTiming,
    partnership: Partnership,
  ): Promise<StepClock> => {
    const { referralId } = referral;
    // Before the first wait the step has not been asked yet: its clock starts now.
    const record = await deps.store.getStep(referralId, module.name);
    const since = record ? Date.parse(record.since ?? record.enteredAt) : deps.clock.now().getTime();
    const { deadlineAt } = stepSchedule(timing, since);
    return {
      owner: referralId,
      key: module.name,
      since,
      deadlineAt,
      recordedOn: [referralId],
      async remind(n) {
        // A fresh link replaces the earlier one (issueStepLink supersedes it); the next wait re-binds to it.
        const recipient = await module.recipient(deps, referral);
        await issueStepLink(
          deps,
          referral,
          module,
          recipient,
          '',
          'reminder',
          undefined,
          `${module.name}-reminder-${n}`,
        );
      },
      async escalate(targets) {
        for (const to of targets)
          await deps.email.send(
            renderEmail(
              to.email,
              stepOverdue(module.name, referral, to, {
                since: new Date(since).toISOString(),
                deadline: new Date(deadlineAt).toISOString(),
                staffUrl: staffReferralUrl(deps.config.publicBaseUrl, referralId),
                coordinator: partnership.coordinator,
              }),
            ),
          );
      },
      async end() {
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
            detail: { step: module.name },
          },
          `${module.name}-deadline-passed`,
        );
      },
    };
  };
}
