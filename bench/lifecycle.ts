/**
 * Benchmarks 1 and 4: whole referral lifecycles on the embedded system, and what one referral costs.
 *
 * N referrals (default 1 000) go from the form to the state machine's final `Closed` state, then to their
 * erasure by the daily sweep after the retention period, on the real handlers, dynalite, SMTP mailbox and
 * the synthesized ASL, with people simulated over HTTP (in a process of their own) and the clock jumping to each next wake-up. Two
 * floors next to it: the bare engine (the same library runs a no-op state machine with exactly the states
 * each execution went through, machines built before the timing), and the request floor (the run's own
 * DynamoDB requests, recorded at dynalite, replayed to a fresh dynalite through the same client with the
 * run's concurrency, plus the bare engine: bench/request-replay.ts), so the ratios say what the system's
 * own work costs and how far it is from what its request count costs.
 *
 * The same run counts state transitions, Lambda invocations, DynamoDB requests (the system's only; the
 * harness's apart) and emails, and turns them into a cost per referral with the list prices below.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { cohortFor, planFor } from '../infra/local/simulated-people';
import { startLocalSystem, type LocalSystem } from '../infra/local/system';
import { synthesizedTemplates } from '../infra/local/synth';
import { tableDefinition } from '../infra/local/template';
import type { ExecutionRecord } from '../infra/local/workflow-engine';
import { startPeopleProcess, type PeopleProcess } from './people-process';
import { replayRequests, type ReplayResult } from './request-replay';
import type { BenchOptions, BenchRow } from './types';

/**
 * AWS list prices in USD (on-demand, no free tier), eu-north-1 (Stockholm), as published in 2025.
 * Change them here; nothing else in the bench holds a price.
 */
export const PRICES = {
  stepFunctionsPerTransition: 0.000025,
  lambdaPerRequest: 0.2 / 1e6,
  /** arm64, per GB-second. */
  lambdaPerGbSecond: 0.0000133334,
  lambdaMemoryGb: 0.5,
  /**
   * Billed duration assumed per invocation. Handler time measured here is not Lambda time: a thousand
   * referrals share two cores, so it is mostly queueing. A handler making a few DynamoDB calls at ~10 ms
   * each bills about this on Lambda.
   */
  lambdaAssumedMsPerInvocation: 100,
  /** On-demand: one request taken as one unit (items here are under 1 KB written, 4 KB read). */
  dynamoPerWriteRequest: 0.625 / 1e6,
  dynamoPerReadRequest: 0.125 / 1e6,
  sesPerEmail: 0.1 / 1000,
  httpApiPerRequest: 1.0 / 1e6,
};

const READS = new Set(['GetItem', 'Query', 'BatchGetItem', 'Scan', 'TransactGetItems']);
const SETUP = new Set(['CreateTable', 'DescribeTable']);

/** The same path as a chain of Pass states: the engine's own cost of walking it. */
function bareMachine(path: string[]): StateMachine {
  const states: Record<string, unknown> = {};
  path.forEach((name, i) => {
    states[`${i}-${name}`] =
      i + 1 < path.length ? { Type: 'Pass', Next: `${i + 1}-${path[i + 1]}` } : { Type: 'Pass', End: true };
  });
  return new StateMachine({ StartAt: `0-${path[0]}`, States: states } as never, {
    validationOptions: { checkArn: false, checkPaths: false },
  });
}

export const DEFAULT_REFERRALS = 1000;

/**
 * The bare engine's time to run every execution of `history` as its path of Pass states. The machines are
 * built (and validated) before the clock starts: building was ~94 % of the time, and the system builds its
 * own machines once, before its run too.
 */
