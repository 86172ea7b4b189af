/**
 * Proposing groups from the pool of consented children. Bris decides the format from the number of
 * referrals and the child's circumstances; this proposes, the coordinator confirms.
 *
 * Every group meets at Bris's premises, so a group gathers children from the whole city: the district is
 * where the child lives, never a wall (a group names its district only when all its children share one).
 *  - A band with `targetGroupSize` (6) or more waiting gets groups of six to eight at once, oldest first.
 *  - A smaller band waits (the children expected make its group fuller) until its oldest child would
 *    pass `maxWaitDaysBeforeWeekend` before the planner looks again. Then, unless the look-ahead
 *    (`bandForecast`: the children expected in the band per week) says a group of `targetGroupSize`
 *    forms in time, the band gets a group now of at least `minGroupSize` (four, as Bris runs them),
 *    topped up with children at the edge of a neighbouring band whose ages are no more than
 *    `maxAgeSpanYears` apart from everyone else's.
 *  - A group with a child who cannot come on weekdays (recorded at screening) is a support weekend; every
 *    other group is weekly. Children who can come on weekdays get a weekly group of their own when they
 *    fill one; those who cannot join the band's next group, which is then a weekend (they are too few,
 *    about one in seven, to fill weekends of their own within the longest wait).
 * A pure function of the pool, `now`, the settings and the forecast.
 */
export interface GroupingSettings {
  ageBands: { label: string; min: number; max: number }[];
  /** The smallest group the planner proposes (Bris runs groups of four to eight). */
  minGroupSize: number;
  maxGroupSize: number;
  /** Kept for partnerships that set it; weekends follow `minGroupSize` like any group. */
  minWeekendSize: number;
  /**
   * The longest a child should wait for a group: when the look-ahead says a group of `targetGroupSize`
   * would not form before the band's oldest child has waited this long, the band gets a smaller group now.
   */
  maxWaitDaysBeforeWeekend: number;
  /** After this many days in the pool without a group the referral closes as `no-group`. */
  maxPoolDays: number;
  /** The group size the planner waits for while the look-ahead allows (default 6). */
  targetGroupSize?: number;
  /**
   * The most years between the youngest and the oldest child of a group that takes a child from a
   * neighbouring band (default 3: a band covers three birth years, so 12 may join 10–12-year-olds but
   * not a group that also has a 9-year-old). Without borrowing, a group is its band.
   */
  maxAgeSpanYears?: number;
  /**
   * Consented children expected a year across all bands, used for the look-ahead until the partnership
   * has `FORECAST_HISTORY_MIN_WEEKS` of its own history (default 40: the Stockholm agreement's figure).
   */
  expectedConsentsPerYear?: number;
}

export const DEFAULT_GROUPING_SETTINGS: GroupingSettings = {
  ageBands: [
    { label: '7-9', min: 7, max: 9 },
    { label: '10-12', min: 10, max: 12 },
    { label: '13-15', min: 13, max: 15 },
    { label: '16-18', min: 16, max: 18 },
  ],
  minGroupSize: 4,
  maxGroupSize: 8,
  minWeekendSize: 4,
  // About 17 weeks: long enough that at 100 children a year and more nine groups in ten have six or more,
  // short enough that the wait stays well below a careful coordinator's (bench/README.md, placement).
  maxWaitDaysBeforeWeekend: 120,
  maxPoolDays: 180,
  targetGroupSize: 6,
  maxAgeSpanYears: 3,
  expectedConsentsPerYear: 40,
};

/** The optional settings with their defaults filled in. */
export function groupingSettingsOf(s: GroupingSettings): Required<GroupingSettings> {
  const d = DEFAULT_GROUPING_SETTINGS as Required<GroupingSettings>;
  const targetGroupSize = Math.min(
    s.maxGroupSize,
    Math.max(s.minGroupSize, s.targetGroupSize ?? d.targetGroupSize),
  );
  return {
    ...s,
    targetGroupSize,
    maxAgeSpanYears: s.maxAgeSpanYears ?? d.maxAgeSpanYears,
    expectedConsentsPerYear: s.expectedConsentsPerYear ?? d.expectedConsentsPerYear,
  };
}

export interface PoolEntry {
  referralId: string;
  ageBand: string;
  district: string;
  /** UTC ISO instant: when consent was complete. */
  waitingSince: string;
  /** Recorded at screening: e.g. cannot attend weekday afternoons. */
  needs?: { noWeekdays?: boolean };
  /** Age in whole years when referred: lets a child at the edge of its band join a neighbouring band's group. */
  age?: number;
}

