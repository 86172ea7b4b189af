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
