/** The sequential depth of a handler's table requests (infra/local/table-requests.ts). */
import { describe, expect, it } from 'vitest';
import { sequentialRoundTrips } from '../../infra/local/table-requests';

const r = (start: number, end: number) => ({ start, end });

describe('sequential round trips', () => {
  it('counts requests one after another, and requests that overlap as one', () => {
    expect(sequentialRoundTrips([])).toBe(0);
    expect(sequentialRoundTrips([r(0, 1), r(1, 2), r(2, 3)])).toBe(3);
    expect(sequentialRoundTrips([r(0, 5), r(1, 4), r(2, 6)])).toBe(1);
  });

  it('is the longest chain: two parallel reads, then a write after both', () => {
    expect(sequentialRoundTrips([r(0, 3), r(0, 1), r(4, 5)])).toBe(2);
    // A short read, a read after it that overlaps the long one, and a write after all.
    expect(sequentialRoundTrips([r(0, 10), r(0, 1), r(2, 3), r(11, 12)])).toBe(3);
  });
});
