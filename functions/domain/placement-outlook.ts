/**
 * What the coordinator needs in front of her to accept or overrule the planner, per age band: who waits and
 * for how long, the groups proposed now, and what waiting one more week would change. Pure: the planner and
 * the forecast of arrivals are parameters, so this reads any planner (today's `proposeGroups`, or one that
 * looks ahead) the same way, and a test can give it any forecast.
 */
import type { PoolEntry, PoolProposal, Proposal } from './grouping';

const DAY = 86_400_000;
const WEEK_DAYS = 7;

/** Any planner: what it proposes for a pool at a moment. */
export type Planner = (pool: PoolEntry[], now: Date) => PoolProposal;
/** Children expected to join a band's pool in a week (may be fractional: a rate). */
export type ArrivalForecast = (ageBand: string) => number;

export interface WaitingChild {
  referralId: string;
  district: string;
  /** UTC ISO instant: consent complete, the wait began. */
  waitingSince: string;
  daysWaited: number;
  noWeekdays: boolean;
}

export interface ProposedGroup {
  format: 'weekly' | 'weekend';
  size: number;
  /** Where the members live (a group meets at the premises). */
  districts: string[];
  members: string[];
}

export interface BandOutlook {
  ageBand: string;
  /** Every child waiting in the band, the longest wait first. */
  waiting: WaitingChild[];
  /** What the planner proposes now. */
  proposed: ProposedGroup[];
  /** The longest wait in the band today, in days (0 when nobody waits). */
  oldestWaitDays: number;
  oneMoreWeek: {
    /** The forecast's rate, and the whole children the simulation adds (the rate rounded). */
    expectedArrivals: number;
    arrivalsAssumed: number;
    /** What the planner would propose a week from now with the expected arrivals. */
    proposed: { format: 'weekly' | 'weekend'; size: number }[];
    /** The size of the group the band's longest-waiting child would be in then; 0 when none. */
    expectedGroupSize: number;
    /** The longest-waiting child's wait a week from now, in days (0 when nobody waits). */
    oldestWaitDays: number;
  };
}

const daysBetween = (since: string, at: Date) =>
  Math.max(0, Math.floor((at.getTime() - Date.parse(since)) / DAY));

/**
 * The children expected in a week, spread evenly over it, living where the band's waiting children live
 * (in turn, the longest-waiting first): the best guess without knowing who they are. Their ids cannot
 * collide with a referral's.
 */
function expectedArrivals(ageBand: string, inBand: PoolEntry[], count: number, now: Date): PoolEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    referralId: `expected-${ageBand}-${i + 1}`,
    ageBand,
    district: inBand.length ? inBand[i % inBand.length]!.district : 'expected',
    waitingSince: new Date(now.getTime() + ((i + 1) * WEEK_DAYS * DAY) / (count + 1)).toISOString(),
  }));
}

/** The outlook of each band that has children waiting, in the order the bands are given. */
export function placementOutlook(input: {
  pool: PoolEntry[];
  now: Date;
  ageBands: string[];
  plan: Planner;
  expectedArrivalsPerWeek: ArrivalForecast;
}): BandOutlook[] {
  const { pool, now, plan } = input;
  const today = plan(pool, now);
  const inAWeek = new Date(now.getTime() + WEEK_DAYS * DAY);
  const oldestFirst = [...pool].sort(
    (a, b) => a.waitingSince.localeCompare(b.waitingSince) || a.referralId.localeCompare(b.referralId),
  );
  const bands = input.ageBands.map((ageBand) => {
    const inBand = oldestFirst.filter((e) => e.ageBand === ageBand);
    const rate = Math.max(0, input.expectedArrivalsPerWeek(ageBand));
    return { ageBand, inBand, rate, arrivals: expectedArrivals(ageBand, inBand, Math.round(rate), now) };
  });
  // The whole pool at once, as the planner sees it: a planner may seat a child at a band's edge next door.
  const byId = new Map(pool.map((e) => [e.referralId, e]));
  const later = plan([...pool, ...bands.flatMap((b) => b.arrivals)], inAWeek).proposals;
  return bands.flatMap(({ ageBand, inBand, rate, arrivals }) => {
    if (!inBand.length) return [];
    const oldest = inBand[0]!;
    const oldestGroup = later.find((p) => p.members.includes(oldest.referralId));
    const laterInBand = later.filter((p) => p.ageBand === ageBand);
    return [
      {
        ageBand,
        waiting: inBand.map((e) => ({
          referralId: e.referralId,
          district: e.district,
          waitingSince: e.waitingSince,
          daysWaited: daysBetween(e.waitingSince, now),
          noWeekdays: !!e.needs?.noWeekdays,
        })),
        proposed: today.proposals
          .filter((p) => p.ageBand === ageBand)
          .map((p) => ({
            format: p.format,
            size: p.members.length,
            districts: [...new Set(p.members.map((id) => byId.get(id)?.district ?? p.district ?? ''))]
              .filter(Boolean)
              .sort(),
            members: p.members,
          })),
        oldestWaitDays: daysBetween(oldest.waitingSince, now),
        oneMoreWeek: {
          expectedArrivals: Math.round(rate * 10) / 10,
          arrivalsAssumed: arrivals.length,
          proposed: laterInBand.map((p) => ({ format: p.format, size: p.members.length })),
          expectedGroupSize: oldestGroup?.members.length ?? 0,
          oldestWaitDays: daysBetween(oldest.waitingSince, inAWeek),
        },
      },
    ];
  });
}

