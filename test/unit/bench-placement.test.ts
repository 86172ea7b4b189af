/** The placement benchmark's simulated year: whatever the seed, the planner's and the baseline's rules hold. */
import { describe, expect, it } from 'vitest';
import {
  firstComeGroups,
  GROUP_SETTINGS,
  placement,
  simulateYear,
  yearMetrics,
  yearOfArrivals,
  type Arrival,
  type Strategy,
  type YearResult,
} from '../../bench/placement';

const S = GROUP_SETTINGS.grouping;
const DAY = 86_400_000;
const SEEDS = [2017, 1, 99];
const STRATEGIES: Strategy[] = ['planner', 'first-come'];
const runs = SEEDS.flatMap((seed) => STRATEGIES.map((strategy) => simulateYear(strategy, seed)));
const each = (fn: (r: YearResult) => void) => {
  for (const r of runs) fn(r);
};

describe('placement benchmark', () => {
  it('is deterministic for a seed, and the seed matters', () => {
    expect(simulateYear('planner', 2017)).toEqual(simulateYear('planner', 2017));
    expect(simulateYear('first-come', 2017)).toEqual(simulateYear('first-come', 2017));
    expect(yearOfArrivals(2017)).not.toEqual(yearOfArrivals(2018));
  });

  it('simulates a plausible Stockholm year: 150–250 children, ages 7–18, 14 districts, some weekend-only', () => {
    for (const seed of SEEDS) {
      const arrivals = yearOfArrivals(seed);
      expect(arrivals.length).toBeGreaterThanOrEqual(150);
      expect(arrivals.length).toBeLessThanOrEqual(250);
      for (const a of arrivals) {
        expect(a.age).toBeGreaterThanOrEqual(7);
        expect(a.age).toBeLessThanOrEqual(18);
        expect(a.consentDate.slice(0, 4)).toBe('2027');
      }
      expect(new Set(arrivals.map((a) => a.district)).size).toBe(14);
      expect(arrivals.some((a) => a.noWeekdays)).toBe(true);
    }
  });

  it('planner and baseline see the same arrivals', () => {
    for (const seed of SEEDS)
      expect(simulateYear('planner', seed).arrivals).toEqual(simulateYear('first-come', seed).arrivals);
  });

  it('places every child at most once; placed, gave up and still waiting partition the arrivals', () =>
    each((r) => {
      const placed = r.groups.flatMap((g) => g.members);
      expect(new Set(placed).size).toBe(placed.length);
      const all = [...placed, ...r.gaveUp, ...r.stillWaiting].sort();
      expect(all).toEqual(r.arrivals.map((a) => a.referralId).sort());
      expect(yearMetrics(r).placed).toBe(placed.length);
    }));

  it('keeps group sizes within the weekly and weekend bounds, one age band per group', () =>
    each((r) => {
      const byId = new Map(r.arrivals.map((a) => [a.referralId, a]));
      for (const g of r.groups) {
        const min = g.format === 'weekly' ? S.minGroupSize : S.minWeekendSize;
        expect(g.members.length).toBeGreaterThanOrEqual(min);
        expect(g.members.length).toBeLessThanOrEqual(S.maxGroupSize);
        expect(new Set(g.members.map((id) => byId.get(id)!.ageBand))).toEqual(new Set([g.ageBand]));
        if (g.format === 'weekly') expect(g.members.some((id) => byId.get(id)!.noWeekdays)).toBe(false);
      }
    }));

  it('never has a first meeting before consent, nor a group confirmed after the longest wait', () =>
    each((r) => {
      const byId = new Map(r.arrivals.map((a) => [a.referralId, a]));
      for (const g of r.groups) {
        expect(g.firstMeetingOn > g.confirmedOn).toBe(true);
        for (const id of g.members) {
          const child = byId.get(id)!;
          expect(g.firstMeetingOn > child.consentDate).toBe(true);
          expect(g.confirmedOn >= child.consentDate).toBe(true);
          expect(Date.parse(g.confirmedAt) - Date.parse(child.waitingSince)).toBeLessThan(
            S.maxPoolDays * DAY,
          );
        }
      }
      // A child gives up only after the longest wait, at a planning run within the year.
      for (const id of r.gaveUp)
        expect(Date.parse(byId.get(id)!.waitingSince) + S.maxPoolDays * DAY).toBeLessThan(
          Date.parse('2028-01-01T00:00:00Z'),
        );
    }));

  it('the baseline forms only weekly, single-district groups, first come first served', () => {
    for (const seed of SEEDS) {
      const r = simulateYear('first-come', seed);
      const byId = new Map(r.arrivals.map((a) => [a.referralId, a]));
      const placedIn = new Map(r.groups.flatMap((g, i) => g.members.map((id) => [id, i] as const)));
      expect(r.groups.length).toBeGreaterThan(0);
      for (const [i, g] of r.groups.entries()) {
        expect(g.format).toBe('weekly');
        expect(g.district).toBeDefined();
        expect(new Set(g.members.map((id) => byId.get(id)!.district))).toEqual(new Set([g.district]));
        // First come: nobody still in the same queue when the group formed had consented before a member.
        const at = Date.parse(g.confirmedAt);
        const stillQueued = (a: Arrival) =>
          Date.parse(a.waitingSince) <= at &&
          (placedIn.has(a.referralId)
            ? placedIn.get(a.referralId)! > i
            : at - Date.parse(a.waitingSince) < S.maxPoolDays * DAY);
        const newestMember = Math.max(...g.members.map((id) => Date.parse(byId.get(id)!.waitingSince)));
        const overtaken = r.arrivals.filter(
          (a) =>
            a.ageBand === g.ageBand &&
            a.district === g.district &&
            !a.noWeekdays &&
            Date.parse(a.waitingSince) < newestMember &&
            stillQueued(a),
        );
        expect(overtaken).toEqual([]);
      }
    }
  });

  it('the baseline queue: the oldest eight start, a weekday-less child is never placed, districts never mix', () => {
    const child = (i: number, district: string, noWeekdays = false): Arrival => ({
      referralId: `Q-${district}-${i}`,
      consentDate: '2027-03-01',
      // Listed newest first, so the order must come from the consent instants.
      waitingSince: new Date(Date.parse('2027-03-20T11:00:00Z') - i * DAY).toISOString(),
      age: 11,
      ageBand: '10-12',
      district,
      noWeekdays,
    });
    const farsta = Array.from({ length: 10 }, (_, i) => child(i, 'Farsta'));
    const pool = [...farsta, child(20, 'Farsta', true), ...[0, 1, 2, 3].map((i) => child(i, 'Bromma'))];
    const groups = firstComeGroups(pool);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ format: 'weekly', ageBand: '10-12', district: 'Farsta' });
    expect([...groups[0]!.members].sort()).toEqual(
      farsta
        .slice(2)
        .map((c) => c.referralId)
        .sort(),
    );
    expect(firstComeGroups([...pool, child(4, 'Bromma')]).map((g) => g.district)).toEqual([
      'Farsta',
      'Bromma',
    ]);
  });

  it('the planner uses weekends when districts cannot fill weekly groups', () => {
    for (const seed of SEEDS) {
      const m = yearMetrics(simulateYear('planner', seed));
      expect(m.weekendGroups).toBeGreaterThan(0);
      expect(m.groups).toBe(m.weeklyGroups + m.weekendGroups);
    }
  });

  it('reports the metrics of the seeded year as rows, planner against baseline', async () => {
    const rows = await placement({ quick: true, log: () => {} });
    const p = yearMetrics(simulateYear('planner'));
    const b = yearMetrics(simulateYear('first-come'));
    expect(rows.every((row) => row.bench === 'placement')).toBe(true);
    const byMetric = new Map(rows.map((row) => [row.metric, row]));
    expect(byMetric.get('children placed')).toMatchObject({ value: p.placed, baseline: b.placed });
    expect(byMetric.get('children unplaced')).toMatchObject({ value: p.unplaced, baseline: b.unplaced });
    expect(byMetric.get('groups formed')).toMatchObject({ value: p.groups, baseline: b.groups });
    const median = byMetric.get('median days consent → first meeting')!;
    expect(median.value).toBeCloseTo(p.medianDaysToFirstMeeting, 1);
    expect(median.baseline).toBeCloseTo(b.medianDaysToFirstMeeting, 1);
    expect(median.ratio).toBeCloseTo(p.medianDaysToFirstMeeting / b.medianDaysToFirstMeeting, 2);
  });
});
