/**
 * `npm run bench`: every benchmark, one table on stdout, the same rows as JSON in bench/results/.
 * BENCH_QUICK=1 runs small sizes (a smoke run); BENCH_ONLY=lifecycle,placement picks benchmarks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../infra/local/synth';
import { bundles } from './bundles';
import { intakeLatency } from './intake-latency';
import { lifecycle } from './lifecycle';
import { placement } from './placement';
import { routes } from './routes';
import type { Benchmark, BenchRow } from './types';

const BENCHMARKS: [string, Benchmark][] = [
  ['lifecycle', lifecycle],
  ['intake', intakeLatency as Benchmark],
  ['bundles', bundles],
  ['placement', placement],
  ['routes', routes],
];

const quick = !!process.env.BENCH_QUICK;
const only = process.env.BENCH_ONLY?.split(',');
const log = (m: string) => console.error(`[bench] ${m}`);
const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};

const rows: BenchRow[] = [];
const timings: Record<string, number> = {};
for (const [name, bench] of BENCHMARKS) {
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  log(`${name}…`);
  rows.push(...(await bench({ quick, log })));
  timings[name] = Math.round((performance.now() - started) / 1000);
  log(`${name} done in ${timings[name]} s`);
}

const cell = (v: unknown) => (v === undefined ? '' : typeof v === 'number' ? String(v) : String(v));
const columns: [string, (r: BenchRow) => string][] = [
  ['bench', (r) => r.bench],
  ['metric', (r) => r.metric],
  ['value', (r) => `${cell(r.value)}${r.unit ? ` ${r.unit}` : ''}`],
  ['baseline', (r) => cell(r.baseline)],
  ['ratio', (r) => cell(r.ratio)],
  ['note', (r) => r.note ?? ''],
];
const widths = columns.map(([h, f]) => Math.max(h.length, ...rows.map((r) => f(r).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(
  `\nBenchmarks (${quick ? 'quick' : 'full'} run) on ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
console.log(line(columns.map(([h]) => h)));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(columns.map(([, f]) => f(r))));
console.log(`\nSeconds per benchmark: ${JSON.stringify(timings)}`);

const dir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(
  dir,
  `bench-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`,
);
const json = JSON.stringify({ at: new Date().toISOString(), quick, machine, timings, rows }, null, 2);
writeFileSync(file, json);
console.log(`JSON: ${file}`);
// The newest full run (every benchmark, full sizes) is also latest.json, the file figures are quoted from;
// a partial run (BENCH_QUICK, BENCH_ONLY, BENCH_REFERRALS) never replaces it.
if (!quick && !only && !process.env.BENCH_REFERRALS) {
  writeFileSync(join(dir, 'latest.json'), json);
  console.log(`JSON: ${join(dir, 'latest.json')} (the newest full run)`);
}
// Timers of aws-local-stepfunctions may outlive a stopped system; the run is over.
process.exit(0);
