/**
 * Parses the state machine's DefinitionString (Fn::Join resolved, other intrinsics replaced by
 * placeholders) and checks the shape that matters, without snapshotting the ASL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ERRORS } from '../../functions/domain/steps';
import { REFERRAL_STATES, STEP_DEADLINE_PASSED } from '../../workflows/referral-states';
import { ATTENDANCE_DEADLINE_PASSED, GROUP_STATES, MEETING_FAILED } from '../../workflows/group-states';
import { REFERRAL_WORKFLOW_METADATA } from '../../workflows/referral-workflow';
import { resourcesOf, synth, type Synthesized } from './synth';

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

/** Joins Fn::Join parts; AWS::Partition → aws; any other intrinsic becomes `<Ref:X>` / `<X.Attr>` / `<Fn::Name>`. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(sep);
    }
    if ('Ref' in v) return PSEUDO[String(v.Ref)] ?? `<Ref:${String(v.Ref)}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    return `<${Object.keys(v)[0]}>`;
  }
  throw new Error(`unexpected value in DefinitionString: ${JSON.stringify(value)}`);
}

type State = Record<string, unknown> & { Type: string };
let s: Synthesized;
let states: Record<string, State>;
/** States inside Map iterators (consent is collected per custodian). */
let nested: Record<string, State>;
let startAt: string;
let groupStates: Record<string, State>;
let groupDefinition: { StartAt: string };

