/** The local server's per-client limits: a fixed window per (client, route), from PUBLIC_POST_LIMITS. */
import { expect, it } from 'vitest';
import { ClientLimiter } from '../../infra/local/client-limits';
import type { PublicPostLimit } from '../../infra/public-post-limits';

const LIMITS: PublicPostLimit[] = [
  {
    routeKey: 'POST /referrals',
    perClient: { max: 2, windowSeconds: 60 },
    route: { rateLimit: 1, burstLimit: 1 },
  },
  {
    routeKey: 'POST /staff/sign-in',
    perClient: { max: 1, windowSeconds: 60 },
    route: { rateLimit: 1, burstLimit: 1 },
  },
];

it('refuses a client past its limit on a route until the window ends, and says how long to wait', () => {
  let now = 10 * 60_000 + 15_000; // 15 s into a window
  const limiter = new ClientLimiter(LIMITS, () => now);
  expect(limiter.check('POST /referrals', 'a')).toEqual({ allowed: true });
  expect(limiter.check('POST /referrals', 'a')).toEqual({ allowed: true });
  expect(limiter.check('POST /referrals', 'a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
  // Another client, another route, a route without a limit: each on its own.
  expect(limiter.check('POST /referrals', 'b')).toEqual({ allowed: true });
  expect(limiter.check('POST /staff/sign-in', 'a')).toEqual({ allowed: true });
  expect(limiter.check('GET /', 'a')).toEqual({ allowed: true });
  now += 45_000;
  expect(limiter.check('POST /referrals', 'a')).toEqual({ allowed: true });
});
