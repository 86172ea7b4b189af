/** Property tests of the group proposal: whatever the pool, the rules hold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GROUPING_SETTINGS as S,
  proposeGroups,
  type PoolEntry,
} from '../../functions/domain/grouping';

const NOW = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const districts = ['Farsta', 'Bromma', 'Skarpnäck', 'Kungsholmen', 'Rinkeby-Kista'];

const entry = fc.record({
  ageBand: fc.constantFrom('7-9', '10-12', '13-15', '16-18'),
  district: fc.constantFrom(...districts),
  waitedDays: fc.integer({ min: 0, max: 120 }),
  noWeekdays: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), // one child in ten
});
const pool = fc.array(entry, { maxLength: 80 }).map((xs) =>
  xs.map((x, i): PoolEntry => ({
    referralId: `R-${String(i).padStart(4, '0')}`,
    ageBand: x.ageBand,
    district: x.district,
    waitingSince: new Date(NOW.getTime() - x.waitedDays * DAY).toISOString(),
    needs: x.noWeekdays ? { noWeekdays: true } : undefined,
  })),
);

describe('proposeGroups', () => {
  it('places every child at most once, in a group of at most 8, or leaves them waiting', () => {
    fc.assert(
      fc.property(pool, (p) => {
        const { proposals, waiting } = proposeGroups(p, S, NOW);
        const placed = proposals.flatMap((g) => g.members);
        expect(new Set(placed).size).toBe(placed.length);
        expect([...placed, ...waiting].sort()).toEqual(p.map((e) => e.referralId).sort());
        for (const g of proposals) expect(g.members.length).toBeLessThanOrEqual(S.maxGroupSize);
      }),
      { numRuns: 500 },
    );
  });

  it('weekly groups: one age band, one district, at least the minimum size, never a child who cannot come on weekdays', () => {
    fc.assert(
      fc.property(pool, (p) => {
        const byId = new Map(p.map((e) => [e.referralId, e]));
        for (const g of proposeGroups(p, S, NOW).proposals) {
          const members = g.members.map((id) => byId.get(id)!);
          expect(new Set(members.map((m) => m.ageBand))).toEqual(new Set([g.ageBand]));
          if (g.format === 'weekly') {
            expect(g.members.length).toBeGreaterThanOrEqual(S.minGroupSize);
            expect(new Set(members.map((m) => m.district))).toEqual(new Set([g.district]));
            expect(members.some((m) => m.needs?.noWeekdays)).toBe(false);
          } else {
            expect(g.members.length).toBeGreaterThanOrEqual(S.minWeekendSize);
            // Only children who waited long enough, or need a weekend, go to a weekend.
            for (const m of members)
              expect(
                m.needs?.noWeekdays ||
                  NOW.getTime() - Date.parse(m.waitingSince) >= S.maxWaitDaysBeforeWeekend * DAY,
              ).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('prefers a weekly group when a district can fill one, and a weekend when children have waited too long', () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
    const farsta = Array.from({ length: 6 }, (_, i): PoolEntry => ({
      referralId: `F${i}`,
      ageBand: '10-12',
      district: 'Farsta',
      waitingSince: at(5),
    }));
    const scattered = ['Bromma', 'Skarpnäck', 'Kungsholmen', 'Rinkeby-Kista'].map((d, i): PoolEntry => ({
      referralId: `S${i}`,
      ageBand: '10-12',
      district: d,
      waitingSince: at(60),
    }));
    const fresh: PoolEntry = { referralId: 'N0', ageBand: '10-12', district: 'Bromma', waitingSince: at(1) };
    const { proposals, waiting } = proposeGroups([...farsta, ...scattered, fresh], S, NOW);
    expect(proposals).toEqual([
      {
        format: 'weekly',
        ageBand: '10-12',
        district: 'Farsta',
        members: ['F0', 'F1', 'F2', 'F3', 'F4', 'F5'],
      },
      { format: 'weekend', ageBand: '10-12', members: ['S0', 'S1', 'S2', 'S3'] },
    ]);
    expect(waiting).toEqual(['N0']);
  });
});
