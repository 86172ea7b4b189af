/** Property tests of the planner: whatever the pool, the settings and the forecast, the rules hold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandForecast,
  DEFAULT_GROUPING_SETTINGS,
  groupingSettingsOf,
  keepsAgeRule,
  proposeGroups,
  type BandForecasts,
  type GroupingSettings,
  type PoolEntry,
} from '../../functions/domain/grouping';

const NOW = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const districts = ['Farsta', 'Bromma', 'Skarpnäck', 'Kungsholmen', 'Rinkeby-Kista'];
const BANDS = DEFAULT_GROUPING_SETTINGS.ageBands;
const bandOf = (age: number) => BANDS.find((b) => age >= b.min && age <= b.max)!.label;

const entry = fc.record({
  age: fc.integer({ min: 7, max: 18 }),
  ageKnown: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // most entries carry the age
  district: fc.constantFrom(...districts),
  waitedDays: fc.integer({ min: 0, max: 179 }),
  noWeekdays: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
});
const pool = fc.array(entry, { maxLength: 80 }).map((xs) =>
  xs.map((x, i): PoolEntry => ({
    referralId: `R-${String(i).padStart(4, '0')}`,
    ageBand: bandOf(x.age),
    district: x.district,
    waitingSince: new Date(NOW.getTime() - x.waitedDays * DAY).toISOString(),
    ...(x.noWeekdays ? { needs: { noWeekdays: true } } : {}),
    ...(x.ageKnown ? { age: x.age } : {}),
  })),
);
/** Any coherent settings: minimum ≤ target ≤ maximum, a longest wait below the pool's. */
const settings = fc
  .record({
    minGroupSize: fc.integer({ min: 2, max: 6 }),
    extraTarget: fc.integer({ min: 0, max: 3 }),
    extraMax: fc.integer({ min: 0, max: 4 }),
    maxWaitDaysBeforeWeekend: fc.integer({ min: 0, max: 170 }),
    maxAgeSpanYears: fc.integer({ min: 0, max: 5 }),
  })
  .map((x): GroupingSettings => ({
    ...DEFAULT_GROUPING_SETTINGS,
    minGroupSize: x.minGroupSize,
    targetGroupSize: x.minGroupSize + x.extraTarget,
    maxGroupSize: x.minGroupSize + x.extraTarget + x.extraMax,
    maxWaitDaysBeforeWeekend: x.maxWaitDaysBeforeWeekend,
    maxAgeSpanYears: x.maxAgeSpanYears,
  }));
const forecast = fc
  .tuple(...BANDS.map(() => fc.double({ min: 0, max: 3, noNaN: true })))
  .map((rates): BandForecasts => Object.fromEntries(BANDS.map((b, i) => [b.label, rates[i]!])));
const RUNS = { numRuns: 150 };
const waitedDays = (e: PoolEntry) => (NOW.getTime() - Date.parse(e.waitingSince)) / DAY;

