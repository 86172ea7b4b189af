/**
 * Demo data: the partnership of `partnerships/stockholm-bris.json` (the file a deploy provisions), read
 * and validated with the same schema as the table item, with the staff allow-list's example addresses.
 */
import { DateTime } from 'luxon';
import type { Partnership } from '../../functions/domain/partnership';
import type { ReferralStore } from '../../functions/ports';
import { PARTNERSHIP_FILE, readPartnershipFile } from '../partnership-file';

export const DEMO_PARTNERSHIP_ID = 'stockholm-bris';

/**
 * The file's partnership with its period moved to cover `today` (the year before to the year after, in
 * Stockholm): the demo and the tests run on any date (and `LOCAL_CLOCK_START` moves the clock years
 * away), while the file carries the agreement's real period. Everything else is the file as it is.
 */
export function demoPartnership(today: Date, file = PARTNERSHIP_FILE): Partnership {
  const year = DateTime.fromJSDate(today).setZone('Europe/Stockholm').year;
  const p = readPartnershipFile(file);
  return { ...p, periodStart: `${year - 1}-01-01`, periodEnd: `${year + 1}-12-31` };
}

/** Idempotent: an existing partnership is left as it is. Groups are formed from the pool by the coordinator. */
export async function seedDemoData(store: ReferralStore, today: Date): Promise<void> {
  if (!(await store.getPartnership(DEMO_PARTNERSHIP_ID))) await store.putPartnership(demoPartnership(today));
}
