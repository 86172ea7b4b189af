/** Where a link page's forms post (a module of its own: the group pages and the link pages both use it). */
import { LINK_TOKEN_PATTERN, linkPath } from '../adapters/link-tokens';
import type { LinkRecord } from '../ports';

/**
 * Where a link's form posts: its own address, naming the referral (or group) it is for and its purpose, so
 * that the POST reads the link and what it acts on side by side (link-engine.ts checks that they belong
 * together, and reads as usual when they do not). A page rendered for the staff inbox (no link token) posts
 * elsewhere and is left as it is.
 */
export function linkFormAction(token: string, link: Pick<LinkRecord, 'referralId' | 'step'>): string {
  if (!LINK_TOKEN_PATTERN.test(token)) return `/links/${token}`;
  return linkPath(token, link);
}
