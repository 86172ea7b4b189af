/**
 * Which notification (or step entry) an email and its links belong to. A notification sent again after a
 * crash (at least once, see notifyOnce and step-outbox) runs under the same id, so its emails get the same
 * Message-IDs and its links the same tokens (derived from the id, see KeyedLinkTokens): a repeat carries
 * the very links of the first copy, and either copy works.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Records that the n-th email of the notification is being handed to the mail server, and answers how many
 * times that has happened (this attempt included).
 */
export type HandoffCounter = (email: number) => Promise<number>;

/**
 * An email whose handoff was cut off twice (the process died between the mail server and the record) is
 * taken as delivered on the third attempt: a crash in that window leaves at most two identical copies.
 * Only two deaths in a row inside the mail server's own exchange, before it accepted, could then leave it
 * unsent; the counter's owner (notifyOnce, the step outbox) logs the assumption.
 */
export const MAX_HANDOFFS = 2;

const current = new AsyncLocalStorage<{
  id: string;
  emails: number;
  links: number;
  handoffs?: HandoffCounter;
}>();

export function withNotificationId<T>(
  id: string,
  send: () => Promise<T>,
  handoffs?: HandoffCounter,
): Promise<T> {
  return current.run({ id, emails: 0, links: 0, handoffs }, send);
}

/** The id of the next email of the current notification: one notification may send several, in order. */
export function notificationId(): string | undefined {
  const notification = current.getStore();
  return notification && `${notification.id}.${++notification.emails}`;
}

/**
 * Called by an email adapter right before it hands an email to the mail server: the email's id (as
 * notificationId), and whether to send it — false when two earlier handoffs of this very email were cut off.
 */
export async function handOver(): Promise<{ id?: string; send: boolean }> {
  const notification = current.getStore();
  if (!notification) return { send: true };
  const index = ++notification.emails;
  const id = `${notification.id}.${index}`;
  const count = notification.handoffs ? await notification.handoffs(index) : 1;
  return { id, send: count <= MAX_HANDOFFS };
}

/**
 * What the next link of the current notification is derived from; undefined outside one (a random link).
 * A notification makes its links in the same order each time it runs, so the n-th link is the same link.
 */
export function nextLinkSeed(): string | undefined {
  const notification = current.getStore();
  return notification && `${notification.id}#link${++notification.links}`;
}
