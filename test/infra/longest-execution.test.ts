/**
 * No execution can run into AWS's one-year limit: the longest path through each synthesized state machine
 * (every Wait, task timeout with its retries, Catch, Map and loop bound) is computed from its ASL and must
 * fit under the machine's TimeoutSeconds, which must fit under a year. The analysis itself is tested on
 * small definitions, and on the real one with a Wait lengthened past a year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longestExecution, type AslMachine } from '../../infra/longest-execution';
import { stateMachines, type CfnTemplate } from '../../infra/local/template';
import {
  GROUP_MAP_ITEMS,
  GROUP_TIMING_BOUNDS,
  ONE_YEAR_SECONDS,
  REFERRAL_MAP_ITEMS,
  REFERRAL_TIMING_BOUNDS,
} from '../../workflows/execution-bounds';
import { REFERRAL_STATES as R } from '../../workflows/referral-states';
import { ANSWER_ERRORS } from '../../functions/domain/steps';
import { synth, type Synthesized } from './synth';

const DAY = 24 * 3600;
let s: Synthesized;
let referral: AslMachine;
let group: AslMachine;
const referralOptions = {
  bounds: REFERRAL_TIMING_BOUNDS,
  mapItems: REFERRAL_MAP_ITEMS,
  answerErrors: ANSWER_ERRORS,
};
const groupOptions = { bounds: GROUP_TIMING_BOUNDS, mapItems: GROUP_MAP_ITEMS };

beforeAll(() => {
  s = synth();
  const machines = stateMachines([
    s.statefulTemplate.toJSON() as CfnTemplate,
    s.statelessTemplate.toJSON() as CfnTemplate,
  ]);
  referral = machines.referral!.asl as unknown as AslMachine;
  group = machines.group!.asl as unknown as AslMachine;
});
afterAll(() => s?.cleanup());

const days = (seconds: number) => Math.round((seconds / DAY) * 10) / 10;

/**
 * The machine as one execution of it runs: entered at `entry` (Intake for the first, a phase for a
 * continued or retried one) instead of choosing on `$.resumeAt`, with its loop counters from zero.
 */
function entering(machine: AslMachine, entry: string): AslMachine {
  const one = structuredClone(machine);
  one.States[R.startOrResume] = { Type: 'Pass', Next: entry };
  return one;
}

describe('the synthesized state machines fit in a Standard execution', () => {
  for (const [name, machine, options] of [
    ['referral', () => referral, referralOptions],
    ['group', () => group, groupOptions],
  ] as const) {
    it(`${name}: longest path ≤ TimeoutSeconds < one year, and ≤ 25 000 history events`, () => {
      const asl = machine();
      const longest = longestExecution(asl, options);
      const timeout = asl.TimeoutSeconds;
      expect(timeout, 'the machine has a top-level TimeoutSeconds').toBeTypeOf('number');
      expect(
        longest.seconds,
        `longest path ${days(longest.seconds)} d: ${longest.path
          .filter((p) => p.seconds > 0)
          .map((p) => `${p.state} ${days(p.seconds)} d`)
          .join(', ')}`,
      ).toBeLessThanOrEqual(timeout!);
      expect(timeout!).toBeLessThan(ONE_YEAR_SECONDS);
      // The timeout is that bound, not a year picked to be safe: within three weeks above the longest path.
      expect(timeout! - longest.seconds).toBeLessThan(21 * DAY);
      expect(longest.historyEvents).toBeLessThan(25_000);
    });
  }

  it('the referral runs as executions that continue one another: no path holds pool, group and follow-up', () => {
    const longest = longestExecution(referral, referralOptions);
    const states = longest.path.map((p) => p.state);
    expect(states).toContain(R.continueInGroup);
    expect(states).not.toContain(R.sessions);
    expect(states).not.toContain(R.followUpWindow);
  });

  it('intake and screening run in an execution of their own: three screening rounds and two information requests, then consent in the next', () => {
    const first = longestExecution(entering(referral, R.intake), referralOptions);
    const states = first.path.map((p) => p.state);
    expect(states.at(-2)).toBe(R.continueToConsent);
    expect(states).not.toContain(R.planConsent);
    expect(states.filter((st) => st === R.screeningWindow)).toHaveLength(3);
    expect(states.filter((st) => st === R.informationRequestWindow)).toHaveLength(2);
    // The consent execution (the continuation, or a retry at consent) holds no screening.
    const consent = longestExecution(entering(referral, R.planConsent), referralOptions);
    expect(consent.path.map((p) => p.state)).not.toContain(R.screeningWindow);
    expect(consent.path.map((p) => p.state)).toContain(R.continueInGroup);
  });

  it.each([
    ['intake and screening', R.intake],
    ['a retry at screening', R.screeningWindow],
    ['consent and the pool', R.planConsent],
    ['a retry in the pool', R.poolWindow],
    ['the group', R.sessions],
    ['the follow-up', R.followUp],
  ])('each execution fits: %s', (_name, entry) => {
    const longest = longestExecution(entering(referral, entry), referralOptions);
    expect(longest.seconds).toBeLessThanOrEqual(referral.TimeoutSeconds!);
    expect(longest.historyEvents).toBeLessThan(25_000);
  });

  it('fails when more information requests are let through than the timeout holds', () => {
    const loosened = structuredClone(referral);
    const left = loosened.States[R.informationRequestsLeft] as unknown as {
      Choices: { NumericGreaterThan: number }[];
    };
    left.Choices[0]!.NumericGreaterThan = 12;
    const first = longestExecution(entering(loosened, R.intake), referralOptions);
    expect(first.seconds).toBeGreaterThan(loosened.TimeoutSeconds!);
  });

  it('fails when a Wait is lengthened past a year', () => {
    const lengthened = structuredClone(referral);
    // A Wait of more than a year where the follow-up ends (before Close).
    lengthened.States[R.outcomeCompleted] = {
      Type: 'Wait',
      Seconds: ONE_YEAR_SECONDS + DAY,
      Next: lengthened.States[R.outcomeCompleted]!.Next,
    };
    const longest = longestExecution(lengthened, referralOptions);
    expect(longest.seconds).toBeGreaterThan(ONE_YEAR_SECONDS);
    expect(longest.seconds).toBeGreaterThan(lengthened.TimeoutSeconds!);
  });

  it('fails when a declared bound is raised past the timeout (a partnership limit raised alone)', () => {
    const raised = {
      ...referralOptions,
      bounds: {
        ...REFERRAL_TIMING_BOUNDS,
        [R.followUpWindow]: { seconds: 400 * DAY, enforcedBy: 'test' },
      },
    };
    expect(longestExecution(referral, raised).seconds).toBeGreaterThan(referral.TimeoutSeconds!);
  });

  it('refuses the referral machine with a loop counter removed (an unbounded loop)', () => {
    const unguarded = structuredClone(referral);
    const pool = unguarded.States[R.poolWindow]!.Branches as AslMachine[];
    pool[0]!.States[R.poolRoundsLeft] = { Type: 'Pass', Next: R.poolTimer };
    expect(() => longestExecution(unguarded, referralOptions)).toThrow(/Unbounded loop|grows past/);
  });

  it('refuses a wait read from the data without a declared bound', () => {
    expect(() => longestExecution(referral, { mapItems: REFERRAL_MAP_ITEMS })).toThrow(/no declared bound/);
  });
});

