/** What each benchmark returns to `bench/run.ts`, which prints one table and writes it as JSON. */
export interface BenchRow {
  /** Which benchmark (e.g. "lifecycle", "intake latency", "bundle: intake"). */
  bench: string;
  /** What was measured, in words (e.g. "p99 latency"). */
  metric: string;
  value: number | string;
  /** Unit of `value` (ms, s, KB, /s, %, USD …), empty when it has none. */
  unit: string;
  /** The comparison figure, where the benchmark has one (bare engine, SDK-only bundle, baseline planner). */
  baseline?: number | string;
  /** value ÷ baseline, where both are numbers and the ratio means something. */
  ratio?: number;
  note?: string;
}

export interface BenchOptions {
  /** Smaller sizes for a smoke run in tests (`BENCH_QUICK=1`). */
  quick: boolean;
  log: (message: string) => void;
}

export type Benchmark = (options: BenchOptions) => Promise<BenchRow[]>;
