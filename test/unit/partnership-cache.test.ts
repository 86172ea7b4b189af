/**
 * The partnership cached per container (functions/adapters/partnership-cache.ts): one table read per
 * expiry period, a change through the same store seen at once, a change from elsewhere seen after the
 * expiry, and the whole store contract still holding through the wrapper.
 */
import { describe, expect, it } from 'vitest';
import { cachePartnerships } from '../../functions/adapters/partnership-cache';
import { PARTNERSHIP_CACHE_SECONDS } from '../../functions/shared/config';
import { MemoryReferralStore } from '../fakes/memory-store';
import { STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';
import { storeContract } from './store.contract';

storeContract('MemoryReferralStore with its partnerships cached', async () => {
  const store = new MemoryReferralStore();
  return {
    store: cachePartnerships(store),
    rawItem: (key) => store.rawItem(key),
    putRawItem: (item) => store.putRawItem(item),
  };
});

/** A store whose partnership reads are counted, and a clock the test moves. */
async function counted() {
  const table = new MemoryReferralStore();
  await table.putPartnership(STOCKHOLM_PARTNERSHIP);
  let reads = 0;
  const read = table.getPartnership.bind(table);
  table.getPartnership = (id) => (reads++, read(id));
  let now = 1_000_000;
  const store = cachePartnerships(table, { now: () => now });
  return { table, store, reads: () => reads, advance: (ms: number) => (now += ms) };
}

describe('the partnership cache', () => {
  it('reads the table once per expiry period, concurrent readers included', async () => {
    const { store, reads, advance } = await counted();
    await Promise.all([store.getPartnership('stockholm-bris'), store.getPartnership('stockholm-bris')]);
    advance(PARTNERSHIP_CACHE_SECONDS * 1000 - 1);
    expect((await store.getPartnership('stockholm-bris'))?.id).toBe('stockholm-bris');
    expect(reads()).toBe(1);
    advance(1);
    await store.getPartnership('stockholm-bris');
    expect(reads()).toBe(2);
  });

  it('shows a change written through the same store at once, one written elsewhere after the expiry', async () => {
    const { table, store, advance } = await counted();
    await store.getPartnership('stockholm-bris');
    await store.putPartnership({ ...STOCKHOLM_PARTNERSHIP, periodEnd: '2030-12-31' });
    expect((await store.getPartnership('stockholm-bris'))?.periodEnd).toBe('2030-12-31');

    // Another process (the partnership CLI against the table): up to the expiry, then the new settings.
    await table.putPartnership({ ...STOCKHOLM_PARTNERSHIP, periodEnd: '2031-12-31' });
    expect((await store.getPartnership('stockholm-bris'))?.periodEnd).toBe('2030-12-31');
    store.forgetPartnerships();
    expect((await store.getPartnership('stockholm-bris'))?.periodEnd).toBe('2031-12-31');
    await table.putPartnership({ ...STOCKHOLM_PARTNERSHIP, periodEnd: '2032-12-31' });
    advance(PARTNERSHIP_CACHE_SECONDS * 1000);
    expect((await store.getPartnership('stockholm-bris'))?.periodEnd).toBe('2032-12-31');
  });

  it('gives no reader a way to change what the next reads, and does not keep a failed read', async () => {
    const { table, store, reads } = await counted();
    const first = (await store.getPartnership('stockholm-bris'))!;
    expect(() => (first.districts.length = 0)).toThrow(TypeError);
    expect(() => (first.groups.grouping.minGroupSize = 1)).toThrow(TypeError);
    expect(() => first.staff.push(first.staff[0]!)).toThrow(TypeError);
    expect((await store.getPartnership('stockholm-bris'))!.districts.length).toBeGreaterThan(0);

    store.forgetPartnerships();
    const read = table.getPartnership;
    table.getPartnership = () => Promise.reject(new Error('throttled'));
    await expect(store.getPartnership('stockholm-bris')).rejects.toThrow('throttled');
    table.getPartnership = read;
    expect((await store.getPartnership('stockholm-bris'))?.id).toBe('stockholm-bris');
    expect(reads()).toBe(2);
  });
});
