/**
 * Runs the synthesized referral ASL with aws-local-stepfunctions, binding each Task to the handler
 * file its Lambda runs (read from the template), and emulates what the library lacks:
 *  - `.waitForTaskToken`: each entry gets a fresh random token; the task waits until
 *    SendTaskSuccess/SendTaskFailure (this class) settles it;
 *  - `$$.Task.Token` / `$$.Execution.*`: supplied through the context option;
 *  - fast-forward: human-step deadlines and Wait states sleep on the FastForwardClock, so they run
 *    `factor` times faster and wake at once when the clock is advanced. (Wait states are run as local
 *    tasks that sleep on that clock; the library's own Wait only knows real milliseconds.)
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { FastForwardClock } from '../../functions/adapters/clock';
import { StepNoLongerOpenError, type GroupResume, type WorkflowEngine } from '../../functions/ports';
import { subjectKeys } from '../../functions/shared/invocation-log';
import type { LogKeys } from '../../functions/shared/log-keys';
import { HandlerSlots } from './handler-slots';
import { REPO_ROOT } from './synth';
import type { ReferralWorkflowDefinition } from './template';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template';

const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
const TIMEOUT_PARAMETER = '__localTimeoutSeconds.$';
const MAX_TIMER_SECONDS = 2_147_483; // setTimeout's limit (~24.8 days)
const WAIT_FOR_TOKEN = /:::lambda:invoke\.waitForTaskToken$/;
const START_EXECUTION = /:::states:startExecution$/;
/** AWS: a Standard execution lives at most one year, and a Wait may last at most a year. */
export const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;
const MAX_CONCURRENT_HANDLERS = 16;
/**
 * Background calls at once while people's requests are answered, and for PEOPLE_GRACE_MS after
 * (handler-slots.ts). Four, not one: with the mail on its own thread the loop has room, and one at a time
 * left it waiting on the table's and the mail's threads (lifecycle bench, 300 referrals: ~60 s → ~49 s;
 * the intake bench's p99 ratio moved within its own round-to-round spread, 0.8–27×).
 */
const HANDLERS_WHILE_PEOPLE_WAIT = 4;
const PEOPLE_GRACE_MS = 50;

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

export interface ExecutionRecord {
  referralId: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: string;
  /**
   * States entered, in order (for tests and the dev pages); a referral continued in a new execution keeps
   * the states of the ones before (its `executions` says how many there were).
   */
  states: string[];
  executions: number;
  /** Every state entered, Pass, Choice and Map iterations included (what Standard workflows bill), in order. */
  path: string[];
}

/** What the engine did since it started: the figures a Step Functions and Lambda bill is made of. */
export interface EngineStats {
  executions: number;
  transitions: number;
  /** Lambda invocations: every handler call, a callback task's included. */
  invocations: number;
  /** Time spent in those handlers (what Lambda bills by, at the function's memory size). */
  handlerMs: number;
}

interface PendingTask {
  referralId: string;
  state: string;
  /** The task's handler has finished: its link holds this token, so an answer can resume it. */
  ready?: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

class CallbackError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface LocalWorkflowOptions {
  /** The synthesized state machines by role: `referral` (one execution per referral) and `group`. */
  definitions: Record<string, ReferralWorkflowDefinition>;
  /** Lambda logical id → handler entry file. */
  handlers: Map<string, string>;
  clock: FastForwardClock;
  /** `keys`: the referral or group the line is about (the runtime's log lines are JSON like the handlers'). */
  log?: (message: string, keys?: LogKeys) => void;
  /** Runs each handler call as work of its own (not counted against the HTTP request that started it). */
  isolate?: <T>(call: () => Promise<T>) => Promise<T>;
}

export class LocalWorkflowEngine implements WorkflowEngine {
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();
  /** Every execution started, a resumed referral's earlier ones included (the bench replays their paths). */
  readonly history: ExecutionRecord[] = [];
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly modules = new Map<string, Promise<LambdaHandler>>();
  private readonly taskStates: Record<
    string,
    { resource: string; functionLogicalId: string; timeoutMs: number }
  > = {};
  private readonly waitStates: Record<string, Record<string, unknown>> = {};
  private readonly retryOverrides: Record<string, number> = {};
  private readonly listeners = new Set<() => void>();
  private readonly topLevel = new Set<string>();
  /** Each machine's top-level TimeoutSeconds, capped at AWS's one year, in ms. */
  private readonly executionTimeoutMs = new Map<string, number>();
  /** StartExecution tasks (a referral continuing in its next execution). */
  private readonly continueStates = new Set<string>();
  /** Input of the execution that continues a referral, once its current one has ended. */
  private readonly continuations = new Map<string, Record<string, unknown>>();
  /** Handler calls running or queued now: while it is above zero the system is not idle. */
  private inFlight = 0;
  /** Lambda's concurrency, locally: people's requests first (see handler-slots.ts). */
  private readonly slots = new HandlerSlots({
    most: MAX_CONCURRENT_HANDLERS,
    whilePeopleWait: HANDLERS_WHILE_PEOPLE_WAIT,
    graceMs: PEOPLE_GRACE_MS,
  });
  readonly stats: EngineStats = { executions: 0, transitions: 0, invocations: 0, handlerMs: 0 };

