/**
 * Benchmark: per HTTP route, the table round trips it waits for one after the other (issue 15: at most 3)
 * and the table requests it sends per call, over a walk of every route family at the states people meet
 * them in (bench/route-walk.ts) on the embedded system. One row per route: the most round trips any call
 * of it took, and the mean requests per call (the walk's states in the note).
 */
import { startLocalSystem } from '../infra/local/system';
import { walkRoutes } from './route-walk';
import type { Benchmark, BenchRow } from './types';

/** The limit: what every route should stay within. */
export const MAX_ROUND_TRIPS = 3;

export const routes: Benchmark = async ({ log }) => {
  const system = await startLocalSystem({ port: 0, quiet: true, clientLimits: 'off', signInEmailLimits: [] });
  try {
    log('routes: walking every route family…');
    const calls = await walkRoutes(system);
    const byRoute = new Map<string, typeof calls>();
    for (const c of calls) byRoute.set(c.route, [...(byRoute.get(c.route) ?? []), c]);
    const rows: BenchRow[] = [];
    for (const [route, of] of [...byRoute].sort((a, b) => a[0].localeCompare(b[0]))) {
      const most = Math.max(...of.map((c) => c.roundTrips));
      const requests = of.reduce((n, c) => n + c.requests, 0) / of.length;
      const states = [...new Set(of.map((c) => c.state))].join(', ');
      const slowest = of.find((c) => c.roundTrips === most)!.state;
      rows.push({
        bench: `route: ${route}`,
        metric: 'sequential table round trips',
        value: most,
        unit: '',
        baseline: MAX_ROUND_TRIPS,
        ratio: Math.round((most / MAX_ROUND_TRIPS) * 100) / 100,
        note: `${Math.round(requests * 10) / 10} requests per call (${of.length} calls: ${states}); most at: ${slowest}`,
      });
    }
    return rows;
  } finally {
    await system.stop();
  }
};
