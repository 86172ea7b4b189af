/**
 * The longest an execution of a synthesized state machine can run, computed from its ASL: every Wait,
 * every task's TimeoutSeconds with its retries, every Catch, every Map, and every loop's bound.
 *
 * A Standard execution is stopped by AWS after one year, whatever it is doing, and a Wait longer than a
 * year is refused, so a path that could outlast a year is a defect that no test "run locally" shows.
 * The analysis is a depth-first search over (state, loop counters):
 *  - a loop is bounded only by a counter kept in the execution (`$.loops.<name>`): a Pass that sets it
 *    (`Result`) or adds to it (`States.MathAdd($.loops.<name>, k)`), and a Choice that leaves the loop on
 *    a numeric comparison of it. Such Choice rules are evaluated exactly; every other rule may or may not
 *    match. Reaching the same state with the same counters again is an unbounded loop, and an error.
 *  - a timing read from the execution's data (TimestampPath, SecondsPath, TimeoutSecondsPath) has no
 *    bound in the ASL, so it needs a declared one (`bounds`), which the function that produces the value
 *    must enforce (each declaration says where); so does a Map whose items share one deadline.
 * Pure: no CDK or AWS import, so it runs on any definition (the tests give it the synthesized ones).
 */

export type AslState = Record<string, unknown> & { Type: string };
export interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
}

export interface DeclaredBound {
  /** The longest this state can take, in seconds (for a Map: all its items together). */
  seconds: number;
  /** Where the bound is enforced, for the reader of a failure. */
  enforcedBy: string;
}

export interface ExecutionBoundsOptions {
  /** Bounds for states whose timing the ASL does not fix, by state name. */
  bounds?: Record<string, DeclaredBound>;
  /** The most items a Map state is given, by state name (required for every Map). */
  mapItems?: Record<string, number>;
  /**
   * The errors a callback (SendTaskFailure) may end a waiting task with. A retrier of a `.waitForTaskToken`
   * task that matches none of them (nor States.ALL, States.TaskFailed, States.Timeout) can only be caused by
   * invoking the function, so its retry repeats the entry (≤ Lambda's 900 s), not the whole wait.
   */
  answerErrors?: readonly string[];
}

export interface LongestPath {
  seconds: number;
  /** The states on the longest path, with the seconds each contributes. */
  path: { state: string; seconds: number }[];
  /** The most history events an execution can write (AWS stops one at 25 000). */
  historyEvents: number;
}

type Counters = Record<string, number>;
const COUNTER_PATH = /^\$\.loops\.([A-Za-z][A-Za-z0-9]*)$/;
const MATH_ADD = /^States\.MathAdd\(\$\.loops\.([A-Za-z][A-Za-z0-9]*),\s*(-?\d+)\)$/;
/** A counter past this has no guard that stops it. */
const RUNAWAY_COUNTER = 250;
/** Lambda's longest invocation: what entering a waiting task can take. */
const LAMBDA_MAX_SECONDS = 900;
const LATE_ERRORS = ['States.ALL', 'States.TaskFailed', 'States.Timeout'];

/** ASL's defaults (Amazon States Language specification). */
const DEFAULT_RETRY = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

export function longestExecution(machine: AslMachine, options: ExecutionBoundsOptions = {}): LongestPath {
  return new Analysis(options).graph(machine.States, machine.StartAt, {});
}

class Analysis {
  private readonly memo = new Map<string, LongestPath>();
  private readonly active = new Set<string>();

  constructor(private readonly options: ExecutionBoundsOptions) {}

