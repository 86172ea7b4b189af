/** The placement benchmark: fair (same arrivals, all children counted) and its rules hold whatever the seed. */
import { describe, expect, it } from 'vitest';
import {
  arrivalsOf,
  carefulCoordinatorGroups,
  EIGHT_WEEKS_DAYS,
  firstMeetingOn,
  GROUP_SETTINGS,
  placementRows,
  placementTable,
  simulate,
  STRATEGIES,
  yearMetrics,
  type Arrival,
  type Scenario,
  type YearResult,
} from '../../bench/placement';
import { isSwedishHoliday } from '../../functions/domain/schedule';
import { keepsAgeRule } from '../../functions/domain/grouping';

const S = GROUP_SETTINGS.grouping;
const DAY = 86_400_000;
const SCENARIOS: Scenario[] = [
  { seed: 2017, perYear: 100, districts: 14 },
  { seed: 1, perYear: 40, districts: 13 },
  { seed: 99, perYear: 200, districts: 14 },
];
const runs = SCENARIOS.flatMap((scenario) => STRATEGIES.map((strategy) => simulate(strategy, scenario)));
const each = (fn: (r: YearResult) => void) => {
  for (const r of runs) fn(r);
};

describe('placement benchmark', () => {
  it('is deterministic for a scenario, and the seed matters', () => {
    expect(simulate('planner', SCENARIOS[0]!)).toEqual(simulate('planner', SCENARIOS[0]!));
    expect(arrivalsOf(SCENARIOS[0]!)).not.toEqual(arrivalsOf({ ...SCENARIOS[0]!, seed: 2018 }));
  });

  it('simulates the demand asked for, ages 7–18, in the districts asked for, some weekend-only', () => {
    for (const s of SCENARIOS) {
      const measured = arrivalsOf(s).filter((a) => a.measured);
      expect(measured.length).toBeGreaterThan(s.perYear * 0.7);
      expect(measured.length).toBeLessThan(s.perYear * 1.3);
      for (const a of measured) {
        expect(a.age).toBeGreaterThanOrEqual(7);
        expect(a.age).toBeLessThanOrEqual(18);
        expect(a.consentDate.slice(0, 4)).toBe('2027');
      }
      expect(new Set(arrivalsOf(s).map((a) => a.district)).size).toBe(s.districts);
      expect(measured.some((a) => a.noWeekdays)).toBe(true);
    }
  });

  it('every strategy sees the same arrivals', () => {
    for (const s of SCENARIOS) {
      const [planner, coordinator] = runs.filter((r) => r.scenario === s);
      expect(planner!.strategy).not.toBe(coordinator!.strategy);
      expect(planner!.arrivals).toEqual(coordinator!.arrivals);
    }
  });

  it('places every child at most once; placed, gave up and still waiting partition the arrivals', () =>
    each((r) => {
      const placed = r.groups.flatMap((g) => g.members);
      expect(new Set(placed).size).toBe(placed.length);
      expect([...placed, ...r.gaveUp, ...r.stillWaiting].sort()).toEqual(
        r.arrivals.map((a) => a.referralId).sort(),
      );
      // The tail outlasts the longest wait: every measured child is placed or gave up.
      const measured = new Set(r.arrivals.filter((a) => a.measured).map((a) => a.referralId));
      expect(r.stillWaiting.filter((id) => measured.has(id))).toEqual([]);
    }));

  it('counts every measured child: a child never placed counts with the days until it gave up', () => {
    const r = runs.find((x) => x.strategy === 'careful-coordinator' && x.scenario.perYear === 40)!;
    const m = yearMetrics(r);
    expect(m.placed + m.gaveUp).toBe(m.children);
    expect(m.gaveUp).toBeGreaterThan(0);
    // Giving up counts as maxPoolDays: with enough children given up, the 90th percentile is that wait.
    if (m.gaveUp / m.children > 0.1) expect(m.p90WaitDays).toBe(S.maxPoolDays);
    expect(m.placedWithin8Weeks).toBeLessThanOrEqual((100 * m.placed) / m.children);
  });

  it('keeps group sizes within bounds and the age rule; weekly groups never have a weekend-only child', () =>
    each((r) => {
      const byId = new Map(r.arrivals.map((a) => [a.referralId, a]));
      for (const g of r.groups) {
        expect(g.members.length).toBeGreaterThanOrEqual(S.minGroupSize);
        expect(g.members.length).toBeLessThanOrEqual(S.maxGroupSize);
        const members = g.members.map((id) => byId.get(id)!);
        expect(
          keepsAgeRule(
            members.map((a) => ({ ...a, needs: {} })),
            S,
          ),
        ).toBe(true);
        if (g.format === 'weekly') expect(members.some((a) => a.noWeekdays)).toBe(false);
      }
    }));

  it('first meetings come from the real calendar: on a configured slot or a Saturday, never a holiday', () =>
    each((r) => {
      for (const g of r.groups) {
        expect(g.firstMeetingOn >= g.confirmedOn).toBe(true);
        expect(isSwedishHoliday(g.firstMeetingOn)).toBe(false);
        const weekday = new Date(`${g.firstMeetingOn}T12:00:00Z`).getUTCDay() || 7;
        // A weekend starts on the Saturday, or on the Sunday when that Saturday is a holiday.
        if (g.format === 'weekend') expect([6, 7]).toContain(weekday);
        else expect(GROUP_SETTINGS.weeklySlots.map((s) => s.weekday)).toContain(weekday);
      }
    }));

  it('the start date skips a holiday: a weekly group confirmed before Easter Monday meets later that week', () => {
    // Confirmed 2027-03-15: the Monday two weeks on is 29 March (Easter Monday); Tuesday is the first slot.
    expect(firstMeetingOn('weekly', '2027-03-15')).toBe('2027-03-30');
    expect(firstMeetingOn('weekend', '2027-03-15')).toBe('2027-04-03');
  });

  it('the careful coordinator: first come first served per band, eight, or five after eight weeks', () => {
    const child = (i: number, waitedDays: number, noWeekdays = false, district = 'Farsta'): Arrival => ({
      referralId: `Q-${i}`,
      consentDate: '2027-03-01',
      waitingSince: new Date(Date.parse('2027-05-03T07:00:00Z') - waitedDays * DAY).toISOString(),
      age: 11,
      ageBand: '10-12',
      district,
      noWeekdays,
      measured: true,
    });
    const now = new Date('2027-05-03T07:00:00Z');
    // Four waiting, the oldest nine weeks: not yet (five needed).
    const four = [0, 1, 2, 3].map((i) => child(i, 63 - i, false, i % 2 ? 'Bromma' : 'Farsta'));
    expect(carefulCoordinatorGroups(four, now)).toEqual([]);
    // A fifth from another district: the city-wide group starts.
    const five = [...four, child(4, 3, false, 'Skarpnäck')];
    expect(carefulCoordinatorGroups(five, now)).toEqual([
      { format: 'weekly', ageBand: '10-12', members: ['Q-0', 'Q-1', 'Q-2', 'Q-3', 'Q-4'] },
    ]);
    // Five, but the oldest has waited only seven weeks: not yet; nine: the oldest eight start.
    expect(
      carefulCoordinatorGroups(
        five.map((a, i) => child(i, 49 - i)),
        now,
      ),
    ).toEqual([]);
    const nine = Array.from({ length: 9 }, (_, i) => child(i, 20 - i));
    expect(carefulCoordinatorGroups(nine, now)).toEqual([
      {
        format: 'weekly',
        ageBand: '10-12',
        district: 'Farsta',
        members: ['Q-0', 'Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5', 'Q-6', 'Q-7'],
      },
    ]);
    // Children who cannot come on weekdays go to a weekend of their own, never to the weekly group.
    const weekend = [0, 1, 2, 3].map((i) => child(10 + i, 60 - i, true));
    expect(carefulCoordinatorGroups([...nine, ...weekend], now).map((g) => g.format)).toEqual([
      'weekly',
      'weekend',
    ]);
  });

  it('the planner never leaves a child past the longest wait while a group of its band could take it', () =>
    each((r) => {
      if (r.strategy === 'planner') expect(r.overdueWhileAGroupCouldForm).toBe(0);
    }));

  it('reports the headline rows at 100 a year and further rows per demand, medians over seeds', () => {
    const table = placementTable(SCENARIOS);
    const rows = placementRows(table);
    expect(rows.every((row) => row.bench === 'placement')).toBe(true);
    const byMetric = new Map(rows.map((row) => [row.metric, row]));
    const headline = yearMetrics(simulate('planner', SCENARIOS[0]!));
    const base = yearMetrics(simulate('careful-coordinator', SCENARIOS[0]!));
    const median = byMetric.get('median wait days (all children)')!;
    expect(median).toMatchObject({
      unit: 'days',
      value: headline.medianWaitDays,
      baseline: base.medianWaitDays,
    });
    expect(median.ratio).toBeCloseTo(headline.medianWaitDays / base.medianWaitDays, 2);
    for (const metric of [
      'p90 wait days (all children)',
      'groups with >= 6 children',
      'placed within 8 weeks',
    ])
      expect(byMetric.get(metric)).toMatchObject({ baseline: expect.any(Number) });
    expect(byMetric.get('median wait days (all children) @40/yr, 13 districts')).toBeDefined();
    expect(byMetric.get('median wait days (all children) @200/yr')).toBeDefined();
    expect(EIGHT_WEEKS_DAYS).toBe(56);
  });
});
