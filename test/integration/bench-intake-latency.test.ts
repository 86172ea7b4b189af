/**
 * Benchmark 2 in small, in two rounds: every POST of both is a 201, every one is stored, the counts are of
 * both rounds, and the latency figures are sane.
 */
import { describe, expect, it } from 'vitest';
import { intakeLatency } from '../../bench/intake-latency';
import type { BenchRow } from '../../bench/types';

describe('bench: intake latency (quick)', () => {
  it('2 × 150 distinct referrals at 100 connections: all 201, all stored, p99 ≥ p50 > 0', async () => {
    const rows = await intakeLatency({ quick: true, requests: 150, rounds: 2, warmup: 20, log: () => {} });
    const row = (bench: string, metric: string): BenchRow => {
      const found = rows.find((r) => r.bench === bench && r.metric === metric);
      if (!found) throw new Error(`no row ${bench} / ${metric}`);
      return found;
    };
    const intake = (metric: string) => row('intake latency', metric);
    const page = (metric: string) => row('intake latency: GET / (reference)', metric);

    expect(intake('non-2xx responses').value).toBe(0);
    expect(intake('non-2xx responses').note).toContain('201×300');
    expect(intake('5xx responses').value).toBe(0);
    expect(intake('connection errors (refused, reset, timeout)').value).toBe(0);
    const stored = intake('referrals stored / requests sent');
    expect(stored.baseline).toBe(300);
    expect(stored.value).toBe(300);
    expect(stored.note).toContain('300 distinct reference codes');
    expect(intake('workflow executions started').value).toBe(300);
    // The latency rows are one round's (the median by p99 ratio), and the note shows both.
    expect(intake('p99 latency').note).toMatch(/median of 2 \(ratios [\d.]+, [\d.]+;/);
    expect(page('non-2xx responses').note).toContain('200×300');
    expect(intake('workflow executions failed after the burst').value).toBe(0);

    for (const latency of [intake, page]) {
      const p50 = latency('p50 latency').value as number;
      const p99 = latency('p99 latency').value as number;
      expect(p50).toBeGreaterThan(0);
      expect(p99).toBeGreaterThanOrEqual(p50);
      expect(latency('max latency').value as number).toBeGreaterThanOrEqual(p99);
      expect(latency('requests per second').value as number).toBeGreaterThan(0);
    }
    expect(page('non-2xx responses').value).toBe(0);
    expect(page('connection errors (refused, reset, timeout)').value).toBe(0);
    expect(intake('p50 latency').baseline).toBe(page('p50 latency').value);
    expect(intake('p99 latency').ratio).toBeGreaterThan(0);
    // The server's own view of the same round: its handling time stays within the client's latency, and
    // every one of the round's 100 connections was seen being accepted.
    const handling = intake('p99 request handling in the server');
    expect(handling.value as number).toBeGreaterThan(0);
    expect(handling.value as number).toBeLessThanOrEqual(intake('max latency').value as number);
    expect(handling.baseline as number).toBeGreaterThan(0);
    const accepted = intake('last connection accepted after the run began');
    expect(accepted.value as number).toBeGreaterThanOrEqual(0);
    expect(accepted.note).toMatch(/^100 connections opened at once/);
    // The load generator runs in a process of its own, not the server's.
    const pids = /process \(pid (\d+)\); autocannon runs in another \(pid (\d+)\)/.exec(
      String(intake('p50 latency').note),
    );
    expect(Number(pids?.[1])).toBe(process.pid);
    expect(Number(pids?.[2])).toBeGreaterThan(0);
    expect(pids?.[2]).not.toBe(pids?.[1]);
  }, 120_000);
});
