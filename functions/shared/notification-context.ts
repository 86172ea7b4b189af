/**
 * Which notification an email belongs to, for the email adapters: a notification sent again after a crash
 * (at least once, see notifyOnce) gives its emails the same ids, so a receiving system can drop repeats.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<{ id: string; emails: number }>();

export function withNotificationId<T>(id: string, send: () => Promise<T>): Promise<T> {
  return current.run({ id, emails: 0 }, send);
}

/** The id of the next email of the current notification: one notification may send several, in order. */
export function notificationId(): string | undefined {
  const notification = current.getStore();
  return notification && `${notification.id}.${++notification.emails}`;
}
