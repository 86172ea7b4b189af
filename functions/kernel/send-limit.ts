/** Counting a requested email against its send limits (domain/send-limits.ts) in the store's counters. */
import { sendWindows, type SendLimit } from '../domain/send-limits';
import type { Dependencies } from '../ports';

/**
 * Counts this request in every window of `limits` for `key` (a keyed hash, never an address) and answers
 * whether one of them is now over its limit. Every window is counted, so a refused request still counts.
 */
export async function overSendLimit(
  deps: Pick<Dependencies, 'store'>,
  purpose: string,
  key: string,
  now: Date,
  limits: readonly SendLimit[],
): Promise<boolean> {
  let over = false;
  for (const w of sendWindows(purpose, key, now, limits))
    if ((await deps.store.countRequest(w.bucket, w.expiresAt)) > w.limit.max) over = true;
  return over;
}

/** A short keyed hash of an email address for one purpose: what counters and audit events keep. */
export async function addressHashOf(
  deps: Pick<Dependencies, 'identity'>,
  purpose: string,
  email: string,
): Promise<string> {
  return (await deps.identity.hash(`${purpose}:${email.trim().toLowerCase()}`)).slice(0, 16);
}