  graph(
    states: Record<string, AslState>,
    name: string,
    counters: Counters,
    trail: string[] = [],
  ): LongestPath {
    const key = `${name}|${JSON.stringify(counters)}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (this.active.has(key))
      throw new Error(
        `Unbounded loop: ${[...trail.slice(trail.indexOf(name)), name].join(' → ')} repeats with the same ` +
          `counters ${JSON.stringify(counters)}; bound it with a $.loops counter and a Choice that leaves it`,
      );
    for (const [counter, value] of Object.entries(counters))
      if (value > RUNAWAY_COUNTER)
        throw new Error(
          `Counter $.loops.${counter} grows past ${RUNAWAY_COUNTER} at ${name}: no Choice stops it`,
        );
    const state = states[name];
    if (!state) throw new Error(`State ${name} does not exist`);
    this.active.add(key);
    try {
      const own = this.duration(name, state);
      const after = this.countersAfter(name, state, counters);
      // The longest time and the most events may lie on different branches: each is kept on its own.
      let longest: LongestPath = { seconds: 0, path: [], historyEvents: 0 };
      let events = 0;
      for (const next of this.successors(name, state, after)) {
        const rest = this.graph(states, next, after, [...trail, name]);
        if (rest.seconds > longest.seconds) longest = rest;
        events = Math.max(events, rest.historyEvents);
      }
      const result: LongestPath = {
        seconds: own.seconds + longest.seconds,
        path: [{ state: name, seconds: own.seconds }, ...longest.path],
        historyEvents: own.historyEvents + events,
      };
      this.memo.set(key, result);
      return result;
    } finally {
      this.active.delete(key);
    }
  }

  /** The longest time in this state, and the history events it writes at most. */
  private duration(name: string, state: AslState): { seconds: number; historyEvents: number } {
    const declared = this.options.bounds?.[name];
    switch (state.Type) {
      case 'Pass':
      case 'Choice':
      case 'Succeed':
      case 'Fail':
        return { seconds: 0, historyEvents: 2 };
      case 'Wait': {
        if (typeof state.Seconds === 'number') return { seconds: state.Seconds, historyEvents: 2 };
        if (state.Timestamp)
          throw new Error(`Wait ${name} waits for a fixed timestamp: it ends nowhere near a deploy`);
        if (!declared)
          throw new Error(
            `Wait ${name} reads its time from the data (${String(state.SecondsPath ?? state.TimestampPath)}) and has no declared bound`,
          );
        return { seconds: declared.seconds, historyEvents: 2 };
      }
      case 'Task': {
        let attemptSeconds: number;
        if (typeof state.TimeoutSeconds === 'number') attemptSeconds = state.TimeoutSeconds;
        else if (state.TimeoutSecondsPath) {
          if (!declared)
            throw new Error(
              `Task ${name} reads its timeout from ${String(state.TimeoutSecondsPath)} and has no declared bound`,
            );
          attemptSeconds = declared.seconds;
        } else
          throw new Error(
            `Task ${name} has no TimeoutSeconds: ASL's default is 99 999 999 s (over three years)`,
          );
        if (String(state.Resource).endsWith('.waitForTaskToken')) {
          const late = new Set([...LATE_ERRORS, ...(this.options.answerErrors ?? [])]);
          const retriers = (state.Retry ?? []) as { ErrorEquals: string[] }[];
          const isLate = (r: { ErrorEquals: string[] }) => r.ErrorEquals.some((e) => late.has(e));
          const wholeWaits = retries({ ...state, Retry: retriers.filter(isLate) });
          const entries = retries({ ...state, Retry: retriers.filter((r) => !isLate(r)) });
          return {
            seconds:
              wholeWaits.attempts * attemptSeconds +
              (entries.attempts - 1) * LAMBDA_MAX_SECONDS +
              wholeWaits.waitSeconds +
              entries.waitSeconds,
            historyEvents: 2 + 3 * (wholeWaits.attempts + entries.attempts - 1),
          };
        }
        const { attempts, waitSeconds } = retries(state);
        // Scheduled, started, and one of succeeded/failed/timed out per attempt; entered and exited once.
        return { seconds: attempts * attemptSeconds + waitSeconds, historyEvents: 2 + 3 * attempts };
      }
      case 'Map': {
        const processor = (state.ItemProcessor ?? state.Iterator) as AslMachine | undefined;
        if (!processor) throw new Error(`Map ${name} has no ItemProcessor`);
        const items = this.options.mapItems?.[name];
        if (!items) throw new Error(`Map ${name} has no declared most number of items`);
        const selector = state.ItemSelector as Record<string, unknown> | undefined;
        const initial =
          selector?.loops && typeof selector.loops === 'object' ? counterValues(name, selector.loops) : {};
        const one = new Analysis(this.options).graph(processor.States, processor.StartAt, initial);
        const concurrency = Number(state.MaxConcurrency ?? 0);
        const rounds = concurrency > 0 ? Math.ceil(items / concurrency) : 1;
        const { attempts, waitSeconds } = retries(state);
        const computed = attempts * rounds * one.seconds + waitSeconds;
        return {
          seconds: declared ? Math.min(declared.seconds, computed) : computed,
          historyEvents: 4 + attempts * items * (2 + one.historyEvents),
        };
      }
      case 'Parallel': {
        // Branches run side by side: as long as the longest; each branch starts with no counters.
        const branches = (state.Branches ?? []) as AslMachine[];
        if (!branches.length) throw new Error(`Parallel ${name} has no branches`);
        const each = branches.map((b) => new Analysis(this.options).graph(b.States, b.StartAt, {}));
        const { attempts, waitSeconds } = retries(state);
        const computed = attempts * Math.max(...each.map((b) => b.seconds)) + waitSeconds;
        return {
          seconds: declared ? Math.min(declared.seconds, computed) : computed,
          historyEvents: 4 + attempts * each.reduce((sum, b) => sum + b.historyEvents, 0),
        };
      }
      default:
        throw new Error(`State ${name} has type ${state.Type}, which this analysis does not know`);
    }
  }

  private countersAfter(name: string, state: AslState, counters: Counters): Counters {
    if (state.Type !== 'Pass' || state.ResultPath !== '$.loops') return counters;
    if (state.Result && typeof state.Result === 'object') return counterValues(name, state.Result);
    const parameters = state.Parameters as Record<string, unknown> | undefined;
    if (!parameters) throw new Error(`Pass ${name} sets $.loops without Result or Parameters`);
    const next: Counters = {};
    for (const [field, expression] of Object.entries(parameters)) {
      const counter = field.replace(/\.\$$/, '');
      const copy = typeof expression === 'string' ? COUNTER_PATH.exec(expression) : null;
      const add = typeof expression === 'string' ? MATH_ADD.exec(expression) : null;
      if (field.endsWith('.$') && copy && counters[copy[1]!] !== undefined)
        next[counter] = counters[copy[1]!]!;
      else if (field.endsWith('.$') && add && counters[add[1]!] !== undefined)
        next[counter] = counters[add[1]!]! + Number(add[2]);
      else
        throw new Error(
          `Pass ${name} sets $.loops.${counter} in a way this analysis cannot follow: ${JSON.stringify(expression)}`,
        );
    }
    return next;
  }

  private successors(name: string, state: AslState, counters: Counters): string[] {
    const out = new Set<string>();
    for (const c of (state.Catch ?? []) as { Next: string }[]) out.add(c.Next);
    if (state.Type === 'Choice') {
      for (const rule of (state.Choices ?? []) as Record<string, unknown>[]) {
        const holds = evaluate(rule, counters);
        if (holds !== false) out.add(String(rule.Next));
        if (holds === true) return [...out];
      }
      if (!state.Default)
        throw new Error(`Choice ${name} has no Default: an unmatched input fails the execution`);
      out.add(String(state.Default));
      return [...out];
    }
    if (typeof state.Next === 'string') out.add(state.Next);
    return [...out];
  }
}

