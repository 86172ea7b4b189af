/**
 * `npm run demo:proposal`: the planner's proposal for a seeded pool of consented referrals
 * (deterministic, so the figures can be quoted). POOL_SIZE and SEED change the pool.
 */
import { DEFAULT_GROUPING_SETTINGS, proposeGroups, type PoolEntry } from '../../functions/domain/grouping';
import { STOCKHOLM_DISTRICTS_2017 } from '../../functions/domain/partnership';
import { seededRandom } from './seeded-random';

const size = Number(process.env.POOL_SIZE ?? 40);
const random = seededRandom(Number(process.env.SEED ?? 2017));
const now = new Date('2026-11-23T10:00:00Z');
const bands = DEFAULT_GROUPING_SETTINGS.ageBands.map((b) => b.label);
// Demand is uneven across districts, as in the city: a few large districts, many small ones.
const weights = STOCKHOLM_DISTRICTS_2017.map((_, i) => (i < 3 ? 4 : 1));
const total = weights.reduce((a, b) => a + b, 0);
function district(): string {
  let r = random() * total;
  for (const [i, w] of weights.entries()) if ((r -= w) < 0) return STOCKHOLM_DISTRICTS_2017[i]!;
  return STOCKHOLM_DISTRICTS_2017[0]!;
}
const pool: PoolEntry[] = Array.from({ length: size }, (_, i) => ({
  referralId: `R-${String(i + 1).padStart(4, '0')}`,
  ageBand: bands[Math.floor(random() * bands.length)]!,
  district: district(),
  waitingSince: new Date(now.getTime() - Math.floor(random() * 90) * 86_400_000).toISOString(),
  needs: random() < 0.1 ? { noWeekdays: true } : undefined,
}));

const waitedDays = (id: string) =>
  Math.floor((now.getTime() - Date.parse(pool.find((e) => e.referralId === id)!.waitingSince)) / 86_400_000);
const { proposals, waiting } = proposeGroups(pool, DEFAULT_GROUPING_SETTINGS, now);
console.log(
  `Pool: ${size} consented referrals (seed ${process.env.SEED ?? 2017}), settings ${JSON.stringify(DEFAULT_GROUPING_SETTINGS)}`,
);
console.table(
  proposals.map((g) => {
    const days = g.members.map(waitedDays).sort((a, b) => a - b);
    return {
      format: g.format,
      band: g.ageBand,
      district: g.district ?? '(mixed)',
      children: g.members.length,
      'waited min/median/max (days)': `${days[0]}/${days[Math.floor(days.length / 2)]}/${days.at(-1)}`,
    };
  }),
);
const waitDays = waiting.map(waitedDays).sort((a, b) => a - b);
const overdue = waitDays.filter((d) => d >= DEFAULT_GROUPING_SETTINGS.maxWaitDaysBeforeWeekend).length;
console.log(
  `Placed ${size - waiting.length} of ${size} in ${proposals.length} groups; ${waiting.length} wait ` +
    `(waited ${waitDays[0] ?? '-'}–${waitDays.at(-1) ?? '-'} days; ${overdue} past the ${DEFAULT_GROUPING_SETTINGS.maxWaitDaysBeforeWeekend}-day limit, too few in their band for a weekend).`,
);
