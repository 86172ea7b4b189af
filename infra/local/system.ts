/**
 * The embedded system: one process with dynalite, the referral state machine from the synthesized
 * template, its schedules, a real SMTP mailbox and the HTTP API, all bound to the same handler code as Lambda.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastForwardClock } from '../../functions/adapters/clock';
import { DynamoDbReferralStore } from '../../functions/adapters/dynamodb-store';
import { HmacIdentityHasher } from '../../functions/adapters/identity-hasher';
import { KeyedLinkTokens } from '../../functions/adapters/link-tokens';
import { countedEmails } from '../../functions/adapters/counted-email';
import { createLogger, type LogSink } from '../../functions/adapters/logger';
import { EmfMetrics } from '../../functions/adapters/metrics';
import { withLogKeys, type LogKeys } from '../../functions/shared/log-keys';
import type { Config } from '../../functions/shared/config';
import { provideDependencies } from '../../functions/shared/dependencies';
import type { Dependencies } from '../../functions/ports';
import { ensureTable, startDynalite, type LocalDynamo } from './dynalite';
import { localDocumentClient } from './dynamo-client';
import { LocalHttpServer } from './http-server';
import { Mailbox, MailboxEmailSender } from './mailbox';
import { seedDemoData, DEMO_PARTNERSHIP_ID } from './seed';
import { seedDemoReferrals } from './demo-referrals';
import { resumeUnfinished } from './resume';
import { REPO_ROOT, synthesizedTemplates } from './synth';
import {
  emailEventSubscribers,
  handlerEntries,
  httpRoutes,
  schedules,
  stateMachines,
  tableDefinition,
} from './template';
import { startSchedules, type ScheduleRunner } from './schedules';
import { startTtlSweeper } from './ttl-sweeper';
import { LocalWorkflowEngine } from './workflow-engine';
import type { LinkRenewalLimits, SendLimit } from '../../functions/domain/send-limits';
import { METRICS } from '../../functions/shared/metric-names';
import { PUBLIC_POST_LIMITS, type PublicPostLimit } from '../public-post-limits';
import { ClientLimiter } from './client-limits';
import { TableRequestMeter } from './table-requests';
import { cachePartnerships } from '../../functions/adapters/partnership-cache';

export interface LocalSystemOptions {
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /**
   * Limits on sign-in emails per address; default the production ones. `LOCAL_SIGN_IN_LIMITS=off` (the test
   * suite's setting: its files sign the same staff in many times a minute) turns them off unless given here.
   */
  signInEmailLimits?: readonly SendLimit[];
  /**
   * Per-client limits on the public POST routes, enforced by the local server per remote address; default
   * PUBLIC_POST_LIMITS. `'off'`, or `LOCAL_CLIENT_LIMITS=off` (the test suite's setting: its files post many
   * forms a minute from one address), turns them off unless given here.
   */
  clientLimits?: readonly PublicPostLimit[] | 'off';
  /** Limits on fresh links for expired ones; default the production ones (LINK_RENEWAL_LIMITS). */
  linkRenewalLimits?: LinkRenewalLimits;
  smtpPort?: number;
  /** Where dynalite, the mailbox and the identity key live; undefined keeps everything in memory. */
  dataDir?: string;
  /** Time (waits, deadlines, link expiry) runs this many times faster than real time; default 1. */
  fastForward?: number;
  linkTtlDays?: number;
  seed?: boolean;
  /** Also drive a few demo referrals through the workflow (npm start does; tests do not). */
  demoReferrals?: boolean;
  quiet?: boolean;
  /**
   * Where every log line goes (the handlers', the runtime's and the EMF metric lines, each one JSON);
   * default: standard output, or nowhere when `quiet`. A test reads the lines of a whole lifecycle here.
   */
  logLines?: LogSink;
  /**
   * A file that receives every DynamoDB request the system makes (not the harness's, not the TTL sweep's)
   * as a JSON line, for the bench's replay floor (bench/request-replay.ts). Off by default.
   */
  recordDynamoRequestsTo?: string;
}

/**
 * The user agent of the harness's own table reads (/dev/clock.json's `pendingErasures`, polled by the
 * simulated people): dynalite counts them apart, so the system's request count is the system's.
 */
export const HARNESS_USER_AGENT = 'bris-local-harness';