export interface Proposal {
  format: 'weekly' | 'weekend';
  ageBand: string;
  /** Set when every child of the group lives in this district (groups meet at Bris, whatever the district). */
  district?: string;
  members: string[];
}

export interface PoolProposal {
  proposals: Proposal[];
  waiting: string[];
}

/** Expected consented children a week, per age band label: the planner's look-ahead. */
export type BandForecasts = Record<string, number>;

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const WEEKS_A_YEAR = 365.25 / 7;

/**
 * The longest one wait in the pool lasts: then the planner looks again, so that a child passing its
 * waiting limit is noticed (a declared bound of the state machine, workflows/execution-bounds.ts).
 */
export const POOL_LOOK_AGAIN_DAYS = 7;

/** The partnership's own history counts once it covers this many weeks; before, the configured rate. */
export const FORECAST_HISTORY_MIN_WEEKS = 8;
/** The history the forecast reads: the last half year. */
export const FORECAST_HISTORY_WEEKS = 26;

/** The partnership's consents so far, for the look-ahead. */
export interface ConsentHistory {
  /** UTC instants when consent was complete, with the child's age band. */
  consents: { ageBand: string; at: string }[];
  /** UTC instant from which consents were recorded (the partnership's first day in the system). */
  since: string;
}

/** Whether the forecast reads the partnership's own history (it covers `FORECAST_HISTORY_MIN_WEEKS`). */
export function forecastFromHistory(history: ConsentHistory | undefined, now: Date): boolean {
  if (!history) return false;
  const from = Math.max(Date.parse(history.since), now.getTime() - FORECAST_HISTORY_WEEKS * WEEK);
  return (now.getTime() - from) / WEEK >= FORECAST_HISTORY_MIN_WEEKS;
}

/**
 * Expected consented children a week in a band (the look-ahead; the proposal page shows what one more
 * week changes with it): from the partnership's last `FORECAST_HISTORY_WEEKS` of consents once they cover
 * `FORECAST_HISTORY_MIN_WEEKS`, until then `expectedConsentsPerYear` shared over the bands by their ages.
 */
export function bandForecast(
  ageBand: string,
  settings: GroupingSettings,
  now: Date,
  history?: ConsentHistory,
): number {
  const s = groupingSettingsOf(settings);
  if (history && forecastFromHistory(history, now)) {
    const from = Math.max(Date.parse(history.since), now.getTime() - FORECAST_HISTORY_WEEKS * WEEK);
    const weeks = (now.getTime() - from) / WEEK;
    const seen = history.consents.filter(
      (c) => c.ageBand === ageBand && Date.parse(c.at) >= from && Date.parse(c.at) <= now.getTime(),
    ).length;
    return seen / weeks;
  }
  const ages = (b: { min: number; max: number }) => b.max - b.min + 1;
  const band = s.ageBands.find((b) => b.label === ageBand);
  const all = s.ageBands.reduce((n, b) => n + ages(b), 0);
  if (!band || all === 0) return 0;
  return (s.expectedConsentsPerYear * ages(band)) / all / WEEKS_A_YEAR;
}

/** The look-ahead of every band of the settings. */
export function bandForecasts(
  settings: GroupingSettings,
  now: Date,
  history?: ConsentHistory,
): BandForecasts {
  return Object.fromEntries(
    settings.ageBands.map((b) => [b.label, bandForecast(b.label, settings, now, history)]),
  );
}

/** Splits n children into as few groups of at most `max` as possible, as even as possible. */
function evenChunks<T>(items: T[], max: number): T[][] {
  if (items.length === 0) return [];
  const groups = Math.ceil(items.length / max);
  const out: T[][] = [];
  let offset = 0;
  for (let g = 0; g < groups; g++) {
    const size = Math.floor(items.length / groups) + (g < items.length % groups ? 1 : 0);
    out.push(items.slice(offset, offset + size));
    offset += size;
  }
  return out;
}

const byWait = (a: PoolEntry, b: PoolEntry) =>
  a.waitingSince.localeCompare(b.waitingSince) || a.referralId.localeCompare(b.referralId);

/** The years between a group's youngest and oldest child, where every age is known. */
function ageSpan(members: PoolEntry[]): number | undefined {
  if (members.some((m) => m.age === undefined)) return undefined;
  const ages = members.map((m) => m.age!);
  return Math.max(...ages) - Math.min(...ages);
}

