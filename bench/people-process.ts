/**
 * The lifecycle bench's simulated people (infra/local/simulated-people.ts) in a process of their own. They
 * only ever talk to the system over HTTP (the form, the links in their emails, /dev/mailbox.json and the
 * clock), so in the system's process they were load the system was charged for: their fetch calls, HTML
 * reading and mailbox polling were ~8 % of the main thread under the bench's load. People sit at their
 * own computers; so does the load generator of the intake bench (bench/intake-load.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SimulatedPeople, type PeopleStats, type Plan } from '../infra/local/simulated-people';

/** The argument this file is forked with; imported anywhere else, it does nothing. */
export const PEOPLE_PROCESS_ARGUMENT = '--simulated-people-process';

interface Referral {
  plan: Plan;
  n: number;
  cohort?: { district: string; age: number };
}

type Command =
  | { id: number; refer: Referral }
  | { id: number; runUntil: 'all-closed' | 'workflows-end'; timeoutMs: number }
  | { id: number; report: true };

interface Report {
  outcomes: [string, { plan: Plan; outcome?: string }][];
  stats: PeopleStats;
}

/** The same calls as SimulatedPeople's that the bench makes, answered by the people's process. */
export interface PeopleProcess {
  pid: number;
  refer(plan: Plan, n: number, cohort?: { district: string; age: number }): Promise<string>;
  runUntilAllClosed(timeoutMs: number): Promise<void>;
  runUntilWorkflowsEnd(timeoutMs: number): Promise<void>;
  report(): Promise<{ outcomes: Map<string, { plan: Plan; outcome?: string }>; stats: PeopleStats }>;
  stop(): void;
}

export async function startPeopleProcess(baseUrl: string, log: (m: string) => void): Promise<PeopleProcess> {
  const child = fork(fileURLToPath(import.meta.url), [PEOPLE_PROCESS_ARGUMENT, baseUrl], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let exited: Error | undefined;
  const ready = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => {
      exited = new Error(`the simulated people's process exited (${code})`);
      reject(exited);
      for (const w of waiting.values()) w.reject(exited);
      waiting.clear();
    });
    child.on(
      'message',
      (m: { ready?: number; id?: number; answer?: unknown; error?: string; log?: string }) => {
        if (m.ready) return resolve(m.ready);
        if (m.log !== undefined) return log(m.log);
        const w = waiting.get(m.id!);
        waiting.delete(m.id!);
        if (m.error !== undefined) w?.reject(new Error(m.error));
        else w?.resolve(m.answer);
      },
    );
  });
  const pid = await ready;
  const ask = <T>(command: Omit<Command, 'id'>) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const id = ++nextId;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ ...command, id });
    });
  return {
    pid,
    refer: (plan, n, cohort) => ask<string>({ refer: { plan, n, cohort } }),
    runUntilAllClosed: (timeoutMs) => ask<void>({ runUntil: 'all-closed', timeoutMs }),
    runUntilWorkflowsEnd: (timeoutMs) => ask<void>({ runUntil: 'workflows-end', timeoutMs }),
    async report() {
      const { outcomes, stats } = await ask<Report>({ report: true });
      return { outcomes: new Map(outcomes), stats };
    },
    stop: () => void child.kill(),
  };
}

// Run as the forked process: the people, answering the bench's commands over IPC.
if (process.send && process.argv.includes(PEOPLE_PROCESS_ARGUMENT)) {
  const baseUrl = process.argv[process.argv.indexOf(PEOPLE_PROCESS_ARGUMENT) + 1]!;
  const send = (m: unknown) => process.send!(m);
  const people = new SimulatedPeople({ baseUrl, log: (line) => send({ log: line }) });
  const answer = async (command: Command): Promise<unknown> => {
    if ('refer' in command) {
      const { plan, n, cohort } = command.refer;
      return people.refer(plan, n, cohort);
    }
    if ('runUntil' in command)
      return command.runUntil === 'all-closed'
        ? people.runUntilAllClosed(command.timeoutMs)
        : people.runUntilWorkflowsEnd(command.timeoutMs);
    return { outcomes: [...people.outcomes()], stats: people.stats } satisfies Report;
  };
  process.on('message', (command: Command) => {
    answer(command).then(
      (result) => send({ id: command.id, answer: result }),
      (error: Error) => send({ id: command.id, error: error.message }),
    );
  });
  send({ ready: process.pid });
}
