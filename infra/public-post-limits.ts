/**
 * Limits on the public POST endpoints (the referral form, capability links, staff sign-in), so that one
 * client cannot use up the HTTP API's shared stage throttle (API_THROTTLE) for everyone else, nor make the
 * system do much work on its behalf. Declared once, used three ways:
 *
 * - `route`: API Gateway's per-route throttle in the stage (a token bucket per route, shared by all
 *   clients; an HTTP API cannot throttle per client). Keeps a flood on one route from taking the whole
 *   stage's 20 requests/s, so the other routes (a custodian's consent link) still answer.
 * - `perClient`: the per-client limit. In AWS an optional AWS WAF rate-based rule (per IP) on a CloudFront
 *   distribution in front of the API enforces it (README, "Abuse limits in AWS"); locally the local HTTP server enforces it
 *   per remote address (infra/local/client-limits.ts), so tests see the same refusals.
 *
 * WAF's evaluation windows are 60, 120, 300 or 600 seconds and its lowest limit is 10 requests, so the
 * per-client limits are stated in those terms.
 */
export interface ClientLimit {
  /** Requests one client may make to the route in one window. */
  max: number;
  windowSeconds: 60 | 120 | 300 | 600;
}

export interface PublicPostLimit {
  /** The HTTP API route key, exactly as in infra/functions-catalog.ts. */
  routeKey: string;
  perClient: ClientLimit;
  /** Stage route settings: steady requests per second and bucket size, for all clients together. */
  route: { rateLimit: number; burstLimit: number };
}

export const PUBLIC_POST_LIMITS: readonly PublicPostLimit[] = [
  // 40–200 referrals a year; a social worker correcting a form posts it a few times.
  {
    routeKey: 'POST /referrals',
    perClient: { max: 10, windowSeconds: 300 },
    route: { rateLimit: 2, burstLimit: 10 },
  },
  // A coordinator answers many links in a sitting (screening, groups, attendance): more room.
  {
    routeKey: 'POST /links/{id}',
    perClient: { max: 60, windowSeconds: 300 },
    route: { rateLimit: 5, burstLimit: 20 },
  },
  {
    routeKey: 'POST /links/{id}/renew',
    perClient: { max: 10, windowSeconds: 300 },
    route: { rateLimit: 1, burstLimit: 5 },
  },
  {
    routeKey: 'POST /staff/sign-in',
    perClient: { max: 10, windowSeconds: 300 },
    route: { rateLimit: 1, burstLimit: 5 },
  },
];
