/**
 * Benchmark 5, placement: a seeded Stockholm year (14 districts, ages 7–18) of consented children
 * arriving in the pool. The coordinator runs the planner once a week and confirms every proposal; the
 * baseline is a first-come, weekly-only queue per age band and district. Both see the same arrivals,
 * the same weekly cadence, the same start lead time and the same 180-day give-up, so the figures
 * differ only by the grouping rule.
 */
import { DateTime } from 'luxon';
import { proposeGroups, type PoolEntry, type Proposal } from '../functions/domain/grouping';
import type { GroupSettings } from '../functions/domain/partnership';
import { weekendSchedule, weeklySchedule, ZONE } from '../functions/domain/schedule';
import { demoPartnership } from '../infra/local/seed';
import type { Benchmark, BenchRow } from './types';
import { seededRandom } from '../infra/local/seeded-random';

const DAY = 86_400_000;
export const YEAR = 2027;
export const SEED = 2017;
/** Consented children a year in the city: the 150–250, as a Poisson process. */
export const CHILDREN_PER_YEAR = 200;
/** Share of children recorded at screening as unable to come on weekdays. */
export const NO_WEEKDAYS_SHARE = 0.15;

/** The demo partnership's districts, group settings and weekly slots: the configuration the system runs. */
const demo = demoPartnership(new Date(`${YEAR}-06-01T12:00:00Z`));
export const DISTRICTS: readonly string[] = demo.districts;
export const GROUP_SETTINGS: GroupSettings = demo.groups;

export type Strategy = 'planner' | 'first-come';

export interface Arrival {
  referralId: string;
  /** Local (Europe/Stockholm) date consent was complete. */
  consentDate: string;
  /** UTC instant consent was complete: the pool's `waitingSince`. */
  waitingSince: string;
  age: number;
  ageBand: string;
  district: string;
  noWeekdays: boolean;
}

export interface FormedGroup {
  format: 'weekly' | 'weekend';
  ageBand: string;
  district?: string;
  members: string[];
  /** Local date the coordinator confirmed the group, and the UTC instant of that planning run. */
  confirmedOn: string;
  confirmedAt: string;
  /** Local date of the group's first meeting, from the real schedule. */
  firstMeetingOn: string;
}

export interface YearResult {
  strategy: Strategy;
  seed: number;
  arrivals: Arrival[];
  groups: FormedGroup[];
  /** Left the pool unplaced after `maxPoolDays` (the referral closes as no-group). */
  gaveUp: string[];
  /** Still in the pool on 31 December. */
  stillWaiting: string[];
}

/** The same seeded generator the demo pool uses. */
export const rng = seededRandom;

/** Knuth's method: fine for the small daily rate here (about 0.55). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/** The year's consented children, from the seed alone, so every strategy sees the same ones. */
export function yearOfArrivals(seed: number, year = YEAR, perYear = CHILDREN_PER_YEAR): Arrival[] {
  const random = rng(seed);
  const { ageBands } = GROUP_SETTINGS.grouping;
  const ageMin = Math.min(...ageBands.map((b) => b.min));
  const ageMax = Math.max(...ageBands.map((b) => b.max));
  // Demand is uneven across districts, as in demo-proposal: a few large districts, many small ones.
  const weights = DISTRICTS.map((_, i) => (i < 3 ? 4 : 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const district = () => {
    let r = random() * totalWeight;
    for (const [i, w] of weights.entries()) if ((r -= w) < 0) return DISTRICTS[i]!;
    return DISTRICTS[0]!;
  };
  const first = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: ZONE });
  const days = first.plus({ years: 1 }).diff(first, 'days').days;
  const arrivals: Arrival[] = [];
  for (let d = 0; d < days; d++) {
    const date = first.plus({ days: d });
    for (let n = poisson(random, perYear / days); n > 0; n--) {
      const age = ageMin + Math.floor(random() * (ageMax - ageMin + 1));
      arrivals.push({
        referralId: `R-${String(arrivals.length + 1).padStart(4, '0')}`,
        consentDate: date.toISODate()!,
        // Consent completes during the working day, after that day's planning run.
        waitingSince: date.set({ hour: 12 }).toUTC().toISO()!,
        age,
        ageBand: ageBands.find((b) => age >= b.min && age <= b.max)!.label,
        district: district(),
        noWeekdays: random() < NO_WEEKDAYS_SHARE,
      });
    }
  }
  return arrivals;
}

