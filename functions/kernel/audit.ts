import { withNotificationId } from '../shared/notification-context';
import type { AuditEvent, Dependencies } from '../ports';

/** Appends to the referral's audit trail; with `onceKey`, an event recorded once however often its step runs. */
export async function audit(
  deps: Dependencies,
  event: Omit<AuditEvent, 'at'> & { at?: string },
  onceKey?: string,
): Promise<void> {
  await deps.store.appendAudit({ ...event, at: event.at ?? deps.clock.now().toISOString() }, onceKey);
}

/** A claim younger than this may still be sending: a task runs for at most Lambda's 15 minutes. */
const SENDING_FOR_AT_MOST_MS = 15 * 60_000;

/**
 * Sends an email once per (referral, key), even when the task that sends it is retried or its process is
 * killed, and records `auditEvent` with it. At least once: an attempt that died after claiming but before
 * finishing is sent again (a crash in the milliseconds between the mail server's acceptance and the
 * marker can send it twice; no crash can make it go unsent). The audit event is keyed by the notification,
 * so a second attempt finds it written and adds no second event.
 * `shared`: several executions send it (an age band's reminders), so one may find another sending it at
 * that moment; it leaves it to that one, and sends only a claim older than any task, whose process died.
 */
export async function notifyOnce(
  deps: Dependencies,
  referralId: string,
  key: string,
  send: () => Promise<void>,
  auditEvent?: Omit<AuditEvent, 'at' | 'referralId'>,
  { shared = false }: { shared?: boolean } = {},
): Promise<boolean> {
  const now = deps.clock.now();
  const claim = await deps.store.claimNotification(referralId, key, now.toISOString());
  if (claim.sent) return false;
  if (shared && !claim.claimed && now.getTime() - Date.parse(claim.at) < SENDING_FOR_AT_MOST_MS) return false;
  try {
    await withNotificationId(`${referralId}.${key}`, send);
  } catch (error) {
    if (claim.claimed) await deps.store.releaseNotification(referralId, key);
    throw error;
  }
  if (auditEvent) await audit(deps, { ...auditEvent, referralId, at: claim.at }, `notify-${key}`);
  await deps.store.markNotificationSent(referralId, key);
  return true;
}
