/**
 * The partnership (the programme's settings) kept per container for a short while: every task and page reads
 * it, it changes a few times a year, and reading it from the table on each invocation was about a tenth of
 * all the system's requests. Wraps any ReferralStore; every other method goes straight through.
 *
 * What a change means: `putPartnership` through this same store forgets the cached one at once (the local
 * system, the tests, a partnership CLI run in-process). A change made from elsewhere (the partnership CLI
 * against the AWS table) reaches a running Lambda container within PARTNERSHIP_CACHE_SECONDS; containers
 * started after the change read it at once.
 */
import type { Partnership } from '../domain/partnership';
import type { ReferralStore } from '../ports';
import { PARTNERSHIP_CACHE_SECONDS } from '../shared/config';

export interface PartnershipCacheControl {
  /** Drops every cached partnership: the next read goes to the table (for tests). */
  forgetPartnerships(): void;
}

interface Entry {
  read: Promise<Partnership | undefined>;
  expiresAt: number;
}

/**
 * `store` with its partnerships cached for `seconds` (default PARTNERSHIP_CACHE_SECONDS) by the container's
 * own clock (`now`, real milliseconds: the local system's fast-forward clock is the programme's time, not
 * the container's). Concurrent readers share one read in flight; a failed read is not kept. Every reader
 * gets the same object, frozen through, so a caller changing what it got cannot change what the next one
 * reads (it throws instead; a copy per read was ~1 % of the local runtime's main thread under the bench).
 */
export function cachePartnerships<S extends ReferralStore>(
  store: S,
  options: { seconds?: number; now?: () => number } = {},
): S & PartnershipCacheControl {
  const ttlMs = (options.seconds ?? PARTNERSHIP_CACHE_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();

  const getPartnership = async (partnershipId: string): Promise<Partnership | undefined> => {
    const at = now();
    let entry = cache.get(partnershipId);
    if (!entry || entry.expiresAt <= at) {
      const read = store.getPartnership(partnershipId).then((p) => p && deepFreeze(p));
      const fresh: Entry = { read, expiresAt: at + ttlMs };
      entry = fresh;
      cache.set(partnershipId, fresh);
      read.catch(() => {
        if (cache.get(partnershipId) === fresh) cache.delete(partnershipId);
      });
    }
    return entry.read;
  };

  const putPartnership = async (p: Partnership): Promise<void> => {
    cache.delete(p.id);
    try {
      await store.putPartnership(p);
    } finally {
      // Again after the write: a read that started while it was in flight may have cached the old settings.
      cache.delete(p.id);
    }
  };

  const forgetPartnerships = (): void => cache.clear();

  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getPartnership') return getPartnership;
      if (property === 'putPartnership') return putPartnership;
      if (property === 'forgetPartnerships') return forgetPartnerships;
      const value: unknown = Reflect.get(target, property, receiver);
      return value;
    },
  }) as S & PartnershipCacheControl;
}

/** Freezes a value read from JSON (plain objects and arrays) and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