export async function runBareEngine(history: ExecutionRecord[]): Promise<number> {
  const machines = new Map<string, StateMachine>();
  const runs = history
    .filter((r) => r.path.length)
    .map((r) => {
      const signature = r.path.join('>');
      let machine = machines.get(signature);
      if (!machine) machines.set(signature, (machine = bareMachine(r.path)));
      return { machine, referralId: r.referralId };
    });
  const started = performance.now();
  await Promise.all(runs.map(({ machine, referralId }) => machine.run({ referralId }).result));
  return performance.now() - started;
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

export interface LifecycleOptions extends BenchOptions {
  /** Referrals to run (default BENCH_REFERRALS, else 1 000; quick 30). */
  referrals?: number;
}

/** The goal for the whole lifecycle on the 2-core bench machine (issue 15; it was 2.7). */
export const THROUGHPUT_GOAL = 6;

export async function lifecycle(options: LifecycleOptions): Promise<BenchRow[]> {
  // 1 000 referrals take about 5 minutes on 2 cores; BENCH_REFERRALS changes it.
  const n =
    options.referrals ?? Number(process.env.BENCH_REFERRALS ?? (options.quick ? 30 : DEFAULT_REFERRALS));
  const recordingDir = mkdtempSync(join(tmpdir(), 'bench-requests-'));
  const recording = join(recordingDir, 'requests.jsonl');
  const system = await startLocalSystem({
    port: 0,
    quiet: true,
    clientLimits: 'off',
    recordDynamoRequestsTo: recording,
  });
  const tableName = system.deps.config.tableName;
  let measured: Omit<Measured, 'replay' | 'answeredWithError'>;
  let answeredWithError: number;
  try {
    measured = await runLifecycle(system, n, options);
    ({ answeredWithError } = await system.dynamo.endRecording());
  } finally {
    await system.stop();
  }
  try {
    options.log(
      `lifecycle: replaying the run's ${measured.requests} DynamoDB requests against a fresh dynalite`,
    );
    const replay = await replayRequests({
      file: recording,
      setupRequests: measured.setupRequests,
      tableName,
      table: tableDefinition((await synthesizedTemplates()).templates),
    });
    return lifecycleRows({ ...measured, replay, answeredWithError }, n);
  } finally {
    // Kept for bench/request-shapes.ts (where the floor's time goes, by request shape) when asked.
    const keep = process.env.BENCH_KEEP_REQUESTS;
    if (keep) copyFileSync(recording, keep);
    rmSync(recordingDir, { recursive: true, force: true });
  }
}

interface Measured {
  closedMs: number;
  wallMs: number;
  bareMs: number;
  replay: ReplayResult;
  /** The system's requests before the run (table setup, seeding): replayed untimed. */
  setupRequests: number;
  /** The system's requests dynalite answered with an error, setup included (failed conditions). */
  answeredWithError: number;
  requests: number;
  reads: number;
  writes: number;
  harnessRequests: number;
  transitions: number;
  taskInvocations: number;
  taskMs: number;
  apiRequests: number;
  httpMs: number;
  emails: number;
  clockJumps: number;
  peakRss: number;
  memoryBefore: number;
  completed: number;
  unexpected: number;
  failed: number;
}

const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const sameCounts = (a: Map<string, number>, b: Map<string, number>) =>
  a.size === b.size && [...a].every(([op, count]) => b.get(op) === count);

async function runLifecycle(
  system: LocalSystem,
  n: number,
  options: BenchOptions,
): Promise<Omit<Measured, 'replay' | 'answeredWithError'>> {
  // The people in a process of their own (bench/people-process.ts): only the system is measured here.
  const people = await startPeopleProcess(system.url, options.log);
  try {
    return await runWithPeople(system, people, n, options);
  } finally {
    people.stop();
  }
}

async function runWithPeople(
  system: LocalSystem,
  people: PeopleProcess,
  n: number,
  options: BenchOptions,
): Promise<Omit<Measured, 'replay' | 'answeredWithError'>> {
  const setupRequests = await system.dynamoRequests();
  const setupHarness = sum(await system.harnessDynamoRequests());
  const memoryBefore = process.memoryUsage().rss;
  let peakRss = memoryBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const started = performance.now();
  let completing = 0;
  const plans = Array.from({ length: n }, (_, i) => planFor(i, n));
  await inBatches(
    plans.map((plan, i) => ({
      plan,
      i,
      cohort: plan === 'completed' ? cohortFor(completing++) : undefined,
    })),
    50,
    ({ plan, i, cohort }) => people.refer(plan, i + 1, cohort),
  );
  options.log(`lifecycle: ${n} referrals submitted`);
  await people.runUntilAllClosed(30 * 60_000);
  const closedMs = performance.now() - started;
  options.log(`lifecycle: all closed after ${(closedMs / 1000).toFixed(1)} s; waiting out retention`);
  await people.runUntilWorkflowsEnd(30 * 60_000);
  const wallMs = performance.now() - started;
  clearInterval(sampler);

  const report = await people.report();
  const outcomes = [...report.outcomes.values()];
  const unexpected = outcomes.filter(
    (o) => o.outcome !== o.plan && !(o.plan === 'completed' && o.outcome === 'no-group'),
  ).length;
  const failures = system.engine.history.filter((r) => r.status === 'FAILED');
  const why = new Map<string, number>();
  for (const r of failures) {
    const k = `${r.error} after ${r.path.slice(-4).join(' → ')}`;
    why.set(k, (why.get(k) ?? 0) + 1);
  }
  for (const [k, count] of why) options.log(`lifecycle: ${count} executions failed: ${k}`);
  const bareMs = await runBareEngine(system.engine.history);

  let reads = 0;
  let writes = 0;
  for (const [op, count] of await system.dynamoRequests()) {
    if (SETUP.has(op)) continue;
    const during = count - (setupRequests.get(op) ?? 0);
    if (READS.has(op)) reads += during;
    else writes += during;
  }
  const { transitions, invocations: taskInvocations, handlerMs: taskMs } = system.engine.stats;
  return {
    closedMs,
    wallMs,
    bareMs,
    setupRequests: sum(setupRequests),
    requests: reads + writes,
    reads,
    writes,
    harnessRequests: sum(await system.harnessDynamoRequests()) - setupHarness,
    transitions,
    taskInvocations,
    taskMs,
    apiRequests: system.http.invocations,
    httpMs: system.http.handlerMs,
    emails: system.mailbox.list().length,
    clockJumps: report.stats.clockJumps,
    peakRss,
    memoryBefore,
    completed: outcomes.filter((o) => o.outcome === 'completed').length,
    unexpected,
    failed: failures.length,
  };
}

function lifecycleRows(m: Measured, n: number): BenchRow[] {
  const { transitions, taskInvocations, apiRequests, reads, writes, emails, replay } = m;
  const invocations = taskInvocations + apiRequests;
  const gbSeconds = ((invocations * PRICES.lambdaAssumedMsPerInvocation) / 1000) * PRICES.lambdaMemoryGb;
  const measuredMs = (m.taskMs + m.httpMs) / invocations;
  const cost = {
    stepFunctions: transitions * PRICES.stepFunctionsPerTransition,
    lambda: invocations * PRICES.lambdaPerRequest + gbSeconds * PRICES.lambdaPerGbSecond,
    dynamodb: reads * PRICES.dynamoPerReadRequest + writes * PRICES.dynamoPerWriteRequest,
    ses: emails * PRICES.sesPerEmail,
    httpApi: apiRequests * PRICES.httpApiPerRequest,
  };
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  const per = (x: number) => Math.round((x / n) * 10) / 10;
  const usd = (x: number) => Number((x / n).toFixed(6));
  const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
  const row = (metric: string, value: number | string, unit: string, extra: Partial<BenchRow> = {}) => ({
    bench: 'lifecycle',
    metric,
    value,
    unit,
    ...extra,
  });
  const counts = (metric: string, value: number | string, unit: string, note?: string): BenchRow => ({
    bench: 'per referral',
    metric,
    value,
    unit,
    ...(note ? { note } : {}),
  });
  // The second floor: the same requests with nothing of the system between them, plus the bare engine.
  const floorMs = replay.ms + m.bareMs;
  const replaySent = sum(replay.sent);
  const throughput = n / (m.wallMs / 1000);
  const errors = [...replay.errors].map(([name, count]) => `${name}×${count}`).join(', ') || 'none';
  return [
    row('referrals, form → Closed (erased)', n, '', {
      note: `${m.completed} completed, ${m.unexpected} off plan, ${m.failed} executions failed`,
    }),
    row('wall time, all closed', Number((m.closedMs / 1000).toFixed(1)), 's'),
    row('wall time, all erased', Number((m.wallMs / 1000).toFixed(1)), 's', {
      baseline: seconds(m.bareMs),
      ratio: Number((m.wallMs / m.bareMs).toFixed(1)),
      note: 'baseline: bare engine, same paths as Pass states (machines built before the timing)',
    }),
    row('throughput', Number(throughput.toFixed(1)), 'referrals/s', {
      baseline: Number((n / (m.bareMs / 1000)).toFixed(0)),
      ratio: Number((m.bareMs / m.wallMs).toFixed(4)),
      note: `goal ≥ ${THROUGHPUT_GOAL} referrals/s on the 2-core bench machine (issue 15, from 2.7): ${throughput >= THROUGHPUT_GOAL ? 'met' : 'not met'}`,
    }),
    row('wall time, all erased, over the request floor', Number((m.wallMs / 1000).toFixed(1)), 's', {
      baseline: seconds(floorMs),
      ratio: Number((m.wallMs / floorMs).toFixed(2)),
      note:
        `baseline: the run's own ${replaySent} DynamoDB requests replayed through the SDK document client ` +
        `to a fresh dynalite (${seconds(replay.ms)} s) + the bare engine (${seconds(m.bareMs)} s); ` +
        `ratio: how far the system is from its own request count`,
    }),
    row('throughput, over the request floor', Number(throughput.toFixed(1)), 'referrals/s', {
      baseline: Number((n / (floorMs / 1000)).toFixed(1)),
      ratio: Number((floorMs / m.wallMs).toFixed(3)),
      note: 'baseline: referrals ÷ (request replay + bare engine); ratio: the share of the floor the system reaches',
    }),
    row('request floor: replayed requests', replaySent, '', {
      baseline: m.requests,
      ratio: m.requests ? Number((replaySent / m.requests).toFixed(3)) : undefined,
      note:
        `baseline: the system's requests counted at dynalite in the run; served by the replay's dynalite: ` +
        `${sum(replay.served)} (${sameCounts(replay.sent, replay.served) ? 'same mix by operation' : 'MIX DIFFERS'}); ` +
        `each sent once fewer than its recorded in-flight count were outstanding (median ${replay.medianInFlight}); ` +
        `errors answered: ${errors} (in the run: ${m.answeredWithError})`,
    }),
    row('clock jumps (idle → next wake-up)', m.clockJumps, ''),
    row('peak RSS', Math.round(m.peakRss / 2 ** 20), 'MB', {
      note: `${Math.round(m.memoryBefore / 2 ** 20)} MB before`,
    }),
    counts('state transitions', per(transitions), '', 'referral and group machines'),
    counts(
      'Lambda invocations',
      per(invocations),
      '',
      `${per(taskInvocations)} tasks, ${per(apiRequests)} HTTP`,
    ),
    counts(
      'DynamoDB requests',
      per(reads + writes),
      '',
      `${per(reads)} reads, ${per(writes)} writes; the system's only (not the harness's, not the local TTL sweep's)`,
    ),
    counts(
      'harness DynamoDB requests (not counted)',
      per(m.harnessRequests),
      '',
      "the simulated people's /dev/clock.json (pending erasures), counted apart at dynalite",
    ),
    counts('emails', per(emails), ''),
    counts(
      'Lambda GB-seconds',
      Number((gbSeconds / n).toFixed(3)),
      'GB-s',
      `${PRICES.lambdaAssumedMsPerInvocation} ms × 0.5 GB each (measured here, under load: ${Math.round(measuredMs)} ms)`,
    ),
    counts('AWS cost', usd(total), 'USD', 'list prices in bench/lifecycle.ts'),
    counts('  Step Functions', usd(cost.stepFunctions), 'USD'),
    counts('  Lambda', usd(cost.lambda), 'USD'),
    counts('  DynamoDB', usd(cost.dynamodb), 'USD'),
    counts('  SES', usd(cost.ses), 'USD'),
    counts('  HTTP API', usd(cost.httpApi), 'USD'),
  ];
}