function toPoolEntry(a: Arrival): PoolEntry {
  return {
    referralId: a.referralId,
    ageBand: a.ageBand,
    district: a.district,
    waitingSince: a.waitingSince,
    needs: a.noWeekdays ? { noWeekdays: true } : undefined,
  };
}

/** The project's planner, as the coordinator sees it on the proposal page. */
function plannerGroups(pool: Arrival[], now: Date): Proposal[] {
  return proposeGroups(pool.map(toPoolEntry), GROUP_SETTINGS.grouping, now).proposals;
}

/**
 * The baseline: per age band and district, first come first served; a weekly group as soon as
 * `minGroupSize` wait, the first `maxGroupSize` of them. No weekends, so a child who cannot come on
 * weekdays is never placed.
 */
export function firstComeGroups(pool: Arrival[]): Proposal[] {
  const { minGroupSize, maxGroupSize } = GROUP_SETTINGS.grouping;
  const queues = new Map<string, Arrival[]>();
  for (const a of [...pool].sort(
    (x, y) => x.waitingSince.localeCompare(y.waitingSince) || x.referralId.localeCompare(y.referralId),
  ))
    if (!a.noWeekdays) {
      const key = `${a.ageBand}|${a.district}`;
      queues.set(key, [...(queues.get(key) ?? []), a]);
    }
  const proposals: Proposal[] = [];
  for (const queue of queues.values())
    for (let at = 0; queue.length - at >= minGroupSize; at += maxGroupSize) {
      const members = queue.slice(at, at + maxGroupSize);
      proposals.push({
        format: 'weekly',
        ageBand: members[0]!.ageBand,
        district: members[0]!.district,
        members: members.map((m) => m.referralId),
      });
    }
  return proposals;
}

/**
 * The first meeting of a group confirmed on `confirmedOn`: it starts on the Monday two weeks on (the
 * proposal page's default start date), weekly groups on a configured slot, weekends on a Saturday;
 * holidays are skipped by the real schedule.
 */
export function firstMeetingOn(format: Proposal['format'], confirmedOn: string, slotIndex: number): string {
  const startDate = DateTime.fromISO(confirmedOn, { zone: ZONE })
    .plus({ weeks: 2 })
    .startOf('week')
    .toISODate()!;
  const { weeklySlots, schedule } = GROUP_SETTINGS;
  const meetings =
    format === 'weekly'
      ? weeklySchedule(startDate, weeklySlots[slotIndex % weeklySlots.length]!, schedule)
      : weekendSchedule(startDate, schedule);
  return DateTime.fromISO(meetings[0]!.startsAt).setZone(ZONE).toISODate()!;
}

/** One year, pure: the pool is filled by the arrivals and emptied by the weekly planning runs. */
export function simulateYear(strategy: Strategy, seed = SEED, year = YEAR): YearResult {
  const arrivals = yearOfArrivals(seed, year);
  const { maxPoolDays } = GROUP_SETTINGS.grouping;
  const groups: FormedGroup[] = [];
  const gaveUp: string[] = [];
  let pool: Arrival[] = [];
  let next = 0;
  const yearEnd = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone: ZONE });
  // The coordinator plans on Monday mornings: the first Monday of the year, then weekly.
  const jan1 = DateTime.fromObject({ year, month: 1, day: 1, hour: 9 }, { zone: ZONE });
  for (let run = jan1.plus({ days: (8 - jan1.weekday) % 7 }); run < yearEnd; run = run.plus({ weeks: 1 })) {
    const now = run.toJSDate();
    const nowIso = now.toISOString();
    while (next < arrivals.length && arrivals[next]!.waitingSince <= nowIso) pool.push(arrivals[next++]!);
    // The pool wait re-runs weekly; past the longest wait the referral leaves without a group.
    const waited = (a: Arrival) => now.getTime() - Date.parse(a.waitingSince) >= maxPoolDays * DAY;
    gaveUp.push(...pool.filter(waited).map((a) => a.referralId));
    pool = pool.filter((a) => !waited(a));

    const proposals = strategy === 'planner' ? plannerGroups(pool, now) : firstComeGroups(pool);
    const confirmedOn = run.toISODate()!;
    let weeklyIndex = 0;
    for (const p of proposals) {
      groups.push({
        ...p,
        confirmedOn,
        confirmedAt: nowIso,
        // Several weekly groups in a week share the configured slots in turn.
        firstMeetingOn: firstMeetingOn(p.format, confirmedOn, p.format === 'weekly' ? weeklyIndex++ : 0),
      });
    }
    const placed = new Set(proposals.flatMap((p) => p.members));
    pool = pool.filter((a) => !placed.has(a.referralId));
  }
  const stillWaiting = [...pool, ...arrivals.slice(next)].map((a) => a.referralId);
  return { strategy, seed, arrivals, groups, gaveUp, stillWaiting };
}

