/**
 * Capability link tokens: 256 bits, base64url in the URL; only the SHA-256 is stored, so a table dump
 * cannot be turned back into working links.
 *
 * A link made for a notification or a step entry (see shared/notification-context) is derived from that
 * entry with a keyed hash: HMAC-SHA256 under a key of its own, itself derived from the system's secret
 * (Secrets Manager in AWS, `identity.key` locally). The same entry sent again after a crash gets the same
 * token, so the repeat email carries the same working link; without the secret, the table's entry ids
 * say nothing about the token. Links made outside any entry (sign-in, silent waits) are random.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { LinkRecord, LinkTokens } from '../ports';
import { nextLinkSeed } from '../shared/notification-context';

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as it may appear in a path: 43 base64url characters. Anything else is refused before lookup. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A link's address: its token, and as a hint the referral (or group) it is for and its purpose, so that
 * the request reads the link and what it acts on side by side (the link engine checks that they belong
 * together, and reads as usual when they do not). The referral's reference is in the email already.
 */
export function linkPath(token: string, link: Pick<LinkRecord, 'referralId' | 'step'>): string {
  const hint = new URLSearchParams({ for: link.referralId, purpose: link.step });
  return `/links/${token}?${hint.toString()}`;
}

/** Link URLs come from the configured base URL, never from the request's Host header. */
export function linkUrl(
  publicBaseUrl: string,
  token: string,
  link: Pick<LinkRecord, 'referralId' | 'step'>,
): string {
  return `${publicBaseUrl}${linkPath(token, link)}`;
}

/** Domain separation: the secret also keys identity-number hashes; link tokens use a key of their own. */
const LINK_KEY_LABEL = 'bris-stodgrupper/link-token/v1';

export class KeyedLinkTokens implements LinkTokens {
  private linkKey?: Promise<Buffer>;
  constructor(private readonly secret: () => Promise<string>) {}

  async mint(): Promise<{ token: string; hash: string }> {
    const seed = nextLinkSeed();
    if (seed === undefined) return newLinkToken();
    // Keeps only a derived key: a failed secret read (a throttle) is tried again by the next link.
    this.linkKey ??= this.secret()
      .then((s) => createHmac('sha256', s).update(LINK_KEY_LABEL).digest())
      .catch((error: unknown) => {
        this.linkKey = undefined;
        throw error;
      });
    const token = createHmac('sha256', await this.linkKey)
      .update(seed, 'utf8')
      .digest('base64url');
    return { token, hash: hashLinkToken(token) };
  }
}
