/**
 * The clock of a step a person may leave unanswered: reminders to its owner, then an escalation to the
 * person above, then the final deadline. The state machine asks `schedule` how long to wait, waits for the
 * answer that long, and on a timeout asks `elapsed` to do what is due; at the deadline the step ends with
 * its outcome. Stateless and idempotent: what is due follows from the clock, and each email goes out once
 * per clock.
 *
 * One runner (`runStepClock`) for every timed step; each describes its clock as a `StepClock`: a referral's
 * step its own, counted from when it was first asked (`ownClock`), unless its module gives one (the group
 * proposal's clock belongs to its age band); a group's attendance per meeting
 * (functions/phases/groups/attendance-clock.ts).
 */
import { secondsUntil } from '../domain/consent';
import { stepSchedule, stepTimingOf, type Partnership, type StepTiming } from '../domain/partnership';
import type { Phase, Referral } from '../domain/referral';
import type { StepName } from '../domain/steps';
import { staffReferralUrl, stepOverdue } from '../web/emails/templates';
import { renderEmail } from '../web/emails/render';
import type { Dependencies, StepRecord } from '../ports';
import { audit, notifyOnce } from './audit';
import {
  fromEarlierRound,
  type EscalationTarget,
  type HumanStep,
  type StepClock,
  type StepOverdueEmail,
} from './human-step';
import { loadOpenReferral, loadOpenReferralWithStep, partnershipOf } from './referrals';
import { issueStepLink, newLink } from './step-links';

type StepEvent =
  | { kind: 'reminder'; n: number; at: number }
  | { kind: 'escalation' | 'deadline' | 'look-again'; at: number };

export type StepClockOp = 'schedule' | 'elapsed';

/**
 * How long a wait whose answer is already recorded may take to replay it: more than the entering
 * function's 30 s timeout with a retry, and far less than the hour per round the execution bounds allow
 * (workflows/execution-bounds.ts, TASKS).
 */
export const ANSWER_REPLAY_SECONDS = 300;
export type StepClockResult =
  { seconds: number; due: string; forWait?: StepClock['forWait'] } | { deadlinePassed: boolean };

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

/** The step a clock belongs to, as its audit events name it, and who is told at its escalation. */
export interface ClockedStep {
  step: StepName;
  phase: Phase;
  timing: StepTiming;
  escalateTo(): Promise<EscalationTarget[]>;
}

