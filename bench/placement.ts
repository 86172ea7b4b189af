/**
 * Benchmark 5, placement: seeded years of consented children arriving in the pool, placed by each
 * strategy on the same arrivals, the same weekly planning run (Monday mornings), the same start lead
 * (the proposal page's default: the Monday two weeks on), the same calendar (weekly groups on the next
 * configured weekly slot, weekends on the next weekend, public holidays skipped by the real schedule) and
 * the same give-up after `maxPoolDays`. Every figure covers ALL children who consented in the measured
 * year: a child never placed counts with the days until it gave up. A warm-up year before (the pool is
 * not empty on 1 January, and the planner has a history to forecast from) and a tail after (arrivals go on,
 * so December's children are not left alone) keep the ends of the year from deciding the figures.
 */
import { DateTime } from 'luxon';
import {
  bandForecasts,
  DEFAULT_GROUPING_SETTINGS,
  proposeGroups,
  type ConsentHistory,
  type GroupingSettings,
  type PoolEntry,
  type Proposal,
} from '../functions/domain/grouping';
import { STOCKHOLM_DISTRICTS_2017, type GroupSettings } from '../functions/domain/partnership';
import { weekendSchedule, weeklySchedule, ZONE } from '../functions/domain/schedule';
import { demoPartnership } from '../infra/local/seed';
import { seededRandom } from '../infra/local/seeded-random';
import type { Benchmark, BenchRow } from './types';

const DAY = 86_400_000;
/** The measured year. */
export const YEAR = 2027;
export const SEEDS = [2017, 1, 99, 7, 42, 3, 11, 23, 2027] as const;
/** Consented children a year: the agreement's 40, and what the city's placements could bring. */
export const DEMANDS = [40, 100, 200] as const;
export const DISTRICT_COUNTS = [13, 14] as const;
/** The rows named without a suffix are at this demand (and 14 districts). */
export const HEADLINE_DEMAND = 100;
/** Share of children recorded at screening as unable to come on weekdays. */
export const NO_WEEKDAYS_SHARE = 0.15;
/** "Placed within 8 weeks": consent to first meeting. */
export const EIGHT_WEEKS_DAYS = 56;

/** The demo partnership's weekly slots and schedule, with the planner's default grouping settings. */
const demo = demoPartnership(new Date(`${YEAR}-06-01T12:00:00Z`));
export const GROUP_SETTINGS: GroupSettings = {
  ...demo.groups,
  grouping: { ...DEFAULT_GROUPING_SETTINGS, ageBands: demo.groups.grouping.ageBands },
};

/** The 14 districts of 2017, or the 13 since 2020-07-01 (Hägersten-Liljeholmen and Älvsjö merged). */
export function districtsOf(count: 13 | 14): string[] {
  const all: string[] = [...STOCKHOLM_DISTRICTS_2017];
  if (count === 14) return all;
  return [...all.filter((d) => d !== 'Älvsjö' && d !== 'Hägersten-Liljeholmen'), 'Hägersten-Älvsjö'];
}

export type Strategy = 'planner' | 'careful-coordinator';
export const STRATEGIES: Strategy[] = ['planner', 'careful-coordinator'];

export interface Scenario {
  seed: number;
  perYear: number;
  districts: 13 | 14;
}

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
  /** Consented in the measured year: the children every figure is about. */
  measured: boolean;
}

export interface FormedGroup extends Proposal {
  /** Local date the coordinator confirmed the group, and the UTC instant of that planning run. */
  confirmedOn: string;
  confirmedAt: string;
  /** Local date of the group's first meeting, from the real schedule. */
  firstMeetingOn: string;
}

