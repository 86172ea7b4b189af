/**
 * The group state machine: one execution per confirmed group.
 *   ScheduleGroup → SendSchedule → Meetings (one at a time: wait until two days before → remind the
 *   family homes → wait until it has ended → ask the leader for attendance) → CompleteGroup.
 * Waits of weeks are Wait states on timestamps (the local runtime runs them on its fast-forward clock).
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Chain,
  Fail,
  JsonPath,
  Map as MapState,
  Pass,
  StateMachine,
  Succeed,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { callbackTask, lambdaTask, standardStateMachine } from './standard-state-machine';
import { ATTENDANCE_TIMEOUT_SECONDS, GROUP_STATES as S } from './group-states';
import { GROUP_EXECUTION_TIMEOUT_DAYS } from './execution-bounds';

export interface GroupTaskFunctions {
  groupSchedule: IFunction;
  groupNotify: IFunction;
  groupAttendance: IFunction;
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
    const attendance = callbackTask(
      this,
      S.recordAttendance,
      fn.groupAttendance,
      meeting,
      '$.attendance',
      Timeout.duration(Duration.seconds(ATTENDANCE_TIMEOUT_SECONDS)),
    );
    const done = new Succeed(this, S.meetingDone);
    // Attendance not recorded in time: the group goes on; the meeting simply has no attendance.
    attendance.addCatch(new Pass(this, S.attendanceNotRecorded).next(done), {
      errors: ['States.Timeout'],
      resultPath: '$.attendanceMissing',
    });
    const oneMeeting = Chain.start(
      new Wait(this, S.untilReminder, { time: WaitTime.timestampPath('$.meeting.remindAt') }),
    )
      .next(task(S.remindCarers, fn.groupNotify, { ...meeting, op: 'reminder' }, JsonPath.DISCARD))
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
}