export interface LocalSystem {
  url: string;
  mailbox: Mailbox;
  engine: LocalWorkflowEngine;
  clock: FastForwardClock;
  /** Staff sign-in links and sessions run on it: real time, not the programme's fast clock. */
  wallClock: FastForwardClock;
  deps: Dependencies;
  /** The same metrics as in Lambda: EMF lines in the log, and counts since start (also on /dev/metrics). */
  metrics: EmfMetrics;
  /** DynamoDB calls served by dynalite, by operation: the system's only (not the harness's, not the TTL sweep's). */
  dynamoRequests(): Promise<Map<string, number>>;
  /** The harness's own DynamoDB calls (/dev/clock.json), by operation: not in `dynamoRequests`. */
  harnessDynamoRequests(): Promise<Map<string, number>>;
  /** dynalite itself: the recording (with `recordDynamoRequestsTo`) is read and closed through it. */
  dynamo: LocalDynamo;
  /** Runs the local TTL sweep now (it also runs by itself once per simulated hour); resolves with the count deleted. */
  sweepExpiredItems(): Promise<number>;
  /** The template's schedules (the daily erasure sweep) on the local clock; `runNow` runs them at once. */
  schedules: ScheduleRunner;
  http: LocalHttpServer;
  /** Each HTTP invocation's table requests and sequential round trips (`tableRequests.invocations`). */
  tableRequests: TableRequestMeter;
  stop(): Promise<void>;
}

function clientLimitsOf(
  options: LocalSystemOptions,
  now: () => Date,
  limited: () => void,
): { limiter: ClientLimiter; limited(): void; now(): Date } | undefined {
  const limits =
    options.clientLimits ?? (process.env.LOCAL_CLIENT_LIMITS === 'off' ? 'off' : PUBLIC_POST_LIMITS);
  if (limits === 'off') return undefined;
  return { limiter: new ClientLimiter(limits, () => now().getTime()), limited, now };
}