/**
 * Whether a group keeps to the age rule: one band, or (a child borrowed from a neighbouring band) every
 * age known and no more than `maxAgeSpanYears` apart.
 */
export function keepsAgeRule(members: PoolEntry[], settings: GroupingSettings): boolean {
  if (new Set(members.map((m) => m.ageBand)).size <= 1) return true;
  const span = ageSpan(members);
  return span !== undefined && span <= groupingSettingsOf(settings).maxAgeSpanYears;
}

function proposalOf(ageBand: string, members: PoolEntry[]): Proposal {
  const districts = new Set(members.map((m) => m.district));
  return {
    format: members.some((m) => m.needs?.noWeekdays) ? 'weekend' : 'weekly',
    ageBand,
    ...(districts.size === 1 ? { district: members[0]!.district } : {}),
    members: members.map((m) => m.referralId),
  };
}

/** Children who cannot come on weekdays first, so that they share as few groups (weekends) as possible. */
const noWeekdaysFirst = (xs: PoolEntry[]) =>
  [...xs].sort((a, b) => Number(!!b.needs?.noWeekdays) - Number(!!a.needs?.noWeekdays));

export function proposeGroups(
  pool: PoolEntry[],
  settings: GroupingSettings,
  now: Date,
  forecast: BandForecasts = bandForecasts(settings, now),
): PoolProposal {
  const s = groupingSettingsOf(settings);
  const proposals: Proposal[] = [];
  const placed = new Set<string>();
  const oldestFirst = [...pool].sort(byWait);
  const bands = [...new Set([...s.ageBands.map((b) => b.label), ...oldestFirst.map((e) => e.ageBand)])];
  const left = (band: string) => oldestFirst.filter((e) => e.ageBand === band && !placed.has(e.referralId));
  const place = (band: string, members: PoolEntry[]) => {
    proposals.push(proposalOf(band, members));
    for (const m of members) placed.add(m.referralId);
  };

  // 1. Full groups: a band with `targetGroupSize` or more waiting starts groups of six to eight, oldest first.
  for (const band of bands) {
    // A weekly group first when the children who can come on weekdays fill one on their own; then whoever
    // is left, together (a support weekend when one of them cannot come on weekdays).
    for (const who of [(e: PoolEntry) => !e.needs?.noWeekdays, () => true]) {
      const waiting = left(band).filter(who);
      const groups = Math.floor(waiting.length / s.targetGroupSize);
      if (!groups) continue;
      const taken = waiting.slice(0, Math.min(waiting.length, groups * s.maxGroupSize));
      for (const chunk of evenChunks(noWeekdaysFirst(taken), s.maxGroupSize)) place(band, chunk);
    }
  }
  // The look-ahead: a band is due when its oldest child would pass the longest wait before the planner
  // looks again, and the forecast says the band will not fill a group of `targetGroupSize` before then.
  // A band that is not due waits: the arrivals expected make its group fuller.
  const waitedDays = (e: PoolEntry) => (now.getTime() - Date.parse(e.waitingSince)) / DAY;
  const due = (band: string) => {
    const waiting = left(band);
    if (!waiting.length) return false;
    const perWeek = forecast[band] ?? 0;
    const daysToFull =
      perWeek > 0 ? (7 * (s.targetGroupSize - waiting.length)) / perWeek : Number.POSITIVE_INFINITY;
    const waited = waitedDays(waiting[0]!);
    return (
      waited + POOL_LOOK_AGAIN_DAYS > s.maxWaitDaysBeforeWeekend &&
      waited + daysToFull > s.maxWaitDaysBeforeWeekend
    );
  };
  // 1b. A band short of a full group takes children at the edge of a neighbouring band that cannot fill
  //     one of its own now, when that fills it (the age rule decides who may join).
  for (const band of bands) {
    const members = left(band);
    if (!members.length || members.length >= s.targetGroupSize) continue;
    const lenders = oldestFirst.filter(
      (e) =>
        e.ageBand !== band &&
        !placed.has(e.referralId) &&
        left(e.ageBand).length < s.targetGroupSize &&
        !due(e.ageBand),
    );
    for (const e of lenders) {
      if (members.length >= s.targetGroupSize) break;
      if (keepsAgeRule([...members, e], s)) members.push(e);
    }
    if (members.length >= s.targetGroupSize) place(band, noWeekdaysFirst(members));
  }

  // 2. Due bands, longest waiting first, get a group now of at least `minGroupSize`, topped up from the
  //    edges of neighbouring bands that cannot form their own.
  const dueBands = bands.filter(due).sort((a, b) => byWait(left(a)[0]!, left(b)[0]!) || a.localeCompare(b));
  const dueOwn = new Set(dueBands.filter((b) => left(b).length >= s.minGroupSize));
  for (const band of dueBands) {
    const members = left(band);
    if (!members.length) continue;
    // Only where every age is known can a neighbour's child join; longest waiting first.
    const lenders = oldestFirst.filter(
      (e) => e.ageBand !== band && !placed.has(e.referralId) && !dueOwn.has(e.ageBand),
    );
    for (const e of lenders) {
      if (members.length >= s.targetGroupSize) break;
      if (keepsAgeRule([...members, e], s)) members.push(e);
    }
    if (members.length >= s.minGroupSize) place(band, noWeekdaysFirst(members));
  }

  return {
    proposals,
    waiting: oldestFirst.filter((e) => !placed.has(e.referralId)).map((e) => e.referralId),
  };
}

