/**
 * EventBridge Scheduler for the local runtime: runs each schedule of the synthesized template on the local
 * (fast-forward) clock, invoking its target function's handler through the workflow engine, as tasks are.
 *
 * The next occurrence is computed in the schedule's time zone (luxon), and the runner sleeps on the clock
 * until then: time running fast or a jump of the clock wakes it. Every schedule also runs once at start:
 * AWS would have run it while this runtime was down (catch-up); the erasure sweep it drives is idempotent.
 * Only the cron forms the stack emits are understood (a fixed minute and hour, every day); anything else
 * is refused when the runtime starts, so a new schedule cannot silently never run here.
 */
import { DateTime } from 'luxon';
import type { FastForwardClock } from '../../functions/adapters/clock';
import type { ScheduleDefinition } from './template';

/** `cron(M H * * ? *)`: every day at H:M. */
const DAILY = /^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/;

export interface DailyAt {
  hour: number;
  minute: number;
}

export function parseScheduleExpression(expression: string): DailyAt {
  const m = DAILY.exec(expression.trim());
  const minute = Number(m?.[1]);
  const hour = Number(m?.[2]);
  if (!m || minute > 59 || hour > 23)
    throw new Error(
      `The local runtime runs only daily schedules of the form cron(<minute> <hour> * * ? *); got "${expression}"`,
    );
  return { hour, minute };
}

/** The first instant after `after` at which the daily time comes round in `timeZone`. */
export function nextOccurrence(at: DailyAt, timeZone: string, after: Date): Date {
  const local = DateTime.fromJSDate(after, { zone: timeZone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timeZone}`);
  for (let day = 0; day < 3; day++) {
    const candidate = local
      .plus({ days: day })
      .set({ hour: at.hour, minute: at.minute, second: 0, millisecond: 0 });
    if (candidate.toMillis() > after.getTime()) return candidate.toJSDate();
  }
  throw new Error('unreachable: a daily time comes round within two days');
}

export interface ScheduleRun {
  schedule: string;
  /** The occurrence (ISO instant), or `start` for the catch-up run when the runtime starts. */
  occurrence: string;
  /** Local clock when the target had finished. */
  finishedAt: string;
  result?: unknown;
  error?: string;
}

export interface ScheduleRunner {
  /** Finished runs, oldest first (tests wait on them; the last 1000 are kept). */
  readonly runs: readonly ScheduleRun[];
  /** The first occurrence of any schedule after `after`. */
  nextOccurrence(after: Date): Date | undefined;
  /** Runs the schedules' targets now (all, or the one named), as an occurrence would. */
  runNow(name?: string): Promise<void>;
  stop(): Promise<void>;
}

export function startSchedules(options: {
  schedules: ScheduleDefinition[];
  clock: FastForwardClock;
  invoke: (functionLogicalId: string, event: unknown) => Promise<unknown>;
  log?: (message: string) => void;
}): ScheduleRunner {
  const abort = new AbortController();
  const parsed = options.schedules
    .filter((s) => s.enabled)
    .map((s) => ({ ...s, at: parseScheduleExpression(s.expression) }));
  // One run at a time per schedule: an occurrence that comes while one runs waits for it (EventBridge
  // Scheduler would start both; the sweep is idempotent either way, this only keeps the log readable).
  const running = new Map<string, Promise<void>>();
  const runs: ScheduleRun[] = [];
  const run = (s: (typeof parsed)[number], why: string): Promise<void> => {
    const previous = running.get(s.name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const record = (r: Partial<ScheduleRun>) => {
        runs.push({ schedule: s.name, occurrence: why, finishedAt: options.clock.now().toISOString(), ...r });
        if (runs.length > 1000) runs.shift();
      };
      try {
        const result = await options.invoke(s.functionLogicalId, s.input);
        record({ result });
        options.log?.(`schedule ${s.name} (${why}): ${JSON.stringify(result ?? null)}`);
      } catch (error) {
        // As in AWS: a failed run is logged; the next occurrence comes all the same.
        record({ error: (error as Error).message });
        options.log?.(`schedule ${s.name} (${why}) failed: ${(error as Error).message}`);
      }
    });
    running.set(s.name, next);
    return next;
  };

  const loops = parsed.map(async (s) => {
    await run(s, 'start');
    while (!abort.signal.aborted) {
      const due = nextOccurrence(s.at, s.timeZone, options.clock.now());
      try {
        await options.clock.sleepUntil(due, abort.signal);
      } catch {
        return; // stopped
      }
      await run(s, due.toISOString());
    }
  });

  return {
    runs,
    nextOccurrence(after: Date) {
      const all = parsed.map((s) => nextOccurrence(s.at, s.timeZone, after).getTime());
      return all.length ? new Date(Math.min(...all)) : undefined;
    },
    async runNow(name?: string) {
      await Promise.all(parsed.filter((s) => !name || s.name === name).map((s) => run(s, 'now')));
    },
    async stop() {
      abort.abort(new Error('local runtime stopped'));
      await Promise.allSettled(loops);
    },
  };
}
