/**
 * Capability link tokens: 256 random bits, base64url in the URL; only the SHA-256 is stored, so a
 * table dump cannot be turned back into working links.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as it may appear in a path: 43 base64url characters. Anything else is refused before lookup. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Link URLs come from the configured base URL, never from the request's Host header. */
export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/links/${token}`;
}