export async function runStepClock(
  s: ClockedStep,
  clock: StepClock,
  op: StepClockOp,
  deps: Dependencies,
): Promise<StepClockResult> {
  const events = clockEvents(s.timing, clock);
  const now = deps.clock.now().getTime();

  if (op === 'schedule') {
    // Answered already (an execution resumed or retried after the answer): the wait's own entry replays
    // the answer at once, so it must not time out first, as it would past the deadline (1 s).
    const forWait = clock.forWait && { forWait: clock.forWait };
    if (clock.answered) return { seconds: ANSWER_REPLAY_SECONDS, due: 'replay', ...forWait };
    // The next thing due; never past the deadline (the longest-path bound of the wait relies on it), nor
    // past the clock's next look.
    const next = events.find((e) => e.at > now) ?? events.find((e) => e.kind === 'deadline')!;
    const lookAgain = clock.lookAgainAt ?? Infinity;
    const due = lookAgain < next.at ? { kind: 'look-again', at: lookAgain } : next;
    return {
      seconds: secondsUntil(new Date(Math.min(due.at, clock.deadlineAt)), new Date(now)),
      due: due.kind,
      ...forWait,
    };
  }
  // Answered while the wait was timing out: nothing more is due, and the next wait goes on at once.
  if (clock.answered) return { deadlinePassed: false };

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
            phase: s.phase,
            detail: { step: s.step, ...clock.detail, ...detail },
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
          await clock.remind(event.n, (fields, ttlDays) => newLink(deps, fields, ttlDays), key);
          await recordOn('step-reminder-sent', key, { reminder: String(event.n) });
        },
        undefined,
        { shared: clock.shared },
      );
    } else if (event.kind === 'escalation') {
      const key = `${clock.key}-escalated`;
      const targets = await s.escalateTo();
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

/** The clock of a referral's step, as its step module's `timing` declares it. */
export async function stepClock(
  module: HumanStep,
  { referralId, op }: { referralId: string; op: StepClockOp },
  deps: Dependencies,
): Promise<StepClockResult> {
  const timing = module.timing;
  if (!timing) throw new Error(`Step ${module.name} has no timing`);
  // A step on its own clock reads its record: with the referral, in one request.
  const { referral, step: stored } = timing.clock
    ? { referral: await loadOpenReferral(deps, referralId), step: undefined }
    : await loadOpenReferralWithStep(deps, referralId, module.name);
  const partnership = await partnershipOf(deps, referral);
  const policy = stepTimingOf(partnership, timing.step);
  const clock = await (timing.clock ?? ownClock(module, stored))(deps, referral, policy, partnership);
  return runStepClock(
    {
      step: module.name,
      phase: module.phase,
      timing: policy,
      escalateTo: () => timing.escalateTo(deps, referral),
    },
    clock,
    op,
    deps,
  );
}

/**
 * A step as its own clock sees it: its record (none before the first wait, or when it is from an earlier
 * round), when the clock started (now, before the first wait), its deadline, and its current link.
 */
export async function askedStep(
  deps: Dependencies,
  timing: StepTiming,
  ownerId: string,
  step: StepName,
  options: {
    slot?: number;
    fromEarlierRound?: (record: StepRecord) => boolean;
    /** The record as the caller read it in this attempt (or none stored): not read again. */
    read?: { record: StepRecord | undefined };
  } = {},
) {
  const stored = options.read ? options.read.record : await deps.store.getStep(ownerId, step, options.slot);
  const record = stored && !options.fromEarlierRound?.(stored) ? stored : undefined;
  const since = record ? Date.parse(record.since ?? record.enteredAt) : deps.clock.now().getTime();
  const { deadlineAt } = stepSchedule(timing, since);
  const link = record && (await deps.store.getLink(record.linkHash));
  return { record, since, deadlineAt, link };
}

/** A step's own clock: counted from when the step was first asked, on this referral alone. */
function ownClock(module: HumanStep, stored: StepRecord | undefined) {
  return async (
    deps: Dependencies,
    referral: Referral,
    timing: StepTiming,
    partnership: Partnership,
  ): Promise<StepClock> => {
    const { referralId } = referral;
    const asked = await askedStep(deps, timing, referralId, module.name, {
      fromEarlierRound: (record) => fromEarlierRound(module, referral, record),
      read: { record: stored },
    });
    const { record, since, link } = asked;
    const endsBy = await module.timing?.endsBy?.(deps, referral, since);
    const deadlineAt = endsBy === undefined ? asked.deadlineAt : Math.min(asked.deadlineAt, endsBy);
    // Each round of a step asked anew reminds and escalates on its own; the first round keeps its old keys.
    const round = record?.round && record.round > 1 ? record.round : undefined;
    const key = `${module.name}${round ? `-round-${round}` : ''}`;
    const roundDetail: Record<string, string> = round ? { round: String(round) } : {};
    const overdue: StepOverdueEmail =
      module.email?.overdue ?? ((r, to, o) => stepOverdue(module.name, r, to, o));
    return {
      owner: referralId,
      key,
      since,
      deadlineAt,
      recordedOn: [referralId],
      detail: roundDetail,
      answered: link?.status === 'used',
      async remind(_n, _newLink, entry) {
        // A fresh link replaces the earlier one (issueStepLink supersedes it); the next wait re-binds to it.
        const recipient = await module.recipient(deps, referral);
        await issueStepLink(deps, referral, module, recipient, '', 'reminder', undefined, entry);
      },
      async escalate(targets) {
        for (const to of targets)
          await deps.email.send(
            renderEmail(
              to.email,
              overdue(referral, to, {
                since: new Date(since).toISOString(),
                deadline: new Date(deadlineAt).toISOString(),
                staffUrl: staffReferralUrl(deps.config.publicBaseUrl, referralId),
                coordinator: partnership.coordinator,
              }),
              deps.config.publicBaseUrl,
            ),
          );
      },
      async end() {
        // The step's link closes: a late answer is refused, and the state machine ends the step.
        if (record && link?.status === 'open') await deps.store.setLinkStatus(record.linkHash, 'closed');
        await module.timing?.atDeadline?.(deps, referral);
        await audit(
          deps,
          {
            referralId,
            actor: { role: 'system' },
            action: 'step-deadline-passed',
            phase: module.phase,
            detail: { step: module.name, ...roundDetail },
          },
          `${key}-deadline-passed`,
        );
      },
    };
  };
}
