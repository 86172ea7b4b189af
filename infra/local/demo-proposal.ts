/**
 * `npm run demo:proposal`: the planner's proposal for a seeded pool of consented referrals
 * (deterministic, so the figures can be quoted). POOL_SIZE and SEED change the pool.
 * Children come from every district, as to Bris's premises; ages 7–18, about one in ten unable to come
 * on weekdays. The look-ahead is the configured rate (no history in a demo).
 */
import {
  bandForecasts,
  DEFAULT_GROUPING_SETTINGS,
  proposeGroups,
  type PoolEntry,
} from '../../functions/domain/grouping';
import { STOCKHOLM_DISTRICTS_2017 } from '../../functions/domain/partnership';
import { seededRandom } from './seeded-random';

const size = Number(process.env.POOL_SIZE ?? 40);
const random = seededRandom(Number(process.env.SEED ?? 2017));
const now = new Date('2026-11-23T10:00:00Z');
const settings = DEFAULT_GROUPING_SETTINGS;
const bands = settings.ageBands;
// Demand is uneven across districts, as in the city: a few large districts, many small ones.
const weights = STOCKHOLM_DISTRICTS_2017.map((_, i) => (i < 3 ? 4 : 1));
const total = weights.reduce((a, b) => a + b, 0);
function district(): string {
  let r = random() * total;
  for (const [i, w] of weights.entries()) if ((r -= w) < 0) return STOCKHOLM_DISTRICTS_2017[i]!;
  return STOCKHOLM_DISTRICTS_2017[0]!;
}
const pool: PoolEntry[] = Array.from({ length: size }, (_, i) => {
  const band = bands[Math.floor(random() * bands.length)]!;
  const age = band.min + Math.floor(random() * (band.max - band.min + 1));
  return {
    referralId: `R-${String(i + 1).padStart(4, '0')}`,
    ageBand: band.label,
    age,
    district: district(),
    waitingSince: new Date(now.getTime() - Math.floor(random() * 90) * 86_400_000).toISOString(),
    ...(random() < 0.1 ? { needs: { noWeekdays: true } } : {}),
  };
});

const byId = new Map(pool.map((e) => [e.referralId, e]));
const waitedDays = (id: string) =>
  Math.floor((now.getTime() - Date.parse(byId.get(id)!.waitingSince)) / 86_400_000);
const forecast = bandForecasts(settings, now);
const { proposals, waiting } = proposeGroups(pool, settings, now, forecast);
console.log(
  `Pool: ${size} consented referrals (seed ${process.env.SEED ?? 2017}), settings ${JSON.stringify(settings)}`,
);
console.table(
  proposals.map((g) => {
    const days = g.members.map(waitedDays).sort((a, b) => a - b);
    const ages = g.members.map((id) => byId.get(id)!.age!);
    return {
      format: g.format,
      band: g.ageBand,
      ages: `${Math.min(...ages)}–${Math.max(...ages)}`,
      districts: new Set(g.members.map((id) => byId.get(id)!.district)).size,
      children: g.members.length,
      'waited min/median/max (days)': `${days[0]}/${days[Math.floor(days.length / 2)]}/${days.at(-1)}`,
    };
  }),
);
const waitDays = waiting.map(waitedDays).sort((a, b) => a - b);
console.log(
  `Placed ${size - waiting.length} of ${size} in ${proposals.length} groups; ${waiting.length} wait ` +
    `(waited ${waitDays[0] ?? '-'}–${waitDays.at(-1) ?? '-'} days): fewer than ${settings.targetGroupSize} in ` +
    `their band, and the look-ahead (${bands.map((b) => `${b.label}: ${forecast[b.label]!.toFixed(2)}`).join(', ')} ` +
    `children a week) leaves time before the longest wait of ${settings.maxWaitDaysBeforeWeekend} days.`,
);