describe('the analysis, on small definitions', () => {
  const task = (next?: string, extra: Record<string, unknown> = {}) => ({
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    TimeoutSeconds: 10,
    ...(next ? { Next: next } : { End: true }),
    ...extra,
  });

  it('adds waits and task timeouts with retries along the longest branch', () => {
    const machine: AslMachine = {
      StartAt: 'Choose',
      States: {
        Choose: {
          Type: 'Choice',
          Choices: [{ Variable: '$.x', StringEquals: 'a', Next: 'Short' }],
          Default: 'Long',
        },
        Short: { Type: 'Wait', Seconds: 5, End: true },
        Long: task('Wait', {
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3 }],
        }),
        Wait: { Type: 'Wait', Seconds: 100, End: true },
      },
    };
    // Long: 3 attempts × 10 s + waits 2 + 6 = 38; then 100.
    const longest = longestExecution(machine);
    expect(longest.seconds).toBe(138);
    expect(longest.path.map((p) => p.state)).toEqual(['Choose', 'Long', 'Wait']);
  });

  it('follows a Catch: the error may come at the end of the state', () => {
    const machine: AslMachine = {
      StartAt: 'Work',
      States: {
        Work: task('Done', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }] }),
        Recover: { Type: 'Wait', Seconds: 50, End: true },
        Done: { Type: 'Succeed' },
      },
    };
    expect(longestExecution(machine).seconds).toBe(60);
  });

  it('bounds a counted loop by its counter and refuses one without a counter', () => {
    const loop = (limit: number | undefined): AslMachine => ({
      StartAt: 'Zero',
      States: {
        Zero: { Type: 'Pass', Result: { rounds: 0 }, ResultPath: '$.loops', Next: 'Work' },
        Work: task('Count'),
        Count: {
          Type: 'Pass',
          Parameters: { 'rounds.$': 'States.MathAdd($.loops.rounds, 1)' },
          ResultPath: '$.loops',
          Next: 'Again',
        },
        Again: {
          Type: 'Choice',
          Choices: [
            ...(limit === undefined
              ? []
              : [{ Variable: '$.loops.rounds', NumericGreaterThanEquals: limit, Next: 'Done' }]),
            { Variable: '$.more', BooleanEquals: true, Next: 'Work' },
          ],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
    expect(longestExecution(loop(4)).seconds).toBe(40);
    expect(() => longestExecution(loop(undefined))).toThrow(/grows past|Unbounded loop/);
  });

  it('refuses a task without a timeout and a Map without a most number of items', () => {
    expect(() =>
      longestExecution({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', End: true } } }),
    ).toThrow(/no TimeoutSeconds/);
    expect(() =>
      longestExecution({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } },
            End: true,
          },
        },
      }),
    ).toThrow(/most number of items/);
  });

  it('runs a Map item by item when its concurrency is below the items', () => {
    const map = (concurrency: number): AslMachine => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: concurrency,
          ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 7, End: true } } },
          End: true,
        },
      },
    });
    expect(longestExecution(map(1), { mapItems: { M: 3 } }).seconds).toBe(21);
    expect(longestExecution(map(3), { mapItems: { M: 3 } }).seconds).toBe(7);
  });
});