/**
 * The clock of an age band's group proposal, shared by every child waiting in the band: the coordinator's
 * reminders and the escalation count from `since`, when the planner first proposed a group for the band
 * that the coordinator has not answered yet.
 */
export interface ProposalClock {
  ageBand: string;
  /** UTC ISO instant. */
  since: string;
  /**
   * The clock has stopped: the coordinator confirmed a group or chose to wait (`shown`: what the planner
   * proposed then, as `proposalPairs`), or the planner had nothing to propose any more (`shown` empty).
   */
  stopped?: { at: string; shown: string[] };
  /** The link the latest reminder carried: it is closed when the clock stops. */
  reminderLink?: string;
}

/** The planner's proposals as `format:referralId` pairs: who is proposed, for which format. */
/**
 * The children a confirmation has claimed while its group's workflow places them: the pool's pages leave
 * them out until `until` (minutes: placing takes seconds; a claim left by a confirmation that was cut off
 * stops counting by itself), so nobody confirms them into a second group meanwhile.
 */
export interface PoolClaim {
  groupId: string;
  members: string[];
  until: string;
}

/** How long a claim counts. */
export const POOL_CLAIM_MINUTES = 10;

/** The children claimed at `now` by confirmations being placed. */
export function claimedAt(claims: PoolClaim[], now: Date): Set<string> {
  const at = now.toISOString();
  return new Set(claims.filter((c) => c.until > at).flatMap((c) => c.members));
}

/** The entries not claimed at `now` by a confirmation being placed. */
export function unclaimed(entries: PoolEntry[], claims: PoolClaim[], now: Date): PoolEntry[] {
  const claimed = claimedAt(claims, now);
  return entries.filter((e) => !claimed.has(e.referralId));
}

export function proposalPairs(proposals: Proposal[]): string[] {
  return proposals.flatMap((p) => p.members.map((id) => `${p.format}:${id}`)).sort();
}

export type ProposalClockChange =
  | { kind: 'keep' }
  | { kind: 'start'; clock: ProposalClock; replaces?: string }
  | { kind: 'stop'; since: string };

/**
 * How a band's clock goes on, given what the planner proposes for the band now.
 *  - While a proposal stays unanswered its clock runs on, even as children join it or its format changes:
 *    restarting it would let a steady trickle of new children put the reminders off for ever.
 *  - Once the coordinator has answered (confirmed a group, or chosen to wait), a proposal is materially new
 *    only when it proposes a child she was not shown then, or a child for another format: that starts a new
 *    clock. The children she left waiting do not start one by themselves.
 *  - When the planner has nothing to propose any more (children withdrew), the clock stops; a later
 *    proposal starts a new one.
 */
export function nextProposalClock(
  stored: ProposalClock | undefined,
  proposals: Proposal[],
  ageBand: string,
  now: Date,
): ProposalClockChange {
  const pairs = proposalPairs(proposals.filter((p) => p.ageBand === ageBand));
  const fresh = { ageBand, since: now.toISOString() };
  if (!pairs.length)
    return stored && !stored.stopped ? { kind: 'stop', since: stored.since } : { kind: 'keep' };
  if (!stored) return { kind: 'start', clock: fresh };
  if (!stored.stopped) return { kind: 'keep' };
  const shown = new Set(stored.stopped.shown);
  return pairs.some((p) => !shown.has(p))
    ? { kind: 'start', clock: fresh, replaces: stored.since }
    : { kind: 'keep' };
}