  constructor(private readonly options: LocalWorkflowOptions) {
    // State names are unique across the machines, so one override table serves them all.
    for (const [role, definition] of Object.entries(options.definitions)) {
      const asl = structuredClone(definition.asl);
      // AWS ends an execution at its TimeoutSeconds, and at a year without one; the library would time it on
      // real milliseconds, so this engine does it on the fast-forward clock instead (see start).
      const timeoutSeconds = typeof asl.TimeoutSeconds === 'number' ? asl.TimeoutSeconds : undefined;
      if (timeoutSeconds !== undefined && timeoutSeconds * 1000 > ONE_YEAR_MS)
        throw new Error(
          `The ${role} state machine's TimeoutSeconds ${timeoutSeconds} is longer than AWS's one year`,
        );
      this.executionTimeoutMs.set(role, timeoutSeconds !== undefined ? timeoutSeconds * 1000 : ONE_YEAR_MS);
      delete asl.TimeoutSeconds;
      this.prepare(asl.States);
      this.machines.set(
        role,
        new StateMachine(asl as never, { validationOptions: { checkArn: false, checkPaths: false } }),
      );
    }
  }

  /** Adapts a copy of the definition (nested Map and Parallel states included) to the local runtime. */
  private prepare(states: Record<string, Record<string, unknown>>, nested = false): void {
    for (const [name, state] of Object.entries(states)) {
      if (!nested) this.topLevel.add(name);
      if (name in this.taskStates || name in this.waitStates)
        throw new Error(`State name ${name} is used twice`);
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as {
          States: Record<string, Record<string, unknown>>;
        };
        this.prepare(processor.States, true);
      }
      if (state.Type === 'Parallel') {
        for (const branch of state.Branches as { States: Record<string, Record<string, unknown>> }[])
          this.prepare(branch.States, true);
      }
      if (state.Type === 'Task' && START_EXECUTION.test(String(state.Resource))) {
        this.continueStates.add(name);
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
        continue;
      }
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        const params = state.Parameters as Record<string, unknown> | undefined;
        const callback = WAIT_FOR_TOKEN.test(resource);
        const fnArn = callback ? String(params?.FunctionName) : resource;
        const logicalId = fnArn.split(':function:')[1]?.split(':')[0];
        if (!logicalId || !this.options.handlers.has(logicalId))
          throw new Error(`Task ${name} has no local handler (${fnArn})`);
        const timeoutSeconds = Number(state.TimeoutSeconds ?? 60);
        this.taskStates[name] = { resource, functionLogicalId: logicalId, timeoutMs: timeoutSeconds * 1000 };
        if (callback) {
          // Human-step deadlines run on the fast-forward clock (see overrides), not on the library's timer.
          // A TimeoutSecondsPath is evaluated like a Parameters path and handed to the override beside Payload.
          if (state.TimeoutSecondsPath) {
            state.Parameters = { ...params, [TIMEOUT_PARAMETER]: state.TimeoutSecondsPath };
            delete state.TimeoutSecondsPath;
          }
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
        } else {
          // A Lambda's own timeout starts when it runs (middy enforces it from the context); a task that
          // queues locally behind others for a free handler slot must not time out for waiting.
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
        }
        if (state.Retry) this.retryOverrides[name] = 100;
      }
      if (state.Type === 'Wait') {
        const { Seconds, SecondsPath, Timestamp, TimestampPath, ...rest } = state;
        if (typeof Seconds === 'number' && Seconds * 1000 > ONE_YEAR_MS)
          throw new Error(`Wait ${name} lasts ${Seconds} s: AWS refuses a Wait longer than a year`);
        this.waitStates[name] = { Seconds, SecondsPath, Timestamp, TimestampPath };
        states[name] = {
          ...rest,
          Type: 'Task',
          Resource: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:LocalWait`,
          // The library gives a Task 60 real seconds by default: a months-long wait (retention) run at a
          // fast-forward of 720 lasts hours, so it needs the longest timer Node has (~24.8 days real).
          TimeoutSeconds: MAX_TIMER_SECONDS,
        };
      }
    }
  }

  private handler(logicalId: string): Promise<LambdaHandler> {
    let loaded = this.modules.get(logicalId);
    if (!loaded) {
      const entry = this.options.handlers.get(logicalId)!;
      loaded = import(pathToFileURL(join(REPO_ROOT, entry)).href).then(
        (m: { handler: LambdaHandler }) => m.handler,
      );
      this.modules.set(logicalId, loaded);
    }
    return loaded;
  }

  /** Calls a handler as Lambda would, counting the invocation and holding `busy` while it runs. */
  private async invoke(logicalId: string, payload: unknown): Promise<unknown> {
    const fn = await this.handler(logicalId);
    this.stats.invocations++;
    this.inFlight++;
    // Like Lambda's concurrency: a handler's 30 s start when it runs, not while it queues behind a thousand
    // others on this one event loop (which made tasks time out under a burst of referrals).
    await this.slots.acquire();
    const started = performance.now();
    try {
      const call = () => fn(payload, this.lambdaContext(logicalId));
      return await (this.options.isolate ? this.options.isolate(call) : call());
    } finally {
      this.slots.release();
      this.inFlight--;
      this.stats.handlerMs += performance.now() - started;
    }
  }

  /** A person's request is being answered (the HTTP server says): background calls yield to it. */
  personArrives(): void {
    this.slots.personArrives();
  }

  personLeaves(): void {
    this.slots.personLeaves();
  }

  /**
   * Invokes a function as Lambda would, outside any execution (what a schedule does): the same handler
   * binding, invocation count and `busy` accounting as a task.
   */
  invokeFunction(logicalId: string, event: unknown): Promise<unknown> {
    if (!this.options.handlers.has(logicalId)) throw new Error(`Function ${logicalId} has no local handler`);
    return this.invoke(logicalId, event);
  }

  /** Executions not yet ended (waiting or working). */
  get runningExecutions(): number {
    return this.running.size;
  }

  /** Handlers running now (0 when every execution waits for a person or for time). */
  get busy(): number {
    return this.inFlight;
  }

  private lambdaContext(logicalId: string) {
    return {
      functionName: logicalId,
      awsRequestId: randomBytes(8).toString('hex'),
      getRemainingTimeInMillis: () => 30_000,
      callbackWaitsForEmptyEventLoop: false,
    };
  }

  private overrides(referralId: string, record: ExecutionRecord, abort: AbortSignal) {
    const out: Record<string, (input: unknown) => Promise<unknown>> = {};
    // The library's Map runs its queued iterations even after one has failed the Map (p-limit keeps going
    // after Promise.all has rejected): a failed group's later meetings would go on in the background of the
    // retry's execution. Step Functions stops them with the Map, so here a state of an execution that has
    // ended does nothing; a wait that outlives its execution wakes and stops (see start's `finally`).
    const stillRunning = (state: string) => {
      if (record.status !== 'RUNNING') throw new Error(`${state}: the execution ${referralId} has ended`);
    };
    for (const state of this.continueStates) {
      // StartExecution of the next execution: it starts when this one has ended, as the name is the referral's.
      out[state] = async (input: unknown) => {
        this.entered(referralId, state, record);
        const { Name, Input } = input as { Name: string; Input: Record<string, unknown> };
        if (!this.continuations.has(referralId)) this.continuations.set(referralId, Input);
        return { ExecutionArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:referral:${Name}` };
      };
    }
    for (const [state, spec] of Object.entries(this.waitStates)) {
      out[state] = async (input: unknown) => {
        stillRunning(state);
        this.entered(referralId, state, record);
        this.notify();
        await this.options.clock.sleepUntil(waitUntilInstant(spec, input, this.options.clock.now()), abort);
        stillRunning(state);
        return input;
      };
    }
    for (const [state, spec] of Object.entries(this.taskStates)) {
      out[state] = async (input: unknown) => {
        stillRunning(state);
        this.entered(referralId, state, record);
        this.notify();
        if (!WAIT_FOR_TOKEN.test(spec.resource)) return this.invoke(spec.functionLogicalId, input);
        const token = randomBytes(48).toString('base64url');
        const payload = JSON.parse(
          JSON.stringify((input as { Payload: unknown }).Payload).replaceAll(TOKEN_PLACEHOLDER, token),
        );
        const dynamicSeconds = (input as Record<string, unknown>)[TIMEOUT_PARAMETER.replace(/\.\$$/, '')];
        const timeoutMs = typeof dynamicSeconds === 'number' ? dynamicSeconds * 1000 : spec.timeoutMs;
        const deadline = new Date(this.options.clock.now().getTime() + timeoutMs);
        const stopDeadline = new AbortController();
        let timedOut = () => {};
        const answered = new Promise<unknown>((resolve, reject) => {
          this.pending.set(token, {
            referralId,
            state,
            resolve: (v) => (stopDeadline.abort(), resolve(v)),
            reject: (e) => (stopDeadline.abort(), reject(e)),
          });
          timedOut = () => {
            if (this.forget(token)) reject(new CallbackError('States.Timeout', `${state} timed out`));
          };
        });
        // The library attaches its handler when we return.
        answered.catch(() => {});
        try {
          await this.invoke(spec.functionLogicalId, payload);
        } catch (error) {
          this.forget(token);
          throw error;
        }
        // The deadline counts from the task's start, but is looked at once the entering function has
        // returned: the fast-forward clock may jump days while a function runs, which in AWS takes seconds,
        // and a wait whose entry replays a recorded answer (ANSWER_REPLAY_SECONDS, longer than a function
        // may run) must not time out under it. A deadline that passed meanwhile fires at once.
        this.options.clock.sleepUntil(deadline, stopDeadline.signal).then(timedOut, () => {});
        const task = this.pending.get(token);
        if (task) task.ready = true;
        this.notify();
        return answered;
      };
    }
    return out;
  }

  /**
   * Top-level states run one at a time, so when one starts, any wait still registered for the execution
   * belongs to a branch that has ended (a Map whose other iteration failed): Step Functions would have
   * stopped it, so its token stops working here too.
   */
  private entered(referralId: string, state: string, record: ExecutionRecord): void {
    record.states.push(state);
    if (this.topLevel.has(state))
      for (const [token, task] of this.pending) if (task.referralId === referralId) this.forget(token);
  }

  private forget(token: string): PendingTask | undefined {
    const task = this.pending.get(token);
    if (task) this.pending.delete(token);
    return task;
  }

  async startReferral(referralId: string): Promise<void> {
    await this.start('referral', referralId, { referralId });
  }

  /** Locally the execution keeps the referral's name; a new one may start once the last has stopped. */
  async resumeReferral(
    referralId: string,
    phase: string,
    _attempt?: number,
    outcome?: string,
  ): Promise<void> {
    if (this.executions.get(referralId)?.status === 'RUNNING')
      throw new Error(`${referralId} is still running`);
    this.executions.delete(referralId);
    await this.start('referral', referralId, {
      referralId,
      resumeAt: phase,
      ...(outcome ? { closing: { outcome } } : {}),
    });
  }

  async startGroup(groupId: string): Promise<void> {
    await this.start('group', groupId, { groupId });
  }

  /** As resumeReferral: locally the retry keeps the group's name, once its failed execution has stopped. */
  async resumeGroup(groupId: string, resume: GroupResume, _attempt?: number): Promise<void> {
    if (this.executions.get(groupId)?.status === 'RUNNING') throw new Error(`${groupId} is still running`);
    this.executions.delete(groupId);
    await this.start('group', groupId, { groupId, ...resume });
  }

  private async start(
    role: string,
    referralId: string,
    input: Record<string, unknown>,
    before?: ExecutionRecord,
  ): Promise<void> {
    if (this.executions.has(referralId)) return; // same name → same execution, as in Step Functions
    const machine = this.machines.get(role);
    if (!machine) throw new Error(`No ${role} state machine in the synthesized template`);
    const startedAt = new Date().toISOString();
    const record: ExecutionRecord = {
      referralId,
      status: 'RUNNING',
      startedAt,
      states: [...(before?.states ?? [])],
      path: [],
      executions: (before?.executions ?? 0) + 1,
    };
    this.stats.executions++;
    this.history.push(record);
    this.executions.set(referralId, record);
    const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${role}:${referralId}`;
    const aborted = new AbortController();
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.overrides(referralId, record, aborted.signal) as never,
        retryIntervalOverrides: this.retryOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: referralId, Input: input, StartTime: startedAt },
        StateMachine: { Id: `local:${role}`, Name: role },
        Task: { Token: TOKEN_PLACEHOLDER },
      } as never,
    });
    // The library queues every event until read: reading them keeps memory flat and counts transitions.
    void (async () => {
      for await (const event of execution.eventLogs)
        if (event.type === 'StateEntered') {
          record.path.push(event.state.name);
          this.stats.transitions++;
        }
    })().catch(() => {});
    // The execution's own timeout, on the fast-forward clock: like AWS, it stops whatever the execution does.
    const timeLimit = new AbortController();
    let timedOut = false;
    const limitAt = new Date(this.options.clock.now().getTime() + this.executionTimeoutMs.get(role)!);
    this.options.clock.sleepUntil(limitAt, timeLimit.signal).then(
      () => {
        if (record.status !== 'RUNNING') return;
        timedOut = true;
        aborted.abort();
        execution.abort();
      },
      () => {},
    );
    const done = execution.result
      .then((output: unknown) => {
        record.status = 'SUCCEEDED';
        record.output = output;
      })
      .catch((error: Error) => {
        record.status = timedOut
          ? 'TIMED_OUT'
          : error?.name === 'ExecutionAbortedError'
            ? 'ABORTED'
            : 'FAILED';
        record.error = timedOut ? 'States.Timeout' : (error?.name ?? String(error));
      })
      .finally(() => {
        timeLimit.abort();
        aborted.abort(); // waits of iterations left behind by a failed Map wake and stop (see overrides)
        record.stoppedAt = new Date().toISOString();
        this.running.delete(referralId);
        for (const [token, task] of this.pending) if (task.referralId === referralId) this.forget(token);
        this.options.log?.(`execution ${record.status}`, subjectKeys(referralId));
        const next = this.continuations.get(referralId);
        this.continuations.delete(referralId);
        if (next && record.status === 'SUCCEEDED') {
          this.executions.delete(referralId);
          this.start(role, referralId, next, record).catch((error: Error) =>
            this.options.log?.(`continuing failed: ${error.message}`, subjectKeys(referralId)),
          );
        }
        this.notify();
      });
    this.running.set(referralId, { abort: () => (aborted.abort(), execution.abort()), done });
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, string>): Promise<void> {
    const task = this.forget(taskToken);
    if (!task) throw new StepNoLongerOpenError('Task token is not waiting');
    task.resolve(JSON.parse(JSON.stringify(output)));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    const task = this.forget(taskToken);
    if (!task) throw new StepNoLongerOpenError('Task token is not waiting');
    task.reject(new CallbackError(error, cause));
  }

  execution(referralId: string): ExecutionRecord | undefined {
    return this.executions.get(referralId);
  }

  /** The state a referral's execution is waiting in, if it waits for a person. */
  /** The state a referral waits in, once its handler has bound the wait to the step's link. */
  waitingState(referralId: string): string | undefined {
    for (const task of this.pending.values())
      if (task.referralId === referralId && task.ready) return task.state;
    return undefined;
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Resolves when `predicate` holds for the referral's execution (checked on every state change). */
  waitUntil(
    referralId: string,
    predicate: (e: ExecutionRecord | undefined, waitingIn?: string) => boolean,
    timeoutMs = 30_000,
  ): Promise<ExecutionRecord | undefined> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const e = this.executions.get(referralId);
        if (predicate(e, this.waitingState(referralId))) {
          this.listeners.delete(check);
          clearTimeout(timer);
          resolve(e);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        const e = this.executions.get(referralId);
        reject(
          new Error(
            `Execution ${referralId} did not reach the expected state in ${timeoutMs} ms (status ${e?.status}, states ${e?.states.join(' → ')})`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Stops one execution as a crash would (tests of resume). */
  async kill(name: string): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    running.abort();
    await running.done;
  }

  async stop(): Promise<void> {
    // Settle every wait for a person, or its long timer would keep the process alive.
    for (const [token, task] of this.pending) {
      this.forget(token);
      task.reject(new CallbackError('States.Runtime', 'local runtime stopped'));
    }
    for (const { abort } of this.running.values()) abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }
}

/** A Wait state's wake-up instant from Seconds, SecondsPath, Timestamp or TimestampPath (simple `$.a.b` paths). */
export function waitUntilInstant(spec: Record<string, unknown>, input: unknown, now: Date): Date {
  const at = (path: unknown) =>
    String(path)
      .replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], input);
  if (typeof spec.Seconds === 'number') return new Date(now.getTime() + spec.Seconds * 1000);
  if (spec.SecondsPath) return new Date(now.getTime() + Number(at(spec.SecondsPath)) * 1000);
  if (spec.Timestamp) return new Date(String(spec.Timestamp));
  if (spec.TimestampPath) return new Date(String(at(spec.TimestampPath)));
  throw new Error('Wait state without a duration');
}
