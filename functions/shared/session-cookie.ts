/**
 * The staff session cookie, and the staff language cookie, read and written with the `cookie` package in
 * one place.
 */
import { parse, serialize } from 'cookie';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const SESSION_COOKIE = 'bris_staff';

const ATTRIBUTES = { path: '/staff', httpOnly: true, secure: true, sameSite: 'strict' } as const;

/** The session token the browser sent, if any. API Gateway v2 hands cookies over as a list, not as a header. */
export function sessionTokenOf(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.cookies?.length ? event.cookies.join('; ') : event.headers?.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

/** Set-Cookie for a new session: only for /staff, not readable by scripts, HTTPS only, never cross-site. */
export const sessionCookie = (token: string, maxAgeSeconds: number): string =>
  serialize(SESSION_COOKIE, token, { ...ATTRIBUTES, maxAge: maxAgeSeconds });

/** Set-Cookie that removes the session cookie. */
export const clearedSessionCookie = (): string => serialize(SESSION_COOKIE, '', { ...ATTRIBUTES, maxAge: 0 });

/**
 * The staff member's last chosen page language, remembered on her browser beyond the two-hour session, so
 * that the next sign-in page is in it (a Swedish speaker with an English browser chooses once). A
 * preference, not an identity: no personal data.
 */
export const LANGUAGE_COOKIE = 'bris_staff_lang';
const LANGUAGE_DAYS = 365;

export const languageCookie = (language: string): string =>
  serialize(LANGUAGE_COOKIE, language, { ...ATTRIBUTES, maxAge: LANGUAGE_DAYS * 86_400 });
