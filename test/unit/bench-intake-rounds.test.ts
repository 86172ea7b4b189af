/** The intake bench's rounds: the median round is picked by value, and failures of every round are counted. */
import { expect, it } from 'vitest';
import type autocannon from 'autocannon';
import { medianIndex, mergedRuns } from '../../bench/intake-latency';

it('picks the round whose value is the median (the lower middle of an even count)', () => {
  expect(medianIndex([8.47, 2.08, 1.38])).toBe(1);
  expect(medianIndex([1.38, 8.47, 2.08])).toBe(2);
  expect(medianIndex([3])).toBe(0);
  expect(medianIndex([5, 1, 4, 2])).toBe(3);
});

it('merges runs: sums the failures, status codes, requests and receipts of every round', () => {
  const run = (non2xx: number, codes: Record<string, number>, refs: string[]) => ({
    result: {
      non2xx,
      '5xx': non2xx ? 1 : 0,
      errors: 0,
      timeouts: 0,
      requests: { sent: refs.length, total: refs.length },
      statusCodeStats: Object.fromEntries(Object.entries(codes).map(([c, count]) => [c, { count }])),
      latency: { p99: 1 },
    } as unknown as autocannon.Result,
    errorKinds: new Map(non2xx ? [['ECONNRESET', 1]] : []),
    references: new Set(refs),
  });
  const merged = mergedRuns([run(0, { 201: 2 }, ['a', 'b']), run(1, { 201: 1, 500: 1 }, ['c', 'd'])]);
  expect(merged.result.non2xx).toBe(1);
  expect(merged.result['5xx']).toBe(1);
  expect(merged.result.requests.sent).toBe(4);
  expect(merged.result.statusCodeStats).toEqual({ 201: { count: 3 }, 500: { count: 1 } });
  expect([...merged.errorKinds]).toEqual([['ECONNRESET', 1]]);
  expect([...merged.references].sort()).toEqual(['a', 'b', 'c', 'd']);
});
