/**
 * Proposing groups from the pool of consented children. Bris decides the format from the number of
 * referrals and the child's circumstances; this proposes, the coordinator confirms.
 *  - A weekly group is formed per age band and district (children travel to it every week), when at
 *    least `minGroupSize` children are waiting; never more than `maxGroupSize`.
 *  - A child who has waited `maxWaitDaysBeforeWeekend`, or who cannot attend on weekdays, goes to a
 *    support weekend of the same age band, which may mix districts.
 */
export interface GroupingSettings {
  ageBands: { label: string; min: number; max: number }[];
  minGroupSize: number;
  maxGroupSize: number;
  minWeekendSize: number;
  maxWaitDaysBeforeWeekend: number;
  /** After this many days in the pool without a group the referral closes as `no-group`. */
  maxPoolDays: number;
}

export const DEFAULT_GROUPING_SETTINGS: GroupingSettings = {
  ageBands: [
    { label: '7-9', min: 7, max: 9 },
    { label: '10-12', min: 10, max: 12 },
    { label: '13-15', min: 13, max: 15 },
    { label: '16-18', min: 16, max: 18 },
  ],
  minGroupSize: 5,
  maxGroupSize: 8,
  minWeekendSize: 3,
  maxWaitDaysBeforeWeekend: 42,
  maxPoolDays: 180,
};

export interface PoolEntry {
  referralId: string;
  ageBand: string;
  district: string;
  /** UTC ISO instant: when consent was complete. */
  waitingSince: string;
  /** Recorded at screening: e.g. cannot attend weekday afternoons. */
  needs?: { noWeekdays?: boolean };
}

export interface Proposal {
  format: 'weekly' | 'weekend';
  ageBand: string;
  /** Weekly groups are local to one district; weekends may mix. */
  district?: string;
  members: string[];
}

export interface PoolProposal {
  proposals: Proposal[];
  waiting: string[];
}

const DAY = 86_400_000;

/**
 * The longest one wait in the pool lasts: then the planner looks again, so that a child passing its
 * waiting limit is noticed (a declared bound of the state machine, workflows/execution-bounds.ts).
 */
export const POOL_LOOK_AGAIN_DAYS = 7;

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

export function proposeGroups(pool: PoolEntry[], settings: GroupingSettings, now: Date): PoolProposal {
  const proposals: Proposal[] = [];
  const waiting: string[] = [];
  const oldestFirst = [...pool].sort(
    (a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.referralId.localeCompare(b.referralId),
  );
  const waitedLong = (e: PoolEntry) =>
    now.getTime() - Date.parse(e.waitingSince) >= settings.maxWaitDaysBeforeWeekend * DAY;

  for (const band of new Set(oldestFirst.map((e) => e.ageBand))) {
    const inBand = oldestFirst.filter((e) => e.ageBand === band);
    const weekendCandidates: PoolEntry[] = inBand.filter((e) => e.needs?.noWeekdays);
    const byDistrict = new Map<string, PoolEntry[]>();
    for (const e of inBand)
      if (!e.needs?.noWeekdays) byDistrict.set(e.district, [...(byDistrict.get(e.district) ?? []), e]);

    for (const [district, entries] of byDistrict) {
      if (entries.length < settings.minGroupSize) {
        weekendCandidates.push(...entries.filter(waitedLong));
        waiting.push(...entries.filter((e) => !waitedLong(e)).map((e) => e.referralId));
        continue;
      }
      // Even chunks; when the last would fall below the minimum, the newest wait for the next group.
      let chunks = evenChunks(entries, settings.maxGroupSize);
      if (chunks.some((c) => c.length < settings.minGroupSize)) {
        const full = Math.floor(entries.length / settings.maxGroupSize);
        chunks = evenChunks(entries.slice(0, full * settings.maxGroupSize), settings.maxGroupSize);
        const rest = entries.slice(full * settings.maxGroupSize);
        weekendCandidates.push(...rest.filter(waitedLong));
        waiting.push(...rest.filter((e) => !waitedLong(e)).map((e) => e.referralId));
      }
      for (const c of chunks)
        proposals.push({ format: 'weekly', ageBand: band, district, members: c.map((e) => e.referralId) });
    }

    weekendCandidates.sort((a, b) => a.waitingSince.localeCompare(b.waitingSince));
    if (weekendCandidates.length >= settings.minWeekendSize) {
      for (const c of evenChunks(weekendCandidates, settings.maxGroupSize))
        proposals.push({ format: 'weekend', ageBand: band, members: c.map((e) => e.referralId) });
    } else {
      waiting.push(...weekendCandidates.map((e) => e.referralId));
    }
  }
  return { proposals, waiting };
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
