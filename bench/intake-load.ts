/**
 * The intake benchmark's load generator, in a process of its own (`fork`ed by bench/intake-latency.ts):
 * autocannon inside the server's process took the server's CPU (it alone pushed `GET /` p99 from ~0.4 s to
 * 5.5 s). Each message is one autocannon run; the answer is its result, its connection errors by kind and,
 * for POST /referrals, the reference codes of the receipts. Form bodies are built here, each a distinct
 * child, continuing across runs so warm-up and measured runs never repeat one.
 */
import autocannon from 'autocannon';
import { identityNumberFor, referralForm } from '../test/support/local';

export interface LoadRun {
  url: string;
  connections: number;
  amount: number;
  timeout: number;
  /** 'page': GET /; 'referrals': POST /referrals with distinct valid forms. */
  target: 'page' | 'referrals';
  /** The system's date (ISO): the children's ages are counted from it. */
  today: string;
  district: string;
}

export interface LoadResult {
  result: autocannon.Result;
  /** Connection-level errors by code or message (refused, reset, timeout). */
  errorKinds: [string, number][];
  /** Receipts answered with a reference code (POST only). */
  references: string[];
}

/** Valid identity numbers of distinct children aged 9–17 today: birth dates × serials never repeat. */
export function childIdentities(today: Date): () => string {
  const thisYear = today.getUTCFullYear();
  let i = 0;
  return () => {
    const n = i++;
    const year = thisYear - 17 + (n % 9); // born 17 … 9 years ago: 8–17 years old on any day of the year
    const month = 1 + (Math.floor(n / 9) % 12);
    const day = 1 + (Math.floor(n / 108) % 28);
    const serial = 1 + (Math.floor(n / 3024) % 999);
    const yymmdd = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    return identityNumberFor(yymmdd, serial);
  };
}

/** Bodies of valid forms, each with a new idempotency key and a child no earlier body named. */
function formBodies(today: Date, district: string): () => string {
  const nextIdentity = childIdentities(today);
  let n = 0;
  return () => {
    n++;
    const form = referralForm({
      district,
      identityNumber: nextIdentity(),
      custodian1Email: `bench${n}@example.org`,
    });
    return new URLSearchParams(form).toString();
  };
}

let nextBody: (() => string) | undefined;

export function load(run: LoadRun): Promise<LoadResult> {
  const errorKinds = new Map<string, number>();
  const references = new Set<string>();
  nextBody ??= formBodies(new Date(run.today), run.district);
  const body = nextBody;
  const requests: autocannon.Request[] | undefined =
    run.target === 'referrals'
      ? [
          {
            method: 'POST',
            path: '/referrals',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            setupRequest: (request) => ({ ...request, body: body() }),
            onResponse: (status, text) => {
              const m =
                status === 201 ? /data-testid="reference">(R-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(text) : null;
              if (m) references.add(m[1]!);
            },
          },
        ]
      : undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: run.url,
        connections: run.connections,
        amount: run.amount,
        timeout: run.timeout,
        ...(requests ? { requests } : {}),
      },
      (error: unknown, result) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve({ result, errorKinds: [...errorKinds], references: [...references] });
      },
    );
    instance.on('reqError', (error: { code?: string; message?: string }) => {
      const kind = error?.code ?? error?.message ?? 'unknown';
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
    });
  });
}

/** The argument bench/intake-latency.ts forks this file with; imported anywhere else, it does nothing. */
export const LOAD_PROCESS_ARGUMENT = '--intake-load-process';

// Run as the forked process: one run per message, answered in order.
if (process.send && process.argv.includes(LOAD_PROCESS_ARGUMENT)) {
  process.on('message', (run: LoadRun) => {
    load(run).then(
      (answer) => process.send!({ answer }),
      (error: Error) => process.send!({ error: error.message }),
    );
  });
  process.send({ ready: process.pid });
}
