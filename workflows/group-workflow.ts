/**
 * The group state machine: one execution per confirmed group (and one per retry after it needed attention,
 * which starts at the step that failed: StartOrResumeGroup).
 *   PlaceMembers (the chosen children placed; none free: the group is cancelled and ends) → ScheduleGroup → Meetings (one at a time: wait until two days before → remind the
 *   family homes → wait until it has ended → ask the leader for attendance, with reminders, the
 *   coordinator told, and a deadline after which the group goes on without it) → CompleteGroup.
 * Waits of weeks are Wait states on timestamps (the local runtime runs them on its fast-forward clock).
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  Choice,
  Condition,
  Fail,
  JsonPath,
  Map as MapState,
  Parallel,
  Pass,
  Result,
  StateMachine,
  Succeed,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { callbackTask, lambdaTask, standardStateMachine } from './standard-state-machine';
import { ATTENDANCE_DEADLINE_PASSED, MEETING_FAILED, GROUP_STATES as S } from './group-states';
import { GROUP_EXECUTION_TIMEOUT_DAYS, LOOP_LIMITS } from './execution-bounds';
import type { GroupStep } from '../functions/domain/partnership';

export interface GroupTaskFunctions {
  groupPlacement: IFunction;
  groupSchedule: IFunction;
  groupNotify: IFunction;
  groupAttendance: IFunction;
  groupAttendanceClock: IFunction;
  groupComplete: IFunction;
  groupFailure: IFunction;
}

export interface GroupWorkflowProps {
  functions: GroupTaskFunctions;
  logKey: IKey;
  stateMachineName: string;
}

export class GroupWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: GroupWorkflowProps) {
    super(scope, id);
    const fn = props.functions;
    const groupId = JsonPath.stringAt('$.groupId');

    const task = (
      stateId: string,
      lambdaFunction: IFunction,
      payload: Record<string, unknown>,
      resultPath: string,
    ) => lambdaTask(this, stateId, lambdaFunction, payload, resultPath);

    // ---- Needs attention: the step that failed (for the meetings, which meeting) is recorded on the group,
    // and the coordinator retries from the staff pages: a new execution that starts at that step.
    const recordFailure = lambdaTask(
      this,
      S.recordGroupFailure,
      fn.groupFailure,
      {
        groupId,
        step: JsonPath.stringAt('$.failedAt.step'),
        error: JsonPath.stringAt('$.failure.Error'),
        cause: JsonPath.stringAt('$.failure.Cause'),
      },
      JsonPath.DISCARD,
      // The net under every other state, as the referral's RecordFailure: it retries every error, longer.
      { allErrors: true, intervalSeconds: 5, maxAttempts: 6 },
    );
    const needsAttention = new Fail(this, S.groupNeedsAttention, { error: 'Group.NeedsAttention' });
    recordFailure.addCatch(needsAttention, { errors: ['States.ALL'], resultPath: '$.recordFailure' });
    recordFailure.next(needsAttention);
    const failedAt = (stateId: string, step: GroupStep) =>
      new Pass(this, stateId, { result: Result.fromObject({ step }), resultPath: '$.failedAt' }).next(
        recordFailure,
      );
    const failedAtSchedule = failedAt(S.failedAtSchedule, 'schedule');
    // A failed meeting's Cause is the meeting's index (MeetingFailed below), so the retry goes on from it.
    const failedAtMeetings = failedAt(S.failedAtMeetings, 'meetings');
    const failedAtCompletion = failedAt(S.failedAtCompletion, 'complete');

    const meeting = { groupId, meeting: JsonPath.numberAt('$.meeting.index') };
    const done = new Succeed(this, S.meetingDone);
    // A meeting's task that fails ends its iteration with the meeting's index as the Cause. The error is a
    // name of our own: the task's error may be a `States.*` one, a prefix the States Language reserves for
    // the service, so it is not handed on through a Fail (the task's own log line keeps it).
    const meetingFailed = new Pass(this, S.meetingFailed, {
      parameters: { Cause: JsonPath.format('{}', JsonPath.stringAt('$.meeting.index')) },
    }).next(new Fail(this, S.meetingNeedsAttention, { error: MEETING_FAILED, causePath: '$.Cause' }));
    const remind = task(S.remindCarers, fn.groupNotify, { ...meeting, op: 'reminder' }, JsonPath.DISCARD);
    remind.addCatch(meetingFailed, { errors: ['States.ALL'], resultPath: '$.meetingFailure' });
    const attendance = this.attendanceWindow(fn, meeting, done);
    attendance.addCatch(meetingFailed, { errors: ['States.ALL'], resultPath: '$.meetingFailure' });
    const oneMeeting = Chain.start(
      new Wait(this, S.untilReminder, { time: WaitTime.timestampPath('$.meeting.remindAt') }),
    )
      .next(remind)
      .next(new Wait(this, S.untilMeetingEnds, { time: WaitTime.timestampPath('$.meeting.endsAt') }))
      .next(attendance)
      .next(done);

    const meetings = new MapState(this, S.meetings, {
      itemsPath: '$.schedule.meetings',
      itemSelector: { groupId, meeting: JsonPath.objectAt('$$.Map.Item.Value') },
      maxConcurrency: 1,
      resultPath: JsonPath.DISCARD,
    });
    meetings.itemProcessor(oneMeeting);
    meetings.addCatch(failedAtMeetings, { errors: ['States.ALL'], resultPath: '$.failure' });

    const scheduleGroup = task(S.scheduleGroup, fn.groupSchedule, { groupId }, '$.schedule');
    const completeGroup = task(S.completeGroup, fn.groupComplete, { groupId }, JsonPath.DISCARD);
    scheduleGroup.addCatch(failedAtSchedule, { errors: ['States.ALL'], resultPath: '$.failure' });
    // The coordinator's page returns once the group is stored and her link used; the children are placed
    // here (a chain of writes per child). Placing is repeatable, so a failure here is retried as the schedule.
    const placeMembers = task(S.placeMembers, fn.groupPlacement, { groupId }, '$.placement');
    placeMembers.addCatch(failedAtSchedule, { errors: ['States.ALL'], resultPath: '$.failure' });
    placeMembers.next(
      new Choice(this, S.groupFormed)
        .when(Condition.booleanEquals('$.placement.formed', true), scheduleGroup)
        // Every chosen child had just got a place in another group: the group is cancelled, nothing runs.
        .otherwise(new Succeed(this, S.groupNotFormed)),
    );
    completeGroup.addCatch(failedAtCompletion, { errors: ['States.ALL'], resultPath: '$.failure' });
    // A retry at the meetings: the meetings from the one that failed, without sending the schedule again.
    const resumeSchedule = task(
      S.resumeSchedule,
      fn.groupSchedule,
      { groupId, fromMeeting: JsonPath.numberAt('$.fromMeeting') },
      '$.schedule',
    );
    resumeSchedule.addCatch(
      new Pass(this, S.failedAtResumedMeetings, {
        parameters: {
          Error: JsonPath.stringAt('$.failure.Error'),
          Cause: JsonPath.format('{}', JsonPath.stringAt('$.fromMeeting')),
        },
        resultPath: '$.failure',
      }).next(failedAtMeetings),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );

    // No schedule is sent here: each family home gets it when the home visit confirms its child's seat
    // (the referral's Sessions entry), the group's members being only proposed when it starts.
    scheduleGroup.next(meetings);
    resumeSchedule.next(meetings);
    meetings.next(completeGroup);
    completeGroup.next(new Succeed(this, S.groupCompleted));
    const resumeAt = (step: GroupStep) =>
      Condition.and(Condition.isPresent('$.resumeAt'), Condition.stringEquals('$.resumeAt', step));
    const definition = new Choice(this, S.startOrResumeGroup)
      .when(resumeAt('meetings'), resumeSchedule)
      .when(resumeAt('complete'), completeGroup)
      // A new group, or a retry at the schedule: placing skips a running group, and scheduling reads it.
      .otherwise(placeMembers);

    this.stateMachine = standardStateMachine(this, {
      name: props.stateMachineName,
      role: 'group',
      definition,
      comment: 'One execution per confirmed Bris support group: schedule, reminders, attendance, completion.',
      logKey: props.logKey,
      timeout: Duration.days(GROUP_EXECUTION_TIMEOUT_DAYS),
    });
  }

  /**
   * A meeting's attendance, as the referral workflow's step windows (one Parallel branch, so its whole
   * length has one declared bound): the attendance clock says how long to wait; the wait for the leader's
   * answer times out into the clock, which reminds the leader, tells the coordinator, or at the deadline
   * fails the window with AttendanceDeadlinePassed, which the window's Catch turns into "attendance not
   * recorded": the group goes on and nothing needs attention because a person did not act.
   */
  private attendanceWindow(
    fn: GroupTaskFunctions,
    meeting: Record<string, unknown>,
    done: Succeed,
  ): Parallel {
    const task = (stateId: string, payload: Record<string, unknown>, resultPath: string) =>
      lambdaTask(this, stateId, fn.groupAttendanceClock, payload, resultPath);
    const timer = task(S.attendanceTimer, { ...meeting, op: 'schedule' }, '$.timer');
    const elapsed = task(S.attendanceTimeElapsed, { ...meeting, op: 'elapsed' }, '$.elapsed');
    const wait = callbackTask(
      this,
      S.recordAttendance,
      fn.groupAttendance,
      meeting,
      '$.attendance',
      Timeout.at('$.timer.seconds'),
    );
    const ended = new Fail(this, S.attendanceDeadlinePassed, { error: ATTENDANCE_DEADLINE_PASSED });
    wait.addCatch(elapsed, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    // Reminders, the escalation and the deadline take a few rounds; the counter only stops a clock that
    // never says "deadline".
    const round = new Pass(this, S.countAttendanceRound, {
      parameters: { rounds: JsonPath.mathAdd(JsonPath.numberAt('$.loops.rounds'), 1) },
      resultPath: '$.loops',
    }).next(
      new Choice(this, S.attendanceRoundsLeft)
        .when(Condition.numberGreaterThanEquals('$.loops.rounds', LOOP_LIMITS.stepRounds), ended)
        .otherwise(timer),
    );
    elapsed.next(
      new Choice(this, S.attendanceDeadlineReached)
        .when(Condition.booleanEquals('$.elapsed.deadlinePassed', true), ended)
        .otherwise(round),
    );
    const window = new Parallel(this, S.attendanceWindow, { resultPath: JsonPath.DISCARD });
    window.branch(
      Chain.start(
        new Pass(this, S.attendanceWindowStart, {
          result: Result.fromObject({ rounds: 0 }),
          resultPath: '$.loops',
        }),
      )
        .next(timer)
        .next(wait)
        .next(new Succeed(this, S.attendanceRecorded)),
    );
    // The time ran out: the meeting has no attendance (each member's timeline says so) and the group goes on.
    window.addCatch(new Pass(this, S.attendanceNotRecorded).next(done), {
      errors: [ATTENDANCE_DEADLINE_PASSED],
      resultPath: '$.attendanceMissing',
    });
    return window;
  }
}