export interface YearMetrics {
  /** Median over placed children of the days from consent to their group's first meeting. */
  medianDaysToFirstMeeting: number;
  /** Percent of groups with at least 6 children. */
  groupsOfSixOrMore: number;
  groups: number;
  weeklyGroups: number;
  weekendGroups: number;
  placed: number;
  gaveUp: number;
  stillWaiting: number;
  unplaced: number;
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function yearMetrics(result: YearResult): YearMetrics {
  const consent = new Map(result.arrivals.map((a) => [a.referralId, a.consentDate]));
  const days = result.groups.flatMap((g) =>
    g.members.map(
      (id) => DateTime.fromISO(g.firstMeetingOn).diff(DateTime.fromISO(consent.get(id)!), 'days').days,
    ),
  );
  const atLeastSix = result.groups.filter((g) => g.members.length >= 6).length;
  return {
    medianDaysToFirstMeeting: median(days),
    groupsOfSixOrMore: result.groups.length ? (100 * atLeastSix) / result.groups.length : NaN,
    groups: result.groups.length,
    weeklyGroups: result.groups.filter((g) => g.format === 'weekly').length,
    weekendGroups: result.groups.filter((g) => g.format === 'weekend').length,
    placed: days.length,
    gaveUp: result.gaveUp.length,
    stillWaiting: result.stillWaiting.length,
    unplaced: result.gaveUp.length + result.stillWaiting.length,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (value: number, baseline: number) =>
  Number.isFinite(value) && Number.isFinite(baseline) && baseline !== 0
    ? Math.round((value / baseline) * 100) / 100
    : undefined;

export const placement: Benchmark = async ({ log }) => {
  // One seeded year is the figure; it takes well under a second, so quick runs change nothing.
  const planner = simulateYear('planner', SEED);
  const baseline = simulateYear('first-come', SEED);
  const p = yearMetrics(planner);
  const b = yearMetrics(baseline);
  log(
    `placement: seed ${SEED}, ${planner.arrivals.length} consented children in ${YEAR}, ` +
      `${DISTRICTS.length} districts`,
  );
  const row = (metric: string, value: number, base: number, unit: string, note?: string): BenchRow => ({
    bench: 'placement',
    metric,
    value: round1(value),
    unit,
    baseline: round1(base),
    ratio: ratio(value, base),
    ...(note ? { note } : {}),
  });
  return [
    row(
      'median days consent → first meeting',
      p.medianDaysToFirstMeeting,
      b.medianDaysToFirstMeeting,
      'days',
      // The baseline's median covers only the children it placed: read it with the placed count.
      `over placed children; seed ${SEED}, ${planner.arrivals.length} children consented in ${YEAR}`,
    ),
    row('groups with ≥ 6 children', p.groupsOfSixOrMore, b.groupsOfSixOrMore, '%'),
    row(
      'groups formed',
      p.groups,
      b.groups,
      '',
      `planner: ${p.weeklyGroups} weekly + ${p.weekendGroups} weekend; baseline weekly only`,
    ),
    row('children placed', p.placed, b.placed, ''),
    row(
      'children unplaced',
      p.unplaced,
      b.unplaced,
      '',
      `gave up after ${GROUP_SETTINGS.grouping.maxPoolDays} days / still waiting 31 Dec: ` +
        `planner ${p.gaveUp}/${p.stillWaiting}, baseline ${b.gaveUp}/${b.stillWaiting}`,
    ),
  ];
};
