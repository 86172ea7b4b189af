/**
 * The per-client limits of infra/public-post-limits.ts, enforced by the local HTTP server: a fixed window
 * per (client, route), the client being the connection's remote address (never a header a client can
 * set, such as X-Forwarded-For). In memory: the local server is one process.
 */
import type { PublicPostLimit } from '../public-post-limits';

export type ClientVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class ClientLimiter {
  private readonly counts = new Map<string, { window: number; count: number }>();
  private readonly byRoute: Map<string, PublicPostLimit>;

  constructor(
    limits: readonly PublicPostLimit[],
    private readonly nowMs: () => number,
  ) {
    this.byRoute = new Map(limits.map((l) => [l.routeKey, l]));
  }

  /** Counts one request of `client` to `routeKey`; routes without a limit are always allowed. */
  check(routeKey: string, client: string): ClientVerdict {
    const limit = this.byRoute.get(routeKey)?.perClient;
    if (!limit) return { allowed: true };
    const lengthMs = limit.windowSeconds * 1000;
    const now = this.nowMs();
    const window = Math.floor(now / lengthMs);
    const key = `${routeKey} ${client}`;
    const entry = this.counts.get(key);
    const count = entry?.window === window ? entry.count + 1 : 1;
    this.counts.set(key, { window, count });
    if (this.counts.size > 10_000) this.forgetEndedWindows(window, lengthMs);
    if (count <= limit.max) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * lengthMs - now) / 1000)),
    };
  }

  /** Keeps memory bounded when many clients came and went. */
  private forgetEndedWindows(window: number, lengthMs: number): void {
    for (const [key, entry] of this.counts)
      if (entry.window * lengthMs < window * lengthMs) this.counts.delete(key);
  }
}