beforeAll(() => {
  s = synth();
  const machines = Object.values(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine'));
  expect(machines.map((m) => m.Metadata?.[REFERRAL_WORKFLOW_METADATA.key]).sort()).toEqual([
    'group',
    'referral',
  ]);
  const machine = machines.find(
    (m) => m.Metadata?.[REFERRAL_WORKFLOW_METADATA.key] === REFERRAL_WORKFLOW_METADATA.value,
  )!;
  const group = JSON.parse(
    resolve(
      machines.find((m) => m.Metadata?.[REFERRAL_WORKFLOW_METADATA.key] === 'group')!.Properties
        ?.DefinitionString,
    ),
  ) as { StartAt: string; States: Record<string, State> };
  groupStates = group.States;
  groupDefinition = group;
  const asl = JSON.parse(resolve(machine.Properties?.DefinitionString)) as {
    StartAt: string;
    States: Record<string, State>;
  };
  states = asl.States;
  startAt = asl.StartAt;
  nested = {};
  for (const st of Object.values(states)) {
    const processor = (st.ItemProcessor ?? st.Iterator) as { States: Record<string, State> } | undefined;
    if (processor) Object.assign(nested, processor.States);
    // A step window's branch: its clock, its wait and its deadline.
    for (const branch of (st.Branches ?? []) as { States: Record<string, State> }[])
      Object.assign(nested, branch.States);
  }
}, 120_000);
afterAll(() => s?.cleanup());

const HUMAN_STEPS = [
  REFERRAL_STATES.screening,
  REFERRAL_STATES.awaitConsent,
  REFERRAL_STATES.consentEscalation,
  REFERRAL_STATES.groupAssignment,
  REFERRAL_STATES.sessions,
];

describe('referral workflow definition', () => {
  it('starts at Intake, or at the failed phase on a retry, and has every named state', () => {
    // Loop counters start at zero first, in every execution (a continued or retried one included).
    expect(startAt).toBe(REFERRAL_STATES.countFromZero);
    expect(states[startAt]!.Next).toBe(REFERRAL_STATES.startOrResume);
    expect(states[REFERRAL_STATES.startOrResume]!.Default).toBe(REFERRAL_STATES.intake);
    expect([...Object.keys(states), ...Object.keys(nested)].sort()).toEqual(
      Object.values(REFERRAL_STATES).sort(),
    );
  });

  it.each(HUMAN_STEPS)('%s waits for a task token, with a timeout', (name) => {
    const state = (states[name] ?? nested[name])!;
    expect(state.Type).toBe('Task');
    expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    if (
      name === REFERRAL_STATES.awaitConsent ||
      name === REFERRAL_STATES.screening ||
      name === REFERRAL_STATES.consentEscalation ||
      name === REFERRAL_STATES.groupAssignment
    ) {
      // Waits until the next reminder, escalation or the deadline: the step's clock computes it.
      expect(state.TimeoutSecondsPath).toBe('$.timer.seconds');
    } else {
      expect(state.TimeoutSeconds).toEqual(expect.any(Number));
      expect(state.TimeoutSeconds as number).toBeGreaterThan(0);
    }
    const payload = (state.Parameters as { Payload: Record<string, unknown> }).Payload;
    expect(payload['taskToken.$']).toBe('$$.Task.Token');
  });

  it('has a Catch on every top-level Task and Map; RecordFailure, the net itself, retries everything and then ends in NeedsAttention', () => {
    const tasks = Object.entries(states).filter(([, st]) => st.Type === 'Task' || st.Type === 'Map');
    expect(tasks.length).toBeGreaterThanOrEqual(8);
    for (const [name, st] of tasks) {
      if (name === REFERRAL_STATES.recordFailure) {
        expect(st.Retry, name).toEqual(
          expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]),
        );
        expect(st.Catch).toEqual([
          expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: REFERRAL_STATES.needsAttention }),
        ]);
        continue;
      }
      const catches = st.Catch as { ErrorEquals: string[]; Next: string }[] | undefined;
      expect(catches, `${name} has no Catch`).toBeDefined();
      expect(
        catches!.some(
          (c) => c.ErrorEquals.includes('States.ALL') && c.Next === REFERRAL_STATES.recordFailure,
        ),
        name,
      ).toBe(true);
      // Close runs after the referral has ended: there is nothing left to withdraw. A continuation only
      // starts the next execution, whose first step finds a withdrawal that came meanwhile.
      const continuation = st.Resource === 'arn:aws:states:::states:startExecution';
      if (name !== REFERRAL_STATES.close && !continuation) {
        expect(
          catches!.some(
            (c) =>
              c.ErrorEquals.includes('Referral.Withdrawn') && c.Next === REFERRAL_STATES.outcomeWithdrawn,
          ),
          `${name} does not end a withdrawal in Close`,
        ).toBe(true);
      }
    }
  });

  it('ends at Close: Close → Closed, no wait for the retention period (the daily erasure sweep erases)', () => {
    // A Standard execution lives at most a year: waiting out twelve months of retention in it would be
    // stopped before the erasure. Nothing may follow Close but the end.
    const close = states[REFERRAL_STATES.close]!;
    expect(close.Next).toBe(REFERRAL_STATES.closed);
    expect(close.End).toBeUndefined();
    expect(states[REFERRAL_STATES.closed]!.Type).toBe('Succeed');
    for (const name of ['UntilErasure', 'EraseReferral']) {
      expect(Object.keys(states)).not.toContain(name);
      expect(Object.values(REFERRAL_STATES)).not.toContain(name);
    }
    // Every path from Close (its Catch included) reaches an end without a Wait.
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const st = states[name]!;
      expect(st.Type, `${name} after Close`).not.toBe('Wait');
      if (typeof st.Next === 'string') walk(st.Next);
      for (const c of (st.Catch as { Next: string }[] | undefined) ?? []) walk(c.Next);
    };
    walk(REFERRAL_STATES.close);
    expect([...seen].sort()).toEqual(
      [
        REFERRAL_STATES.close,
        REFERRAL_STATES.closed,
        REFERRAL_STATES.recordFailure,
        REFERRAL_STATES.needsAttention,
      ].sort(),
    );
  });

  it('per custodian: a timeout of the consent wait leads to the reminder clock, everything else to the map', () => {
    const wait = nested[REFERRAL_STATES.awaitConsent]!;
    expect(wait.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: REFERRAL_STATES.consentTimeElapsed }),
    ]);
    for (const st of Object.values(nested)) if (st.Type === 'Task') expect(st.Retry).toBeDefined();
    const map = states[REFERRAL_STATES.collectConsents]!;
    expect((map.Catch as { ErrorEquals: string[]; Next: string }[])[0]).toMatchObject({
      ErrorEquals: ['Referral.ConsentRefused'],
      Next: REFERRAL_STATES.outcomeConsentRefused,
    });
  });

  it('only passes ids and tokens to the tasks (no personal data in execution history)', () => {
    for (const [name, st] of Object.entries({ ...states, ...nested })) {
      if (st.Type !== 'Task') continue;
      const parameters = (st.Parameters ?? {}) as { Payload?: Record<string, unknown> } & Record<
        string,
        unknown
      >;
      // waitForTaskToken tasks wrap the payload in Payload; payload-only tasks pass Parameters as the payload.
      // A continuation passes the next execution its input, and names it after this execution (whose
      // name is the referral's, or a retry's `<referralId>-retry-<n>`), so a retry never finds an old one.
      const continuation = st.Resource === 'arn:aws:states:::states:startExecution';
      if (continuation) {
        expect(Object.keys(parameters).sort()).toEqual(['Input', 'Name.$', 'StateMachineArn']);
        expect(Object.keys(parameters.Input as object).sort()).toEqual(['referralId.$', 'resumeAt']);
        expect(parameters['Name.$']).toMatch(/^States\.Format\('\{\}-[a-z-]+', \$\$\.Execution\.Name\)$/);
        continue;
      }
      const payload = parameters.Payload ?? parameters;
      for (const key of Object.keys(payload)) {
        expect(
          [
            'referralId.$',
            'taskToken.$',
            // The execution's ARN, for the task's log lines (named after the referral: nothing personal).
            'executionId.$',
            'error.$',
            'outcome.$',
            'custodian.$',
            'op',
            'step',
            // The follow-up: which of its events, and when it started (an index and an instant).
            'index.$',
            'startedAt.$',
            // The wait in the pool: the band's clock's view of it (pool-clock.ts PoolView): referral ids,
            // an instant, a count, and a proposal's format, age band and city district, as the
            // coordinator's email names the group. No name, no identity number, no address.
            'pool.$',
          ],
          `${name}.${key}`,
        ).toContain(key);
      }
    }
  });
});