function counterValues(name: string, value: unknown): Counters {
  const out: Counters = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'number')
      throw new Error(`${name} sets counter ${k} to ${JSON.stringify(v)}, not a number`);
    out[k] = v;
  }
  return out;
}

/** How many attempts a state makes at most, and how long it waits between them. */
function retries(state: AslState): { attempts: number; waitSeconds: number } {
  let attempts = 1;
  let waitSeconds = 0;
  for (const retrier of (state.Retry ?? []) as Record<string, number>[]) {
    const r: Record<string, number> & typeof DEFAULT_RETRY = { ...DEFAULT_RETRY, ...retrier };
    attempts += r.MaxAttempts;
    for (let k = 0; k < r.MaxAttempts; k++) {
      const interval = r.IntervalSeconds * r.BackoffRate ** k;
      waitSeconds += r.MaxDelaySeconds ? Math.min(interval, r.MaxDelaySeconds) : interval;
    }
  }
  return { attempts, waitSeconds };
}

const NUMERIC = {
  NumericEquals: (a: number, b: number) => a === b,
  NumericLessThan: (a: number, b: number) => a < b,
  NumericLessThanEquals: (a: number, b: number) => a <= b,
  NumericGreaterThan: (a: number, b: number) => a > b,
  NumericGreaterThanEquals: (a: number, b: number) => a >= b,
} as const;

/** true/false when the rule depends only on known counters; undefined when it may go either way. */
function evaluate(rule: Record<string, unknown>, counters: Counters): boolean | undefined {
  if (Array.isArray(rule.And)) {
    const parts = (rule.And as Record<string, unknown>[]).map((r) => evaluate(r, counters));
    if (parts.includes(false)) return false;
    return parts.every((p) => p === true) ? true : undefined;
  }
  if (Array.isArray(rule.Or)) {
    const parts = (rule.Or as Record<string, unknown>[]).map((r) => evaluate(r, counters));
    if (parts.includes(true)) return true;
    return parts.every((p) => p === false) ? false : undefined;
  }
  if (rule.Not) {
    const inner = evaluate(rule.Not as Record<string, unknown>, counters);
    return inner === undefined ? undefined : !inner;
  }
  const counter = typeof rule.Variable === 'string' ? COUNTER_PATH.exec(rule.Variable)?.[1] : undefined;
  if (counter === undefined || counters[counter] === undefined) return undefined;
  for (const [operator, compare] of Object.entries(NUMERIC))
    if (typeof rule[operator] === 'number') return compare(counters[counter]!, rule[operator] as number);
  return undefined;
}
