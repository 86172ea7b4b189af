/**
 * How long each state machine's executions may run, and why no path is longer.
 *
 * AWS: "Standard Workflow executions have a maximum duration of one year and 25,000 events" (Step
 * Functions developer guide, "Continue long-running workflows using Step Functions API"), and a Wait
 * is capped at a year too. An execution stopped by that limit cannot be caught. So:
 *  - the referral runs as up to four executions (see referral-workflow.ts); erasure runs outside them;
 *  - every loop has a counter limit (LOOP_LIMITS);
 *  - every wait whose length is read from the execution's data has a declared bound (below), which the
 *    code that produces the value keeps, because it is computed from partnership settings that are
 *    capped by the partnership schema (PARTNERSHIP_LIMITS) and from the moment the task runs;
 *  - `infra/longest-execution.ts` adds everything up from the synthesized ASL, and
 *    `test/infra/longest-execution.test.ts` checks it stays under each machine's TimeoutSeconds, which
 *    stays under a year.
 */
import type { DeclaredBound } from '../infra/longest-execution';
import { MAX_INFORMATION_REQUESTS } from '../functions/domain/information-request';
import { PARTNERSHIP_LIMITS as L } from '../functions/domain/partnership';
import { POOL_LOOK_AGAIN_DAYS } from '../functions/domain/grouping';
import { MAX_GROUP_SPAN_DAYS } from '../functions/domain/schedule';
import { GROUP_STATES as G } from './group-states';
import { REFERRAL_STATES as R } from './referral-states';

const DAY = 24 * 3600;
/** AWS's limit on a Standard execution (and on one Wait): one year. */
export const ONE_YEAR_SECONDS = 365 * DAY;

/** Top-level TimeoutSeconds: a little over each machine's proven longest path (the test keeps them close). */
export const REFERRAL_EXECUTION_TIMEOUT_DAYS = 310;
export const GROUP_EXECUTION_TIMEOUT_DAYS = 310;

/** A StartExecution call that continues a referral in its next execution. */
export const CONTINUE_TASK_TIMEOUT_SECONDS = 60;

export const LOOP_LIMITS = {
  /** Timer rounds of one custodian's consent: reminders, the deadline, and early wake-ups to spare. */
  consentRounds: 10,
  /** Escalations answered within one consent phase: the first, and one after an extension. */
  escalations: 2,
  /** Clock rounds of a step window: up to three reminders, the escalation, the deadline, and spare. */
  stepRounds: 8,
  /**
   * Clock rounds of the pool's window: the planner's weekly looks until the longest pool wait (each a
   * week after the round before), the deadline, the reminders and escalation of up to ten successive
   * proposals of the band (a new one starts only after the coordinator answered the one before), and
   * spare. Past it the child closes as no-group, as at its deadline.
   */
  poolRounds: Math.ceil(L.maxPoolDays / POOL_LOOK_AGAIN_DAYS) + 1 + 10 * (L.stepReminders + 1) + 4,
  /** Information requests at screening, each followed by screening again (the answer refuses one more). */
  informationRequests: MAX_INFORMATION_REQUESTS,
  /**
   * Events of the follow-up: the two questionnaires' reminders (at most two each) and ends, the summary
   * and the later follow-up (followUpEvents, functions/phases/follow-up/follow-up.ts).
   */
  followUpEvents: 2 * (L.questionnaireReminders + 1) + 2,
} as const;

/** The most custodians asked for consent (a child has at most two custodians). */
export const MAX_CUSTODIANS = 2;

/** The follow-up's longest schedule in days: the later follow-up (months of at most 31 days), then its round. */
const FOLLOW_UP_DAYS =
  L.laterFollowUpMonths * 31 + Math.max(L.questionnaireAnswerDays, 2 * L.laterReminderDays);

/** An hour covers any round's tasks (each ≤ its timeout × attempts: minutes). */
const TASKS = 3600;