describe('proposeGroups (properties)', () => {
  it('places every child at most once, or leaves it waiting; never over the maximum, never below the minimum', () => {
    fc.assert(
      fc.property(pool, settings, forecast, (p, s, f) => {
        const { proposals, waiting } = proposeGroups(p, s, NOW, f);
        const placed = proposals.flatMap((g) => g.members);
        expect(new Set(placed).size).toBe(placed.length);
        expect([...placed, ...waiting].sort()).toEqual(p.map((e) => e.referralId).sort());
        for (const g of proposals) {
          expect(g.members.length).toBeLessThanOrEqual(s.maxGroupSize);
          expect(g.members.length).toBeGreaterThanOrEqual(s.minGroupSize);
        }
      }),
      RUNS,
    );
  });

  it('never mixes ages beyond the age rule, and a child who cannot come on weekdays only goes to a weekend', () => {
    fc.assert(
      fc.property(pool, settings, forecast, (p, s, f) => {
        const byId = new Map(p.map((e) => [e.referralId, e]));
        for (const g of proposeGroups(p, s, NOW, f).proposals) {
          const members = g.members.map((id) => byId.get(id)!);
          expect(keepsAgeRule(members, s)).toBe(true);
          const bands = new Set(members.map((m) => m.ageBand));
          expect(bands.has(g.ageBand)).toBe(true);
          if (bands.size > 1) {
            // Only a child whose age is known joins another band, and only within the span.
            const ages = members.map((m) => m.age!);
            expect(ages.every((a) => a !== undefined)).toBe(true);
            expect(Math.max(...ages) - Math.min(...ages)).toBeLessThanOrEqual(s.maxAgeSpanYears!);
          }
          expect(g.format).toBe(members.some((m) => m.needs?.noWeekdays) ? 'weekend' : 'weekly');
          // A district is named only when every child lives there: groups meet at Bris, for the whole city.
          if (g.district !== undefined) expect(members.every((m) => m.district === g.district)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('never leaves a child past the longest wait while enough children of its band wait for a group', () => {
    fc.assert(
      fc.property(pool, settings, forecast, (p, s, f) => {
        const { waiting } = proposeGroups(p, s, NOW, f);
        const left = p.filter((e) => waiting.includes(e.referralId));
        for (const e of left)
          if (waitedDays(e) >= s.maxWaitDaysBeforeWeekend)
            expect(left.filter((o) => o.ageBand === e.ageBand).length).toBeLessThan(s.minGroupSize);
      }),
      RUNS,
    );
  });

  it('starts a group in every band with a full group waiting', () => {
    fc.assert(
      fc.property(pool, settings, forecast, (p, s, f) => {
        const { waiting } = proposeGroups(p, s, NOW, f);
        const target = groupingSettingsOf(s).targetGroupSize;
        const left = p.filter((e) => waiting.includes(e.referralId));
        for (const b of BANDS) expect(left.filter((e) => e.ageBand === b.label).length).toBeLessThan(target);
      }),
      RUNS,
    );
  });

  it('is deterministic: the same pool in any order gives the same proposal', () => {
    fc.assert(
      fc.property(
        pool.chain((p) => fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length }))),
        settings,
        forecast,
        ([p, shuffled], s, f) => {
          expect(proposeGroups(shuffled, s, NOW, f)).toEqual(proposeGroups(p, s, NOW, f));
        },
      ),
      RUNS,
    );
  });
});

describe('proposeGroups (cases)', () => {
  const at = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
  const child = (
    id: string,
    district: string,
    waited: number,
    extra: Partial<PoolEntry> = {},
  ): PoolEntry => ({
    referralId: id,
    ageBand: '10-12',
    district,
    waitingSince: at(waited),
    age: 11,
    ...extra,
  });

  it('gathers a weekly group from the whole city: six children of six districts', () => {
    const six = districts.concat('Östermalm').map((d, i) => child(`C${i}`, d, 10 + i));
    const { proposals, waiting } = proposeGroups(six, DEFAULT_GROUPING_SETTINGS, NOW);
    expect(proposals).toEqual([
      { format: 'weekly', ageBand: '10-12', members: ['C5', 'C4', 'C3', 'C2', 'C1', 'C0'] },
    ]);
    expect(waiting).toEqual([]);
  });

  it('waits while the forecast fills the group in time, and settles for four when it does not', () => {
    const four = [0, 1, 2, 3].map((i) => child(`W${i}`, districts[i]!, 115 - i));
    const busy = { '10-12': 4 };
    const quiet = { '10-12': 0.05 };
    // The oldest passes the longest wait (120 days) before the next look, but four a week fill the group first.
    expect(proposeGroups(four, DEFAULT_GROUPING_SETTINGS, NOW, busy).proposals).toEqual([]);
    expect(proposeGroups(four, DEFAULT_GROUPING_SETTINGS, NOW, quiet).proposals).toEqual([
      { format: 'weekly', ageBand: '10-12', members: ['W0', 'W1', 'W2', 'W3'] },
    ]);
    // Far from the longest wait, the band waits whatever the forecast.
    const young = four.map((e, i) => ({ ...e, waitingSince: at(20 + i) }));
    expect(proposeGroups(young, DEFAULT_GROUPING_SETTINGS, NOW, quiet).proposals).toEqual([]);
  });

  it('a group with a child who cannot come on weekdays is a support weekend', () => {
    const six = [0, 1, 2, 3, 4, 5].map((i) =>
      child(`E${i}`, 'Bromma', 30 - i, i === 4 ? { needs: { noWeekdays: true } } : {}),
    );
    const [group] = proposeGroups(six, DEFAULT_GROUPING_SETTINGS, NOW).proposals;
    expect(group).toMatchObject({ format: 'weekend', ageBand: '10-12', district: 'Bromma' });
    expect(group!.members[0]).toBe('E4');
  });

  it('fills a band from the edge of its neighbour within the age span, never beyond it', () => {
    const five = [0, 1, 2, 3, 4].map((i) => child(`B${i}`, 'Farsta', 40 - i, { age: 10 + (i % 3) }));
    const nine: PoolEntry = { ...child('N9', 'Bromma', 50), ageBand: '7-9', age: 9 };
    const seven: PoolEntry = { ...child('N7', 'Bromma', 60), ageBand: '7-9', age: 7 };
    const { proposals } = proposeGroups([...five, seven, nine], DEFAULT_GROUPING_SETTINGS, NOW);
    expect(proposals).toHaveLength(1);
    expect([...proposals[0]!.members].sort()).toEqual(['B0', 'B1', 'B2', 'B3', 'B4', 'N9']);
    // Two years apart at most: the nine-year-old may not join 10–12-year-olds with a twelve-year-old.
    const strict = { ...DEFAULT_GROUPING_SETTINGS, maxAgeSpanYears: 2 };
    expect(proposeGroups([...five, seven, nine], strict, NOW).proposals).toEqual([]);
  });
});

describe('bandForecast', () => {
  const s = DEFAULT_GROUPING_SETTINGS;
  it('shares the configured rate over the bands by their ages until there is history', () => {
    // 40 a year over twelve ages, three of them in the band.
    expect(bandForecast('10-12', s, NOW) * (365.25 / 7)).toBeCloseTo(10, 5);
    const short = { consents: [{ ageBand: '10-12', at: at(3) }], since: at(20) };
    expect(bandForecast('10-12', s, NOW, short)).toBe(bandForecast('10-12', s, NOW));
  });
  it("reads the partnership's own last half year once it covers eight weeks", () => {
    const consents = Array.from({ length: 26 }, (_, i) => ({ ageBand: '10-12', at: at(7 * i + 1) }));
    const history = { consents: [...consents, { ageBand: '7-9', at: at(2) }], since: at(400) };
    expect(bandForecast('10-12', s, NOW, history)).toBeCloseTo(1, 5);
    expect(bandForecast('13-15', s, NOW, history)).toBe(0);
  });
  function at(days: number) {
    return new Date(NOW.getTime() - days * DAY).toISOString();
  }
});
