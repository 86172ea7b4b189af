/**
 * Which notification (or step entry) an email and its links belong to. A notification sent again after a
 * crash (at least once, see notifyOnce and step-outbox) runs under the same id, so its emails get the same
 * Message-IDs and its links the same tokens (derived from the id, see KeyedLinkTokens): a repeat carries
 * the very links of the first copy, and either copy works.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<{ id: string; emails: number; links: number }>();

export function withNotificationId<T>(id: string, send: () => Promise<T>): Promise<T> {
  return current.run({ id, emails: 0, links: 0 }, send);
}

/** The id of the next email of the current notification: one notification may send several, in order. */
export function notificationId(): string | undefined {
  const notification = current.getStore();
  return notification && `${notification.id}.${++notification.emails}`;
}

/**
 * What the next link of the current notification is derived from; undefined outside one (a random link).
 * A notification makes its links in the same order each time it runs, so the n-th link is the same link.
 */
export function nextLinkSeed(): string | undefined {
  const notification = current.getStore();
  return notification && `${notification.id}#link${++notification.links}`;
}

const REFERRAL_ID = /^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/**
 * The referral the current notification belongs to (its id begins with the owner: see notifyOnce and
 * step-outbox), or undefined for a group's or a staff member's email. Sent as a code with the email (an SES
 * tag), so that a bounce or complaint finds its referral without any address being stored for it.
 */
export function notificationReferral(): string | undefined {
  const owner = current.getStore()?.id.split(/[.:]/)[0];
  return owner && REFERRAL_ID.test(owner) ? owner : undefined;
}