describe('group workflow definition', () => {
  it('goes through the meetings one at a time: wait, remind, wait, ask for attendance', () => {
    const meetings = groupStates[GROUP_STATES.meetings]!;
    expect(meetings.Type).toBe('Map');
    expect(meetings.MaxConcurrency).toBe(1);
    const inner = (meetings.ItemProcessor as { StartAt: string; States: Record<string, State> }).States;
    expect(inner[GROUP_STATES.untilReminder]).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.meeting.remindAt',
    });
    expect(inner[GROUP_STATES.untilMeetingEnds]).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.meeting.endsAt',
    });
    // Attendance waits in a window of its own: the clock's timer, reminders, escalation, and at the
    // deadline "not recorded", after which the meeting is done and the group goes on.
    const window = inner[GROUP_STATES.attendanceWindow]!;
    expect(inner[GROUP_STATES.untilMeetingEnds]!.Next).toBe(GROUP_STATES.attendanceWindow);
    expect(window.Type).toBe('Parallel');
    expect(window.Catch).toEqual([
      expect.objectContaining({
        ErrorEquals: [ATTENDANCE_DEADLINE_PASSED],
        Next: GROUP_STATES.attendanceNotRecorded,
      }),
      // Any other failure ends the iteration with the meeting's index as its Cause (see below).
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: GROUP_STATES.meetingFailed }),
    ]);
    expect(inner[GROUP_STATES.attendanceNotRecorded]!.Next).toBe(GROUP_STATES.meetingDone);
    const branch = (window.Branches as { States: Record<string, State> }[])[0]!.States;
    expect(branch[GROUP_STATES.recordAttendance]).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.timer.seconds',
    });
    expect(branch[GROUP_STATES.recordAttendance]!.Catch).toEqual([
      expect.objectContaining({
        ErrorEquals: ['States.Timeout'],
        Next: GROUP_STATES.attendanceTimeElapsed,
      }),
    ]);
    // Each step's failure is recorded with the step it happened at (a Pass naming it), for the retry.
    for (const [name, failedAt, step] of [
      [GROUP_STATES.scheduleGroup, GROUP_STATES.failedAtSchedule, 'schedule'],
      [GROUP_STATES.meetings, GROUP_STATES.failedAtMeetings, 'meetings'],
      [GROUP_STATES.completeGroup, GROUP_STATES.failedAtCompletion, 'complete'],
    ] as const) {
      expect((groupStates[name]!.Catch as { Next: string }[])[0]?.Next, name).toBe(failedAt);
      expect(groupStates[failedAt]).toMatchObject({
        Type: 'Pass',
        Result: { step },
        ResultPath: '$.failedAt',
        Next: GROUP_STATES.recordGroupFailure,
      });
    }
    expect(groupStates[GROUP_STATES.recordGroupFailure]!.Parameters).toEqual({
      'groupId.$': '$.groupId',
      'step.$': '$.failedAt.step',
      'error.$': '$.failure.Error',
      'cause.$': '$.failure.Cause',
      'executionId.$': '$$.Execution.Id',
    });
    // Inside an iteration: the failed meeting's index becomes the Cause the Map's Catch hands on.
    expect(inner[GROUP_STATES.remindCarers]!.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: GROUP_STATES.meetingFailed }),
    ]);
    expect(inner[GROUP_STATES.meetingFailed]).toMatchObject({
      Type: 'Pass',
      Parameters: { 'Cause.$': "States.Format('{}', $.meeting.index)" },
      Next: GROUP_STATES.meetingNeedsAttention,
    });
    // An error name of our own: a task's States.* error is not handed on through a Fail.
    expect(inner[GROUP_STATES.meetingNeedsAttention]).toEqual({
      Type: 'Fail',
      Error: MEETING_FAILED,
      CausePath: '$.Cause',
    });
  });

  it('a retry starts at the step that failed: the meetings from the failed one, or the completion', () => {
    const definition = groupDefinition;
    expect(definition.StartAt).toBe(GROUP_STATES.startOrResumeGroup);
    const choice = groupStates[GROUP_STATES.startOrResumeGroup]!;
    const branches = (
      choice.Choices as { And: { Variable: string; StringEquals?: string }[]; Next: string }[]
    ).map((c) => [c.And.find((x) => x.StringEquals)?.StringEquals, c.Next]);
    expect(branches).toEqual([
      ['meetings', GROUP_STATES.resumeSchedule],
      ['complete', GROUP_STATES.completeGroup],
    ]);
    // A new group, or a retry at the schedule: the children are placed first (a running group's are kept).
    expect(choice.Default).toBe(GROUP_STATES.placeMembers);
    expect(groupStates[GROUP_STATES.placeMembers]).toMatchObject({
      Parameters: { 'groupId.$': '$.groupId' },
      ResultPath: '$.placement',
      Next: GROUP_STATES.groupFormed,
    });
    const formed = groupStates[GROUP_STATES.groupFormed]!;
    expect(formed.Choices).toEqual([
      { Variable: '$.placement.formed', BooleanEquals: true, Next: GROUP_STATES.scheduleGroup },
    ]);
    // No child was free: the group was cancelled and its execution ends without a schedule.
    expect(groupStates[formed.Default as string]!.Type).toBe('Succeed');
    const placeFailed = (groupStates[GROUP_STATES.placeMembers]!.Catch as { Next: string }[])[0]!.Next;
    expect(placeFailed).toBe(GROUP_STATES.failedAtSchedule);
    // At the meetings: the schedule from the failed meeting, straight into the meetings; it is not sent again.
    expect(groupStates[GROUP_STATES.resumeSchedule]).toMatchObject({
      Parameters: { 'groupId.$': '$.groupId', 'fromMeeting.$': '$.fromMeeting' },
      ResultPath: '$.schedule',
      Next: GROUP_STATES.meetings,
    });
    // The schedule goes to each family home when its seat is confirmed (the referral's Sessions entry).
    expect(groupStates[GROUP_STATES.scheduleGroup]!.Next).toBe(GROUP_STATES.meetings);
    // A retried meeting that fails again is recorded at the same meeting.
    const failed = (groupStates[GROUP_STATES.resumeSchedule]!.Catch as { Next: string }[])[0]!.Next;
    expect(groupStates[failed]).toMatchObject({
      Parameters: { 'Cause.$': "States.Format('{}', $.fromMeeting)" },
      ResultPath: '$.failure',
      Next: GROUP_STATES.failedAtMeetings,
    });
  });

  it("a referral waits in the pool on its band's proposal clock, inside one window that ends as no-group", () => {
    const window = states[REFERRAL_STATES.poolWindow]!;
    expect(window.Type).toBe('Parallel');
    const errors = (window.Catch as { ErrorEquals: string[]; Next: string }[]).map((c) => [
      c.ErrorEquals[0],
      c.Next,
    ]);
    expect(errors).toEqual(
      expect.arrayContaining([
        [STEP_DEADLINE_PASSED, REFERRAL_STATES.outcomeNoGroup],
        [WORKFLOW_ERRORS.noGroup, REFERRAL_STATES.outcomeNoGroup],
      ]),
    );
    expect(window.Next).toBe(REFERRAL_STATES.continueInGroup);
    const pool = nested[REFERRAL_STATES.groupAssignment]!;
    // Waits until the clock's next event: a reminder, the escalation, the weekly look or the deadline.
    expect(pool.TimeoutSecondsPath).toBe('$.timer.seconds');
    expect((pool.Catch as { ErrorEquals: string[]; Next: string }[])[0]).toEqual(
      expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: REFERRAL_STATES.poolTimeElapsed }),
    );
    const timer = nested[REFERRAL_STATES.poolTimer]!;
    expect(timer.Parameters).toMatchObject({
      step: 'group-assignment',
      op: 'schedule',
    });
    expect(nested[REFERRAL_STATES.countPoolRound]!.Next).toBe(REFERRAL_STATES.poolRoundsLeft);
    expect(nested[REFERRAL_STATES.poolRoundsLeft]!.Default).toBe(REFERRAL_STATES.poolTimer);
  });
});
