import type { AuditEvent, Dependencies } from '../ports';

export async function audit(
  deps: Dependencies,
  event: Omit<AuditEvent, 'at'> & { at?: string },
): Promise<void> {
  await deps.store.appendAudit({ ...event, at: event.at ?? deps.clock.now().toISOString() });
}

/** Sends an email once per (referral, key), even when the task that sends it is retried. */
export async function notifyOnce(
  deps: Dependencies,
  referralId: string,
  key: string,
  send: () => Promise<void>,
): Promise<boolean> {
  if (!(await deps.store.claimNotification(referralId, key, deps.clock.now().toISOString()))) return false;
  try {
    await send();
    return true;
  } catch (error) {
    await deps.store.releaseNotification(referralId, key);
    throw error;
  }
}
