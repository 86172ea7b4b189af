/**
 * Erasure after the retention period, outside the referral's execution (a Standard execution lives at
 * most a year, the retention period alone is twelve months). Close records each referral's due erasure
 * (store.putDueErasure); once a day a sweep erases whatever has come due. A failed erasure keeps its
 * record, so the next sweep tries again; the others go on.
 */
import type { Dependencies, DueErasure } from '../../ports';
import { eraseReferral } from './closure';

export interface SweepResult {
  erased: number;
  failed: number;
  /** Stopped because `shouldStop` said so (time running out) with due erasures not yet tried. */
  stoppedEarly: boolean;
}

export interface SweepOptions {
  /** Due erasures read per Query. */
  pageSize?: number;
  /**
   * Erasures at once (default 4). Each is a chain of round trips to the table (its items, its links, the
   * batch writes, the event) on items of its own referral only, so they do not touch each other; one at
   * a time left the function waiting on the table most of its run.
   */
  concurrency?: number;
  /** Asked before each erasure; true stops the sweep (the next sweep continues where this one left). */
  shouldStop?: () => boolean;
  /** The erasure of one referral (the idempotent use case; tests replace it). */
  erase?: (referralId: string, deps: Dependencies) => Promise<void>;
}

export async function eraseDueReferrals(
  deps: Dependencies,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const pageSize = options.pageSize ?? 25;
  const erase = options.erase ?? ((referralId, d) => eraseReferral({ referralId }, d));
  // One instant for the whole sweep: what comes due while it runs is for the next one.
  const dueBy = deps.clock.now().toISOString();
  const result: SweepResult = { erased: 0, failed: 0, stoppedEarly: false };
  let after: DueErasure | undefined;
  const eraseOne = async (due: DueErasure) => {
    try {
      await erase(due.referralId, deps);
      // Removed only once erased: a crash in between leaves it due, and erasing again is harmless.
      await deps.store.removeDueErasure(due);
      result.erased++;
    } catch (error) {
      result.failed++;
      deps.log.error('erasure failed; it stays due for the next sweep', {
        referralId: due.referralId,
        eraseAt: due.eraseAt,
        error: (error as Error)?.name ?? 'Error',
      });
    }
  };
  for (;;) {
    const page = await deps.store.listDueErasures(dueBy, { limit: pageSize, after });
    // A few workers share the page; each asks `shouldStop` before it starts another erasure.
    let next = 0;
    const worker = async () => {
      while (next < page.length && !result.stoppedEarly) {
        if (options.shouldStop?.()) {
          result.stoppedEarly = true;
          return;
        }
        await eraseOne(page[next++]!);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    if (result.stoppedEarly) return result;
    // Paging goes on after the last one seen: a failed one still recorded is not read again in this sweep.
    if (page.length < pageSize) return result;
    after = page.at(-1);
  }
}