type GroupFormat = Proposal['format'];

/** How the coordinator answered a band's proposal, against what the planner proposed. */
export type CoordinatorAnswer =
  { action: 'postpone' } | { action: 'confirm'; format: GroupFormat; members: string[] };

export interface CoordinatorChoice {
  choice: 'accepted' | 'overruled';
  /** What she changed, as codes: `waited`, `format`, `removed`, `added`, `without-proposal`. */
  changes: string[];
  /** The children the choice concerns: the proposed group's and the chosen group's, or all waiting. */
  affected: string[];
  /** For the audit trail: codes and numbers only, with the outlook's figures she had in front of her. */
  detail: Record<string, string>;
}

/**
 * Accepted: she confirmed the proposed group as it was, or let the band wait when nothing was proposed.
 * Anything else overrules the planner, and the changes say how.
 */
export function coordinatorChoice(
  suggestion: { format: 'weekly' | 'weekend'; members: string[] } | undefined,
  outlook: BandOutlook | undefined,
  answer: CoordinatorAnswer,
): CoordinatorChoice {
  const changes: string[] = [];
  let affected: string[];
  const counts: Record<string, string> = {};
  if (answer.action === 'postpone') {
    if (suggestion) changes.push('waited');
    affected = outlook?.waiting.map((w) => w.referralId) ?? suggestion?.members ?? [];
  } else if (!suggestion) {
    changes.push('without-proposal');
    affected = answer.members;
  } else {
    const proposed = new Set(suggestion.members);
    const chosen = new Set(answer.members);
    const removed = suggestion.members.filter((id) => !chosen.has(id)).length;
    const added = answer.members.filter((id) => !proposed.has(id)).length;
    if (answer.format !== suggestion.format) changes.push('format');
    if (removed) changes.push('removed');
    if (added) changes.push('added');
    counts.removed = String(removed);
    counts.added = String(added);
    affected = [...new Set([...suggestion.members, ...answer.members])];
  }
  const oldest = outlook?.waiting[0]?.referralId;
  const oldestGroupNow = outlook?.proposed.find((g) => oldest && g.members.includes(oldest))?.size ?? 0;
  const detail: Record<string, string> = {
    choice: changes.length ? 'overruled' : 'accepted',
    ...(changes.length ? { changes: changes.join(',') } : {}),
    ...(suggestion
      ? { proposedFormat: suggestion.format, proposedSize: String(suggestion.members.length) }
      : {}),
    ...(answer.action === 'confirm'
      ? { format: answer.format, chosenSize: String(answer.members.length) }
      : {}),
    ...counts,
    ...(outlook
      ? {
          oldestWaitDays: String(outlook.oldestWaitDays),
          groupSizeNow: String(oldestGroupNow),
          weekOldestWaitDays: String(outlook.oneMoreWeek.oldestWaitDays),
          weekGroupSize: String(outlook.oneMoreWeek.expectedGroupSize),
          weekArrivals: String(outlook.oneMoreWeek.arrivalsAssumed),
        }
      : {}),
  };
  return { choice: changes.length ? 'overruled' : 'accepted', changes, affected: affected.sort(), detail };
}
