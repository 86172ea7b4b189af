/**
 * The group state machine: one execution per confirmed group.
 *   ScheduleGroup → SendSchedule → Meetings (one at a time: wait until two days before → remind the
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
import { ATTENDANCE_DEADLINE_PASSED, GROUP_STATES as S } from './group-states';
import { GROUP_EXECUTION_TIMEOUT_DAYS, LOOP_LIMITS } from './execution-bounds';

export interface GroupTaskFunctions {
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

    const recordFailure = task(
      S.recordGroupFailure,
      fn.groupFailure,
      { groupId, error: JsonPath.stringAt('$.failure.Error') },
      JsonPath.DISCARD,
    );
    const needsAttention = new Fail(this, S.groupNeedsAttention, { error: 'Group.NeedsAttention' });
    recordFailure.addCatch(needsAttention, { errors: ['States.ALL'], resultPath: '$.recordFailure' });
    const failure = recordFailure.next(needsAttention);

    const meeting = { groupId, meeting: JsonPath.numberAt('$.meeting.index') };
    const done = new Succeed(this, S.meetingDone);
    const oneMeeting = Chain.start(
      new Wait(this, S.untilReminder, { time: WaitTime.timestampPath('$.meeting.remindAt') }),
    )
      .next(task(S.remindCarers, fn.groupNotify, { ...meeting, op: 'reminder' }, JsonPath.DISCARD))
      .next(new Wait(this, S.untilMeetingEnds, { time: WaitTime.timestampPath('$.meeting.endsAt') }))
      .next(this.attendanceWindow(fn, meeting, done))
      .next(done);

    const meetings = new MapState(this, S.meetings, {
      itemsPath: '$.schedule.meetings',
      itemSelector: { groupId, meeting: JsonPath.objectAt('$$.Map.Item.Value') },
      maxConcurrency: 1,
      resultPath: JsonPath.DISCARD,
    });
    meetings.itemProcessor(oneMeeting);

    const steps = [
      task(S.scheduleGroup, fn.groupSchedule, { groupId }, '$.schedule'),
      task(S.sendSchedule, fn.groupNotify, { groupId, op: 'schedule' }, JsonPath.DISCARD),
      meetings,
      task(S.completeGroup, fn.groupComplete, { groupId }, JsonPath.DISCARD),
    ];
    for (const s of steps) s.addCatch(failure, { errors: ['States.ALL'], resultPath: '$.failure' });
    const definition = Chain.start(steps[0]!)
      .next(steps[1]!)
      .next(steps[2]!)
      .next(steps[3]!)
      .next(new Succeed(this, S.groupCompleted));

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
