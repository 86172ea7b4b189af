import { withNotificationId } from '../shared/notification-context';
import type { AuditEvent, Dependencies, NotificationMarker } from '../ports';

/** Appends to the referral's audit trail; with `onceKey`, an event recorded once however often its step runs. */
export async function audit(
  deps: Dependencies,
  event: Omit<AuditEvent, 'at'> & { at?: string },
  onceKey?: string,
): Promise<void> {
  await deps.store.appendAudit({ ...event, at: event.at ?? deps.clock.now().toISOString() }, onceKey);
}

/**
 * Marks the audit events of answers given in the staff inbox, not through the emailed link (audit-labels
 * words it).
 */
export const VIA_INBOX = 'staff-inbox' as const;

/**
 * The `link-redeemed` event of an answer given in the staff inbox (/staff/tasks): the step, its outcome and
 * where it came from, on the timeline of the referral (or group) it concerns.
 */
export function inboxAnswerEvent(
  referralId: string,
  actor: AuditEvent['actor'],
  step: string,
  outcome: string,
  {
    phase,
    at,
    extra = {},
  }: { phase?: AuditEvent['phase']; at?: string; extra?: Record<string, string> } = {},
): Omit<AuditEvent, 'at'> & { at?: string } {
  return {
    referralId,
    ...(at ? { at } : {}),
    actor,
    action: 'link-redeemed',
    ...(phase ? { phase } : {}),
    detail: { step, outcome, via: VIA_INBOX, ...extra },
  };
}

/** The once-key of the audit event that records a notification (its marker, where it has one). */
const auditKeyOf = (key: string) => `notify-${key}`;

/**
 * What notifyOnce reads for a lone sender's notification `key`: its marker item, or with `audited` (it is
 * sent with an audit event) that event. Read with the referral (loadOpenReferralNotified), it is the
 * `sent` notifyOnce then takes.
 */
export function notificationMarker(key: string, audited = false): NotificationMarker {
  return audited ? { key, auditOnceKey: auditKeyOf(key) } : { key };
}

/** A claim younger than this may still be sending: a task runs for at most Lambda's 15 minutes. */
const SENDING_FOR_AT_MOST_MS = 15 * 60_000;

/**
 * Sends an email once per (referral, key), even when the task that sends it is retried or its process is
 * killed, and records `auditEvent` with it. At least once: an attempt that died after sending but before
 * recording it is sent again (a crash in the milliseconds between the mail server's acceptance and the
 * record can send it twice; no crash can make it go unsent).
 *
 * One sender (the default): a task of the referral's own execution, retried one attempt after another, so
 * nothing needs claiming before the email goes out: one read (was it sent?) and one write after sending,
 * the sent-marker, or where there is an audit event, the event itself (keyed by the notification, so its
 * existence says the email went out, and a repeat adds no second event). A claim written first would say
 * only "an attempt began", which an attempt of a lone sender does not need to know: one found unfinished
 * is sent again either way.
 * `shared`: several executions send it (an age band's reminders), so one may find another sending it at
 * that moment: a claim first; it leaves it to that one, and sends only a claim older than any task, whose
 * process died.
 */
export async function notifyOnce(
  deps: Dependencies,
  referralId: string,
  key: string,
  send: () => Promise<void>,
  auditEvent?: Omit<AuditEvent, 'at' | 'referralId'>,
  {
    shared = false,
    sent,
  }: {
    shared?: boolean;
    /**
     * What the caller read of this notification's marker in this attempt, before sending, in a read it
     * made anyway (store.wereNotified for many at once, or with the referral: `notificationMarker`, with
     * `audited` exactly when `auditEvent` is given). One sender only.
     */
    sent?: boolean;
  } = {},
): Promise<boolean> {
  const now = deps.clock.now();
  const auditKey = auditKeyOf(key);
  if (!shared) {
    if (sent ?? (await deps.store.wasNotified(referralId, key, auditEvent && auditKey))) return false;
    await withNotificationId(`${referralId}.${key}`, send);
    if (auditEvent) await audit(deps, { ...auditEvent, referralId, at: now.toISOString() }, auditKey);
    else await deps.store.markNotificationSent(referralId, key);
    return true;
  }
  const claim = await deps.store.claimNotification(referralId, key, now.toISOString());
  if (claim.sent) return false;
  if (!claim.claimed && now.getTime() - Date.parse(claim.at) < SENDING_FOR_AT_MOST_MS) return false;
  try {
    await withNotificationId(`${referralId}.${key}`, send);
  } catch (error) {
    if (claim.claimed) await deps.store.releaseNotification(referralId, key);
    throw error;
  }
  if (auditEvent) await audit(deps, { ...auditEvent, referralId, at: claim.at }, auditKey);
  await deps.store.markNotificationSent(referralId, key);
  return true;
}