export const REFERRAL_TIMING_BOUNDS: Record<string, DeclaredBound> = {
  [R.awaitConsent]: {
    seconds: Math.max(L.consentDeadlineDays, L.consentExtensionDays) * DAY,
    enforcedBy:
      "consentClock: seconds until the next reminder or the round's deadline, which is at most deadlineDays/extensionDays away",
  },
  [R.collectConsents]: {
    // Every round of a custodian's timer counts from the same start and ends at the round's deadline.
    seconds:
      Math.max(L.consentDeadlineDays, L.consentExtensionDays) * DAY + LOOP_LIMITS.consentRounds * TASKS,
    enforcedBy: 'consentClock (nextConsentEvent): reminders and the deadline are instants of one round',
  },
  // A step window: every round of its clock counts from when the step was first asked and ends by the
  // deadline (stepClock never waits past it); the windows' whole length is declared for the same reason
  // as the consent Map's.
  [R.screening]: {
    seconds: L.stepDeadlineDays * DAY,
    enforcedBy:
      'stepClock: seconds until the next reminder, escalation or the deadline, never past the deadline',
  },
  [R.consentEscalation]: {
    seconds: L.stepDeadlineDays * DAY,
    enforcedBy: 'stepClock (as Screening)',
  },
  [R.informationRequest]: {
    seconds: L.stepDeadlineDays * DAY,
    enforcedBy: 'stepClock (as Screening)',
  },
  [R.screeningWindow]: {
    seconds: L.stepDeadlineDays * DAY + LOOP_LIMITS.stepRounds * TASKS,
    enforcedBy:
      "stepClock: reminders, escalation and deadline are instants of one clock, from the round's first request",
  },
  [R.escalationWindow]: {
    seconds: L.stepDeadlineDays * DAY + LOOP_LIMITS.stepRounds * TASKS,
    enforcedBy: 'stepClock (as ScreeningWindow)',
  },
  // The pool's window: every round waits for the next of the coordinator's reminders, the escalation,
  // the planner's weekly look and the child's pool deadline, and never past the look or the deadline.
  [R.groupAssignment]: {
    seconds: POOL_LOOK_AGAIN_DAYS * DAY,
    enforcedBy:
      "stepClock with the band's proposal clock (pool-clock.ts): never past the next weekly look (lookAgainAt)",
  },
  [R.poolWindow]: {
    seconds: L.maxPoolDays * DAY + LOOP_LIMITS.poolRounds * TASKS,
    enforcedBy:
      "stepClock never waits past the child's pool deadline, waitingSince + maxPoolDays, where waitingSince is when the child joined the pool: in the window's first round (joinPool), or earlier",
  },
  // Each request is its own round of the step's clock (a new `since`), so one window, not all together.
  [R.informationRequestWindow]: {
    seconds: L.stepDeadlineDays * DAY + LOOP_LIMITS.stepRounds * TASKS,
    enforcedBy: 'stepClock (as ScreeningWindow), counting from when this request was asked',
  },
  [R.homeVisit]: {
    seconds: L.stepDeadlineDays * DAY,
    enforcedBy: "stepClock (as Screening); the group's first meeting only brings the deadline nearer",
  },
  [R.homeVisitWindow]: {
    seconds: L.stepDeadlineDays * DAY + LOOP_LIMITS.stepRounds * TASKS,
    enforcedBy: 'stepClock (as ScreeningWindow), counting from when the child was proposed for the group',
  },
  // Every follow-up event is an instant counted from the follow-up's start: the latest is the later round's
  // end, laterFollowUpMonths and that round's answerDays (or, in the older setting, twice
  // laterReminderDays) after it. One wait may last that long; the window's waits together too.
  [R.untilFollowUpEvent]: {
    seconds: FOLLOW_UP_DAYS * DAY,
    enforcedBy:
      'followUpEvents: every event is at most laterFollowUpMonths + the later answerDays after the start',
  },
  [R.followUpWindow]: {
    seconds: FOLLOW_UP_DAYS * DAY + LOOP_LIMITS.followUpEvents * TASKS,
    enforcedBy: 'followUpEvents (as UntilFollowUpEvent): the waits are to instants of one schedule',
  },
};
export const REFERRAL_MAP_ITEMS = { [R.collectConsents]: MAX_CUSTODIANS };

/**
 * One meeting's attendance window: every round of its clock counts from when the leader was asked and
 * ends by the deadline (the attendance clock never waits past it).
 */
const ATTENDANCE_WINDOW_SECONDS = L.attendanceDeadlineDays * DAY + LOOP_LIMITS.stepRounds * TASKS;
const MOST_MEETINGS = Math.max(L.weeklyMeetings, L.weekendFullDays + 1);

export const GROUP_TIMING_BOUNDS: Record<string, DeclaredBound> = {
  [G.untilReminder]: {
    seconds: MAX_GROUP_SPAN_DAYS * DAY,
    enforcedBy: 'confirmGroup refuses a schedule that ends more than MAX_GROUP_SPAN_DAYS after confirmation',
  },
  [G.untilMeetingEnds]: {
    seconds: MAX_GROUP_SPAN_DAYS * DAY,
    enforcedBy: 'confirmGroup (as above); scheduleGroup refuses such a schedule too',
  },
  [G.recordAttendance]: {
    seconds: L.attendanceDeadlineDays * DAY,
    enforcedBy:
      'attendanceClock (runStepClock): seconds until the next reminder, escalation or the deadline, never past the deadline',
  },
  [G.attendanceWindow]: {
    seconds: ATTENDANCE_WINDOW_SECONDS,
    enforcedBy:
      'attendanceClock: reminders, escalation and deadline are instants of one clock, from the first request',
  },
  [G.meetings]: {
    // Waits are to instants of one schedule, so together they last to its end, plus every meeting's
    // attendance window (each can push the next meeting's waits past their instants).
    seconds: MAX_GROUP_SPAN_DAYS * DAY + MOST_MEETINGS * ATTENDANCE_WINDOW_SECONDS,
    enforcedBy:
      'confirmGroup/scheduleGroup: meetings sorted, ending within MAX_GROUP_SPAN_DAYS; each attendance window ends by its deadline',
  },
};
export const GROUP_MAP_ITEMS = { [G.meetings]: MOST_MEETINGS };