export interface YearResult {
  strategy: Strategy;
  scenario: Scenario;
  arrivals: Arrival[];
  groups: FormedGroup[];
  /** Left the pool unplaced after `maxPoolDays` (the referral closes as no-group). */
  gaveUp: string[];
  /** In the pool when the simulation ends (none of them measured: the tail outlasts the longest wait). */
  stillWaiting: string[];
  /**
   * Planning runs that left a child waiting past `maxWaitDaysBeforeWeekend` although at least
   * `minGroupSize` children of its band were waiting with it (a group could have taken it).
   */
  overdueWhileAGroupCouldForm: number;
}

/** Knuth's method: fine for the small daily rates here (at most about 0.55). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

const firstDay = DateTime.fromObject({ year: YEAR - 1, month: 1, day: 1 }, { zone: ZONE });
const measuredFrom = DateTime.fromObject({ year: YEAR, month: 1, day: 1 }, { zone: ZONE });
const measuredTo = DateTime.fromObject({ year: YEAR + 1, month: 1, day: 1 }, { zone: ZONE });
/** Arrivals go on after the measured year, past its last child's longest wait. */
const lastDay = measuredTo.plus({ days: GROUP_SETTINGS.grouping.maxPoolDays + 14 });

/** Consented children from the warm-up year to the end of the tail, from the scenario alone. */
export function arrivalsOf({ seed, perYear, districts: count }: Scenario): Arrival[] {
  const random = seededRandom(seed);
  const { ageBands } = GROUP_SETTINGS.grouping;
  const ageMin = Math.min(...ageBands.map((b) => b.min));
  const ageMax = Math.max(...ageBands.map((b) => b.max));
  const districts = districtsOf(count);
  // Demand is uneven across districts, as in demo-proposal: a few large districts, many small ones.
  const weights = districts.map((_, i) => (i < 3 ? 4 : 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const district = () => {
    let r = random() * totalWeight;
    for (const [i, w] of weights.entries()) if ((r -= w) < 0) return districts[i]!;
    return districts[0]!;
  };
  const arrivals: Arrival[] = [];
  for (let date = firstDay; date < lastDay; date = date.plus({ days: 1 })) {
    for (let n = poisson(random, perYear / 365.25); n > 0; n--) {
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
        measured: date >= measuredFrom && date < measuredTo,
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
    age: a.age,
    ...(a.noWeekdays ? { needs: { noWeekdays: true } } : {}),
  };
}

/** The project's planner, with the look-ahead from the consents it has seen so far. */
function plannerGroups(pool: Arrival[], now: Date, history: ConsentHistory): Proposal[] {
  const settings = GROUP_SETTINGS.grouping;
  return proposeGroups(pool.map(toPoolEntry), settings, now, bandForecasts(settings, now, history)).proposals;
}

/** The careful coordinator starts a group as soon as eight wait, or the oldest has waited eight weeks. */
export const COORDINATOR_RULE = { full: 8, waitedDays: 56, weeklyAtLeast: 5 } as const;

/**
 * The baseline: what a careful coordinator does by hand. First come, first served per age band across
 * the whole city; a weekly group as soon as eight wait, or when the oldest has waited eight weeks and at
 * least five wait; a weekend only for children who cannot come on weekdays, by the same rule but with
 * the minimum group size (four) instead of five, so that they are not left out for want of a fifth.
 */
export function carefulCoordinatorGroups(
  pool: Arrival[],
  now: Date,
  settings: GroupingSettings = GROUP_SETTINGS.grouping,
): Proposal[] {
  const proposals: Proposal[] = [];
  const oldestFirst = [...pool].sort(
    (x, y) => x.waitingSince.localeCompare(y.waitingSince) || x.referralId.localeCompare(y.referralId),
  );
  for (const band of settings.ageBands.map((b) => b.label))
    for (const weekend of [false, true]) {
      const queue = oldestFirst.filter((a) => a.ageBand === band && a.noWeekdays === weekend);
      const atLeast = weekend ? settings.minGroupSize : COORDINATOR_RULE.weeklyAtLeast;
      for (let at = 0; at < queue.length;) {
        const rest = queue.slice(at);
        const waited = (now.getTime() - Date.parse(rest[0]!.waitingSince)) / DAY;
        if (
          rest.length < COORDINATOR_RULE.full &&
          !(waited >= COORDINATOR_RULE.waitedDays && rest.length >= atLeast)
        )
          break;
        const members = rest.slice(0, Math.min(COORDINATOR_RULE.full, settings.maxGroupSize));
        const districts = new Set(members.map((m) => m.district));
        proposals.push({
          format: weekend ? 'weekend' : 'weekly',
          ageBand: band,
          ...(districts.size === 1 ? { district: members[0]!.district } : {}),
          members: members.map((m) => m.referralId),
        });
        at += members.length;
      }
    }
  return proposals;
}

/**
 * The first meeting of a group confirmed on `confirmedOn`: not before the Monday two weeks on (the
 * proposal page's default start date, time for invitations and the home visit), weekly groups on the
 * earliest configured weekly slot from then, weekends on the next weekend; holidays are skipped by the
 * real schedule. Rooms are not a limit here, as they are not in the system: any number of groups may
 * start in a week.
 */
export function firstMeetingOn(format: Proposal['format'], confirmedOn: string): string {
  const startDate = DateTime.fromISO(confirmedOn, { zone: ZONE })
    .plus({ weeks: 2 })
    .startOf('week')
    .toISODate()!;
  const { weeklySlots, schedule } = GROUP_SETTINGS;
  const firsts =
    format === 'weekly'
      ? weeklySlots.map((slot) => weeklySchedule(startDate, slot, schedule)[0]!.startsAt)
      : [weekendSchedule(startDate, schedule)[0]!.startsAt];
  return DateTime.fromISO(firsts.sort()[0]!).setZone(ZONE).toISODate()!;
}

/** One scenario, pure: the pool is filled by the arrivals and emptied by the weekly planning runs. */
export function simulate(strategy: Strategy, scenario: Scenario): YearResult {
  const arrivals = arrivalsOf(scenario);
  const settings = GROUP_SETTINGS.grouping;
  const groups: FormedGroup[] = [];
  const gaveUp: string[] = [];
  const history: ConsentHistory = { consents: [], since: firstDay.toUTC().toISO()! };
  let overdueWhileAGroupCouldForm = 0;
  let pool: Arrival[] = [];
  let next = 0;
  // The coordinator plans on Monday mornings: the first Monday of the warm-up year, then weekly.
  const start = firstDay.set({ hour: 9 });
  for (let run = start.plus({ days: (8 - start.weekday) % 7 }); run < lastDay; run = run.plus({ weeks: 1 })) {
    const now = run.toJSDate();
    const nowIso = now.toISOString();
    while (next < arrivals.length && arrivals[next]!.waitingSince <= nowIso) {
      const a = arrivals[next++]!;
      pool.push(a);
      history.consents.push({ ageBand: a.ageBand, at: a.waitingSince });
    }
    // The pool wait re-runs weekly; past the longest wait the referral leaves without a group.
    const waited = (a: Arrival) => now.getTime() - Date.parse(a.waitingSince) >= settings.maxPoolDays * DAY;
    gaveUp.push(...pool.filter(waited).map((a) => a.referralId));
    pool = pool.filter((a) => !waited(a));

    const proposals =
      strategy === 'planner' ? plannerGroups(pool, now, history) : carefulCoordinatorGroups(pool, now);
    const confirmedOn = run.toISODate()!;
    for (const p of proposals)
      groups.push({
        ...p,
        confirmedOn,
        confirmedAt: nowIso,
        firstMeetingOn: firstMeetingOn(p.format, confirmedOn),
      });
    const placed = new Set(proposals.flatMap((p) => p.members));
    pool = pool.filter((a) => !placed.has(a.referralId));
    for (const a of pool)
      if (
        now.getTime() - Date.parse(a.waitingSince) >= settings.maxWaitDaysBeforeWeekend * DAY &&
        pool.filter((b) => b.ageBand === a.ageBand).length >= settings.minGroupSize
      )
        overdueWhileAGroupCouldForm++;
  }
  const stillWaiting = [...pool, ...arrivals.slice(next)].map((a) => a.referralId);
  return { strategy, scenario, arrivals, groups, gaveUp, stillWaiting, overdueWhileAGroupCouldForm };
}

export interface YearMetrics {
  /** Children who consented in the measured year. */
  children: number;
  /** Over all of them: consent to first meeting, or to giving up for a child never placed. */
  medianWaitDays: number;
  p90WaitDays: number;
  /** Percent of them whose first meeting came within 8 weeks of consent. */
  placedWithin8Weeks: number;
  placed: number;
  gaveUp: number;
  /** Groups with a measured child: percent with at least 6 children, mean size, formats. */
  groupsOfSixOrMore: number;
  meanGroupSize: number;
  groups: number;
  weeklyGroups: number;
  weekendGroups: number;
  groupsBelowMinimum: number;
  /** Percent of the measured children who cannot come on weekdays that were placed in a weekend. */
  noWeekdaysInWeekend: number;
  overdueWhileAGroupCouldForm: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

const percent = (part: number, whole: number) => (whole ? (100 * part) / whole : NaN);

export function yearMetrics(result: YearResult): YearMetrics {
  const { maxPoolDays, minGroupSize } = GROUP_SETTINGS.grouping;
  const measured = result.arrivals.filter((a) => a.measured);
  const groupOf = new Map(result.groups.flatMap((g) => g.members.map((id) => [id, g] as const)));
  const waitDays = (a: Arrival) => {
    const g = groupOf.get(a.referralId);
    // Never placed: the referral closed as no-group after the longest wait (the tail outlasts it).
    return g
      ? DateTime.fromISO(g.firstMeetingOn).diff(DateTime.fromISO(a.consentDate), 'days').days
      : maxPoolDays;
  };
  const waits = measured.map(waitDays);
  const ids = new Set(measured.map((a) => a.referralId));
  const groups = result.groups.filter((g) => g.members.some((id) => ids.has(id)));
  const noWeekdays = measured.filter((a) => a.noWeekdays);
  return {
    children: measured.length,
    medianWaitDays: median(waits),
    p90WaitDays: percentile(waits, 90),
    placedWithin8Weeks: percent(
      measured.filter((a) => groupOf.has(a.referralId) && waitDays(a) <= EIGHT_WEEKS_DAYS).length,
      measured.length,
    ),
    placed: measured.filter((a) => groupOf.has(a.referralId)).length,
    gaveUp: measured.filter((a) => !groupOf.has(a.referralId)).length,
    groupsOfSixOrMore: percent(groups.filter((g) => g.members.length >= 6).length, groups.length),
    meanGroupSize: groups.length ? groups.reduce((n, g) => n + g.members.length, 0) / groups.length : NaN,
    groups: groups.length,
    weeklyGroups: groups.filter((g) => g.format === 'weekly').length,
    weekendGroups: groups.filter((g) => g.format === 'weekend').length,
    groupsBelowMinimum: groups.filter((g) => g.members.length < minGroupSize).length,
    noWeekdaysInWeekend: percent(
      noWeekdays.filter((a) => groupOf.get(a.referralId)?.format === 'weekend').length,
      noWeekdays.length,
    ),
    overdueWhileAGroupCouldForm: result.overdueWhileAGroupCouldForm,
  };
}

export const SCENARIOS: Scenario[] = DEMANDS.flatMap((perYear) =>
  DISTRICT_COUNTS.flatMap((districts) => SEEDS.map((seed) => ({ seed, perYear, districts }))),
);

/** Every strategy on every scenario: one line per seed, demand, district count and strategy. */
export function placementTable(scenarios: Scenario[] = SCENARIOS) {
  return scenarios.flatMap((scenario) =>
    STRATEGIES.map((strategy) => ({ ...scenario, strategy, ...yearMetrics(simulate(strategy, scenario)) })),
  );
}
export type PlacementLine = ReturnType<typeof placementTable>[number];

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (value: number, baseline: number) =>
  Number.isFinite(value) && Number.isFinite(baseline) && baseline !== 0
    ? Math.round((value / baseline) * 100) / 100
    : undefined;

/** The metrics reported as rows, in order: name, unit, field. */
export const PLACEMENT_METRICS: [string, string, keyof YearMetrics][] = [
  ['median wait days (all children)', 'days', 'medianWaitDays'],
  ['p90 wait days (all children)', 'days', 'p90WaitDays'],
  ['groups with >= 6 children', '%', 'groupsOfSixOrMore'],
  ['placed within 8 weeks', '%', 'placedWithin8Weeks'],
  ['mean group size', '', 'meanGroupSize'],
  ['weekly groups', '', 'weeklyGroups'],
  ['weekend groups', '', 'weekendGroups'],
  ['no-weekday children placed in a weekend', '%', 'noWeekdaysInWeekend'],
  ['groups below the minimum', '', 'groupsBelowMinimum'],
  ['children overdue while a group could form', 'planning runs', 'overdueWhileAGroupCouldForm'],
];

/** The bench rows: medians over seeds, planner against the careful coordinator. */
export function placementRows(table: PlacementLine[]): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const perYear of DEMANDS)
    for (const districts of [14, 13] as const) {
      const lines = table.filter((l) => l.perYear === perYear && l.districts === districts);
      if (!lines.length) continue;
      const suffix =
        perYear === HEADLINE_DEMAND && districts === 14
          ? ''
          : ` @${perYear}/yr${districts === 13 ? ', 13 districts' : ''}`;
      const of = (strategy: Strategy, field: keyof YearMetrics) =>
        median(lines.filter((l) => l.strategy === strategy).map((l) => l[field] as number));
      const seeds = [...new Set(lines.map((l) => l.seed))];
      const children = of('planner', 'children');
      for (const [name, unit, field] of PLACEMENT_METRICS) {
        const value = of('planner', field);
        const base = of('careful-coordinator', field);
        rows.push({
          bench: 'placement',
          metric: `${name}${suffix}`,
          value: round1(value),
          unit,
          baseline: round1(base),
          ratio: ratio(value, base),
          ...(field === 'medianWaitDays'
            ? {
                note:
                  `median over seeds ${seeds.join(', ')}; ~${Math.round(children)} children consented in ` +
                  `${YEAR}, ${districts} districts; baseline: the careful coordinator`,
              }
            : {}),
        });
      }
    }
  return rows;
}

/** The full table, one line per seed, demand, districts and strategy (for the log and the README). */
export function formatPlacementTable(table: PlacementLine[]): string[] {
  const head =
    'demand | districts | seed | strategy | children | median | p90 | ≤8 wk % | ≥6 % | mean size | weekly | weekend | no-weekday in weekend % | gave up';
  return [
    head,
    ...table.map((l) =>
      [
        `${l.perYear}/yr`,
        l.districts,
        l.seed,
        l.strategy,
        l.children,
        round1(l.medianWaitDays),
        round1(l.p90WaitDays),
        round1(l.placedWithin8Weeks),
        round1(l.groupsOfSixOrMore),
        round1(l.meanGroupSize),
        l.weeklyGroups,
        l.weekendGroups,
        round1(l.noWeekdaysInWeekend),
        l.gaveUp,
      ].join(' | '),
    ),
  ];
}

export const placement: Benchmark = async ({ quick, log }) => {
  // A few seconds in all; a quick run takes one seed.
  const table = placementTable(quick ? SCENARIOS.filter((s) => s.seed === SEEDS[0]) : SCENARIOS);
  for (const line of formatPlacementTable(table)) log(`placement: ${line}`);
  return placementRows(table);
};
