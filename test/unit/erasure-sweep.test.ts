/**
 * The daily erasure sweep (functions/use-cases/erasure-sweep.ts) on an in-memory due-erasure index: it
 * erases what is due and nothing else, leaves a failed erasure due for the next sweep while the others
 * go on, and a second sweep changes nothing more.
 */
import { describe, expect, it } from 'vitest';
import type { Dependencies, DueErasure, ReferralStore } from '../../functions/ports';
import { eraseDueReferrals } from '../../functions/phases/closure/erasure-sweep';

/** The store's due-erasure index, kept the way the DynamoDB adapter keys it (eraseAt#referralId). */
class FakeErasureIndex implements Pick<
  ReferralStore,
  'putDueErasure' | 'listDueErasures' | 'removeDueErasure'
> {
  readonly items = new Map<string, DueErasure>();
  queries = 0;
  private readonly sk = (d: DueErasure) => `${d.eraseAt}#${d.referralId}`;
  async putDueErasure(due: DueErasure) {
    if (!this.items.has(this.sk(due))) this.items.set(this.sk(due), { ...due });
  }
  async listDueErasures(dueBy: string, page: { limit: number; after?: DueErasure }) {
    this.queries++;
    return [...this.items.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .filter(([sk]) => sk <= `${dueBy}#~` && (!page.after || sk > this.sk(page.after)))
      .slice(0, page.limit)
      .map(([, d]) => ({ ...d }));
  }
  async removeDueErasure(due: DueErasure) {
    this.items.delete(this.sk(due));
  }
}

function setUp(now: string) {
  const index = new FakeErasureIndex();
  const errors: Record<string, unknown>[] = [];
  const deps = {
    store: index as unknown as ReferralStore,
    clock: { now: () => new Date(now) },
    log: {
      info: () => {},
      warn: () => {},
      error: (_m: string, f?: Record<string, unknown>) => errors.push(f ?? {}),
    },
  } as unknown as Dependencies;
  const erased: string[] = [];
  const failing = new Set<string>();
  const erase = async (referralId: string) => {
    if (failing.has(referralId)) throw Object.assign(new Error('throttled'), { name: 'Referral.Transient' });
    erased.push(referralId);
  };
  return { index, deps, erased, failing, erase, errors };
}

const NOW = '2027-03-10T02:00:00.000Z';

describe('eraseDueReferrals', () => {
  it('erases what is due (eraseAt at or before now), removes its record, and leaves what is not yet due', async () => {
    const t = setUp(NOW);
    await t.index.putDueErasure({ referralId: 'R-AAAA-0001', eraseAt: '2027-03-09T10:00:00.000Z' });
    await t.index.putDueErasure({ referralId: 'R-AAAA-0002', eraseAt: NOW }); // due this very instant
    await t.index.putDueErasure({ referralId: 'R-AAAA-0003', eraseAt: '2027-03-10T02:00:00.001Z' });
    await t.index.putDueErasure({ referralId: 'R-AAAA-0004', eraseAt: '2028-01-01T00:00:00.000Z' });

    const result = await eraseDueReferrals(t.deps, { erase: t.erase });

    expect(result).toEqual({ erased: 2, failed: 0, stoppedEarly: false });
    expect(t.erased).toEqual(['R-AAAA-0001', 'R-AAAA-0002']);
    expect([...t.index.items.values()].map((d) => d.referralId)).toEqual(['R-AAAA-0003', 'R-AAAA-0004']);
  });

  it('one failing erasure is logged and stays due; the others, on later pages too, are erased', async () => {
    const t = setUp(NOW);
    const ids = Array.from({ length: 7 }, (_, i) => `R-BBBB-000${i}`);
    for (const [i, referralId] of ids.entries())
      await t.index.putDueErasure({ referralId, eraseAt: `2027-03-0${i + 1}T12:00:00.000Z` });
    t.failing.add('R-BBBB-0002');

    const result = await eraseDueReferrals(t.deps, { erase: t.erase, pageSize: 3 });

    expect(result).toEqual({ erased: 6, failed: 1, stoppedEarly: false });
    expect(t.erased).toEqual(ids.filter((id) => id !== 'R-BBBB-0002'));
    expect([...t.index.items.values()]).toEqual([
      { referralId: 'R-BBBB-0002', eraseAt: '2027-03-03T12:00:00.000Z' },
    ]);
    expect(t.errors).toEqual([
      expect.objectContaining({ referralId: 'R-BBBB-0002', error: 'Referral.Transient' }),
    ]);
    // The failed one is not read again and again within the sweep: paging goes on after it.
    expect(t.index.queries).toBe(3);

    // The next sweep retries it; once it works, it is erased and its record removed.
    t.failing.clear();
    expect(await eraseDueReferrals(t.deps, { erase: t.erase, pageSize: 3 })).toEqual({
      erased: 1,
      failed: 0,
      stoppedEarly: false,
    });
    expect(t.index.items.size).toBe(0);
  });

  it('is idempotent: a second sweep finds nothing more to erase', async () => {
    const t = setUp(NOW);
    await t.index.putDueErasure({ referralId: 'R-CCCC-0001', eraseAt: '2027-01-01T00:00:00.000Z' });
    // Close run twice records the same entry once.
    await t.index.putDueErasure({ referralId: 'R-CCCC-0001', eraseAt: '2027-01-01T00:00:00.000Z' });
    expect(await eraseDueReferrals(t.deps, { erase: t.erase })).toMatchObject({ erased: 1, failed: 0 });
    expect(await eraseDueReferrals(t.deps, { erase: t.erase })).toMatchObject({ erased: 0, failed: 0 });
    expect(t.erased).toEqual(['R-CCCC-0001']);
  });

  it('stops starting erasures when told to (time running out); what is left stays due', async () => {
    const t = setUp(NOW);
    for (const i of [1, 2, 3])
      await t.index.putDueErasure({ referralId: `R-DDDD-000${i}`, eraseAt: `2027-01-0${i}T00:00:00.000Z` });
    const result = await eraseDueReferrals(t.deps, {
      erase: t.erase,
      shouldStop: () => t.erased.length >= 1,
    });
    expect(result).toEqual({ erased: 1, failed: 0, stoppedEarly: true });
    expect(t.index.items.size).toBe(2);
  });

  it('erases a few at once, never more than its concurrency, and each one whole before its record goes', async () => {
    const t = setUp(NOW);
    const ids = Array.from({ length: 9 }, (_, i) => `R-EEEE-000${i}`);
    for (const [i, referralId] of ids.entries())
      await t.index.putDueErasure({ referralId, eraseAt: `2027-03-0${i + 1}T12:00:00.000Z` });
    let running = 0;
    let most = 0;
    const removedWhileRunning: string[] = [];
    const active = new Set<string>();
    const remove = t.index.removeDueErasure.bind(t.index);
    t.index.removeDueErasure = async (due) => {
      if (active.has(due.referralId)) removedWhileRunning.push(due.referralId);
      await remove(due);
    };
    const slowErase = async (referralId: string) => {
      running++;
      active.add(referralId);
      most = Math.max(most, running);
      // Several turns of the event loop, like a chain of round trips to the table.
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      if (referralId === 'R-EEEE-0004') {
        active.delete(referralId);
        running--;
        throw Object.assign(new Error('throttled'), { name: 'Referral.Transient' });
      }
      t.erased.push(referralId);
      active.delete(referralId);
      running--;
    };

    const result = await eraseDueReferrals(t.deps, { erase: slowErase, pageSize: 4, concurrency: 3 });

    expect(result).toEqual({ erased: 8, failed: 1, stoppedEarly: false });
    expect(most).toBe(3);
    expect(removedWhileRunning).toEqual([]);
    expect(new Set(t.erased)).toEqual(new Set(ids.filter((id) => id !== 'R-EEEE-0004')));
    expect([...t.index.items.values()].map((d) => d.referralId)).toEqual(['R-EEEE-0004']);
  });
});
