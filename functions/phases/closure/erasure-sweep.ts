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
  for (;;) {
    const page = await deps.store.listDueErasures(dueBy, { limit: pageSize, after });
    for (const due of page) {
      if (options.shouldStop?.()) {
        result.stoppedEarly = true;
        return result;
      }
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
    }
    // Paging goes on after the last one seen: a failed one still recorded is not read again in this sweep.
    if (page.length < pageSize) return result;
    after = page.at(-1);
  }
}