function identityKey(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'identity.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * Local time survives a restart: deadlines and waits are stored as instants, so a runtime that came back
 * at real "now" after the clock had been moved ahead would wait those days over again.
 */
function savedClock(dataDir: string | undefined): Date | undefined {
  const file = dataDir && join(dataDir, 'clock.json');
  if (!file || !existsSync(file)) return undefined;
  try {
    const at = Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { now: string }).now);
    return Number.isFinite(at) ? new Date(at) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `LOCAL_CLOCK_START=<ISO instant>`: local time starts there instead of at the machine's time, to run the
 * system (and the tests, which age their children from this clock) on another date. A restart continues
 * from the saved time exactly. For processes libfaketime cannot run (Chromium), it moves only this clock.
 */
export function localClockStart(): Date | undefined {
  const value = process.env.LOCAL_CLOCK_START;
  if (!value) return undefined;
  const at = new Date(value);
  if (!Number.isFinite(at.getTime())) throw new Error(`LOCAL_CLOCK_START is not an instant: ${value}`);
  return at;
}

function saveClock(dataDir: string, clock: FastForwardClock): void {
  // Written whole, then renamed: a kill mid-write leaves the previous time, never a broken file.
  const file = join(dataDir, 'clock.json');
  writeFileSync(`${file}.tmp`, JSON.stringify({ now: clock.now().toISOString() }));
  renameSync(`${file}.tmp`, file);
}

function keepClockSaved(dataDir: string, clock: FastForwardClock): () => void {
  saveClock(dataDir, clock);
  const timer = setInterval(() => saveClock(dataDir, clock), 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const sink: LogSink = options.logLines ?? (options.quiet ? () => {} : (line) => console.log(line));
  // The runtime's own lines (synth, executions ending, schedules) are JSON like the handlers'.
  const runtimeLog = createLogger({ service: 'local-runtime' }, sink);
  // Not an invocation's keys: the engine may call this from inside whichever handler ended an execution.
  const log = (m: string, keys?: LogKeys) => withLogKeys({}, () => runtimeLog.info(m, keys));
  const metrics = new EmfMetrics({ sink, warn: (m) => runtimeLog.warn(m) });
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  const { templates } = await synthesizedTemplates({ log });
  const entries = handlerEntries(templates);

  const dynamo = await startDynalite(dataDir ? join(dataDir, 'dynalite') : undefined, {
    recordTo: options.recordDynamoRequestsTo,
  });
  if (dynamo.repaired)
    log(
      `the last run did not stop cleanly: table indexes checked against the items (${dynamo.repaired.written} entries written, ${dynamo.repaired.removed} removed)`,
    );
  const tableName = 'BrisReferrals';
  const table = tableDefinition(templates);
  await ensureTable(dynamo.endpoint, tableName, table);

  const configuredStart = localClockStart();
  const clock = new FastForwardClock(
    options.fastForward ?? 1,
    savedClock(dataDir) ?? configuredStart,
    configuredStart !== undefined,
  );
  const mailbox = new Mailbox(dataDir ? join(dataDir, 'mailbox.jsonl') : undefined, () => clock.now());
  const smtpPort = await mailbox.start(options.smtpPort ?? 0);
  const stopSavingClock = dataDir ? keepClockSaved(dataDir, clock) : () => {};
  // Real time (tests may move it): a person signing in needs the link's 15 minutes of their own time.
  const wallClock = new FastForwardClock(1);
  // dynalite has no TTL: expired sessions, sign-in links and submissions are deleted on the local clocks.
  const ttlSweeper = table.timeToLiveAttribute
    ? startTtlSweeper({
        endpoint: dynamo.endpoint,
        tableName,
        attribute: table.timeToLiveAttribute,
        clock,
        personClock: wallClock,
        log,
      })
    : undefined;
  const tableRequests = new TableRequestMeter();
  const engine = new LocalWorkflowEngine({
    definitions: stateMachines(templates),
    handlers: entries,
    clock,
    log,
    isolate: (call) => tableRequests.outside(call),
  });
  // SES → SNS → function in AWS; here the mailbox's bounces invoke the same function, through the engine.
  const emailEventFunctions = emailEventSubscribers(templates);
  mailbox.onEmailEvent = async (event) => {
    for (const fnId of emailEventFunctions) await engine.invokeFunction(fnId, event);
  };
  const http = new LocalHttpServer(
    httpRoutes(templates),
    {
      mailbox,
      advanceClock: (ms) => {
        clock.advance(ms);
        if (dataDir) saveClock(dataDir, clock);
      },
      clockNow: () => clock.now(),
      nextWakeAt: () => clock.nextWakeAt(),
      workflowBusy: () => engine.busy,
      runningExecutions: () => engine.runningExecutions,
      pendingErasures: async (upTo = 1000) =>
        (await harnessStore.listDueErasures('9999', { limit: upTo })).length,
      metricTotals: () => metrics.totals,
    },
    clientLimitsOf(
      options,
      () => wallClock.now(),
      () => {
        metrics.count(METRICS.clientLimited);
      },
    ),
    tableRequests,
  );
  http.people = engine;
  const port = await http.start(options.port ?? 3000);
  const url = `http://localhost:${port}`;

  const config: Config = {
    tableName,
    publicBaseUrl: url,
    senderEmail: 'stodgrupper@bris.example',
    linkTtlDays: options.linkTtlDays ?? 14,
    partnershipId: DEMO_PARTNERSHIP_ID,
    emailTransport: 'smtp',
    smtp: { host: '127.0.0.1', port: smtpPort },
    dynamodbEndpoint: dynamo.endpoint,
    signInEmailLimits:
      options.signInEmailLimits ?? (process.env.LOCAL_SIGN_IN_LIMITS === 'off' ? [] : undefined),
    linkRenewalLimits: options.linkRenewalLimits,
  };
  // Real SMTP to the mailbox's server, sent from the mailbox's own thread (mail-worker.mjs).
  const email = new MailboxEmailSender(mailbox, config.senderEmail);
  const key = identityKey(dataDir);
  const documentClient = localDocumentClient(dynamo.endpoint);
  tableRequests.watch(documentClient);
  const deps: Dependencies = {
    config,
    // One process is one container here: `putPartnership` through this store shows a change at once.
    store: cachePartnerships(new DynamoDbReferralStore(documentClient, tableName)),
    email: countedEmails(email, metrics),
    workflow: engine,
    clock,
    wallClock,
    identity: new HmacIdentityHasher(async () => key),
    linkTokens: new KeyedLinkTokens(async () => key),
    log: createLogger({ service: 'local' }, sink),
    metrics,
  };
  provideDependencies(deps);
  // The same store code on a client dynalite counts apart: the harness's questions are not the system's.
  const harnessStore = new DynamoDbReferralStore(
    localDocumentClient(dynamo.endpoint, { userAgent: HARNESS_USER_AGENT }),
    tableName,
  );
  if (options.seed ?? true) await seedDemoData(deps.store, clock.now());
  if (dataDir) {
    const resumed = await resumeUnfinished(deps, engine);
    if (resumed.referrals || resumed.groups)
      log(`resumed ${resumed.referrals} referrals and ${resumed.groups} groups`);
  }
  // The schedules of the template (the daily erasure sweep) on the local clock; each runs once now, too.
  const scheduleRunner = startSchedules({
    schedules: schedules(templates),
    clock,
    invoke: (fnId, event) => engine.invokeFunction(fnId, event),
    log,
  });
  if (options.demoReferrals) await seedDemoReferrals(deps, mailbox, log);
  log(
    `ready at ${url} (mailbox ${url}/dev/mailbox, metrics ${url}/dev/metrics, SMTP 127.0.0.1:${smtpPort}, fast-forward ×${clock.factor})`,
  );

  return {
    url,
    mailbox,
    engine,
    clock,
    wallClock,
    deps,
    metrics,
    dynamoRequests: () => dynamo.requests(),
    harnessDynamoRequests: () => dynamo.harnessRequests(),
    dynamo,
    sweepExpiredItems: () => ttlSweeper?.sweep() ?? Promise.resolve(0),
    schedules: scheduleRunner,
    http,
    tableRequests,
    async stop() {
      stopSavingClock();
      await scheduleRunner.stop();
      await ttlSweeper?.stop();
      await http.stop();
      await engine.stop();
      await mailbox.stop();
      await dynamo.stop();
      provideDependencies(undefined);
    },
  };
}

export { REPO_ROOT };
