/**
 * The clock of a step a person may leave unanswered: reminders to its owner, then an escalation to the
 * person above, then the final deadline, all counted from when the step was first asked. The state
 * machine asks `schedule` how long to wait, waits for the answer that long, and on a timeout asks
 * `elapsed` to do what is due; at the deadline the step ends with its outcome.
 * Stateless and idempotent: what is due follows from the clock, and each email goes out once.
 *
 * One clock for every timed step: a referral's step (`stepClock`, from its step module's `timing`) and a
 * group's (attendance, per meeting: functions/phases/groups/attendance-clock.ts) describe themselves as a
 * `ClockedStep`; what the clock does on each day is the same.
 */
import { secondsUntil } from '../domain/consent';
import { stepSchedule, stepTimingOf, type StepTiming } from '../domain/partnership';
import type { Phase } from '../domain/referral';
import { stepKey, type StepName } from '../domain/steps';
import { staffReferralUrl, stepOverdue } from '../web/emails/templates';
import { renderEmail } from '../web/emails/render';
import type { Dependencies, StepRecord } from '../ports';
import { audit, notifyOnce } from './audit';
import { fromEarlierRound, type HumanStep, type StepOverdueEmail } from './human-step';
import { loadOpenReferral, partnershipOf } from './referrals';
import { issueStepLink } from './step-links';

type StepEvent =
  { kind: 'reminder'; n: number; at: number } | { kind: 'escalation' | 'deadline'; at: number };

export type StepClockOp = 'schedule' | 'elapsed';
export type StepClockResult = { seconds: number; due: string } | { deadlinePassed: boolean };

/** A timed step as its clock sees it: whose it is, its policy, and what each of its events does. */
export interface ClockedStep {
  /** The referral, or for a group's step the group id: its step record, notifications and audit events. */
  ownerId: string;
  step: StepName;
  /** The custodian or the meeting, for a step asked more than once per owner. */
  slot?: number;
  phase: Phase;
  timing: StepTiming;
  /** Codes added to the clock's audit events (e.g. the meeting). */
  detail?: Record<string, string>;
  /** The n-th reminder to the owner, with a fresh link that replaces the earlier (`entry` names it). */
  remind(n: number, entry: string): Promise<void>;
  /** Who is above the owner (their roles, for the audit), and the email that tells them. */
  escalation(when: { since: string; deadline: string }): Promise<{ to: string[]; send(): Promise<void> }>;
  /** At the final deadline, once the step's link is closed: records the step's outcome (idempotently). */
  expire?(): Promise<void>;
  /**
   * Whether the stored record is from an earlier asking of the step (asked anew since: screening after an
   * information request): then this round has not been asked yet, and its clock starts now.
   */
  fromEarlierRound?(record: StepRecord): boolean;
}

export async function runStepClock(
  c: ClockedStep,
  op: StepClockOp,
  deps: Dependencies,
): Promise<StepClockResult> {
  // Before the first wait the step has not been asked yet (in this round): its clock starts now.
  const stored = await deps.store.getStep(c.ownerId, c.step, c.slot);
  const record = stored && !c.fromEarlierRound?.(stored) ? stored : undefined;
  const since = record ? Date.parse(record.since ?? record.enteredAt) : deps.clock.now().getTime();
  const schedule = stepSchedule(c.timing, since);
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

  const link = record && (await deps.store.getLink(record.linkHash));
  // Answered while the wait was timing out: nothing more is due, and the next wait goes on at once.
  if (link?.status === 'used') return { deadlinePassed: false };
  // Each round of a step asked anew reminds and escalates on its own; the first round keeps its old keys.
  const round = record?.round && record.round > 1 ? record.round : undefined;
  const key = `${stepKey(c.step, c.slot)}${round ? `-round-${round}` : ''}`;
  const detail = { step: c.step, ...c.detail, ...(round ? { round: String(round) } : {}) };
  for (const event of events.filter((e) => e.at <= now.getTime())) {
    if (event.kind === 'reminder') {
      const name = `${key}-reminder-${event.n}`;
      await notifyOnce(deps, c.ownerId, name, () => c.remind(event.n, name), {
        actor: { role: 'system' },
        action: 'step-reminder-sent',
        phase: c.phase,
        detail: { ...detail, reminder: String(event.n) },
      });
    } else if (event.kind === 'escalation') {
      const escalation = await c.escalation({
        since: new Date(since).toISOString(),
        deadline: new Date(deadline.at).toISOString(),
      });
      await notifyOnce(deps, c.ownerId, `${key}-escalated`, escalation.send, {
        actor: { role: 'system' },
        action: 'step-escalated',
        phase: c.phase,
        detail: { ...detail, escalatedTo: escalation.to.join(',') },
      });
    } else {
      // The step's link closes: a late answer is refused, and the state machine ends the step.
      if (link?.status === 'open') await deps.store.setLinkStatus(record!.linkHash, 'closed');
      await c.expire?.();
      await audit(
        deps,
        {
          referralId: c.ownerId,
          actor: { role: 'system' },
          action: 'step-deadline-passed',
          phase: c.phase,
          detail,
        },
        `${key}-deadline-passed`,
      );
      return { deadlinePassed: true };
    }
  }
  return { deadlinePassed: false };
}

/** The clock of a referral's step, as its step module's `timing` declares it. */
export async function stepClock(
  module: HumanStep,
  { referralId, op }: { referralId: string; op: StepClockOp },
  deps: Dependencies,
): Promise<StepClockResult> {
  const timing = module.timing;
  if (!timing) throw new Error(`Step ${module.name} has no timing`);
  const referral = await loadOpenReferral(deps, referralId);
  const partnership = await partnershipOf(deps, referral);
  return runStepClock(
    {
      ownerId: referralId,
      step: module.name,
      phase: module.phase,
      timing: stepTimingOf(partnership, timing.step),
      fromEarlierRound: (record) => fromEarlierRound(module, referral, record),
      expire: timing.atDeadline && (() => timing.atDeadline!(deps, referral)),
      async remind(_n, entry) {
        // issueStepLink supersedes the earlier link; the next wait re-binds to the new one.
        const recipient = await module.recipient(deps, referral);
        await issueStepLink(deps, referral, module, recipient, '', 'reminder', undefined, entry);
      },
      async escalation({ since, deadline }) {
        const targets = await timing.escalateTo(deps, referral);
        const staffUrl = staffReferralUrl(deps.config.publicBaseUrl, referralId);
        const overdue: StepOverdueEmail =
          module.email?.overdue ?? ((r, to, o) => stepOverdue(module.name, r, to, o));
        return {
          to: targets.map((t) => t.role),
          async send() {
            for (const to of targets)
              await deps.email.send(
                renderEmail(
                  to.email,
                  overdue(referral, to, {
                    since,
                    deadline,
                    staffUrl,
                    coordinator: partnership.coordinator,
                  }),
                ),
              );
          },
        };
      },
    },
    op,
    deps,
  );
}
