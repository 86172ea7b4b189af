/**
 * The language of a page: one rule for every request, used by the Lambda HTTP wiring and the local
 * server alike.
 *
 *   `?lang=` (the language switch; remembered in a cookie)
 *   > the remembered choice (cookie: `bris_lang` for visitors, `bris_staff_lang` for staff)
 *   > the recipient's language stored with the referral (link pages: the social worker chose it)
 *   > the browser's `Accept-Language` (a first visit)
 *   > Swedish, the service's language.
 *
 * The cookie only holds "sv" or "en": a preference, not an identity, so no consent banner is needed.
 */
import { parse, serialize } from 'cookie';
import * as z from 'zod/mini';
import type { Language } from '../domain/referral';

export const LANGUAGES = ['sv', 'en'] as const satisfies readonly Language[];
const languageSchema = z.enum(LANGUAGES);

/** The visitor's choice, for every page of the site. */
export const VISITOR_LANGUAGE_COOKIE = 'bris_lang';
/** The staff member's choice (see shared/session-cookie.ts): kept under /staff beside her session. */
export const STAFF_LANGUAGE_COOKIE = 'bris_staff_lang';
const REMEMBER_DAYS = 365;

/** A language named by a query or a cookie; anything else is no choice (never an error page). */
export function requestedLanguage(value: string | null | undefined): Language | undefined {
  const parsed = languageSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The language the browser prefers among ours (`Accept-Language`, by its q-values; Swedish on a tie or
 * when it names neither). A dozen lines we test rather than a dependency: we pick from two languages,
 * by primary tag only.
 */
export function browserLanguage(acceptLanguage: string | undefined): Language {
  let best: { lang: Language; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = LANGUAGES.find((l) => range === l || range.startsWith(`${l}-`));
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q || (q === best.q && lang === 'sv' && best.lang !== 'sv')) best = { lang, q };
  }
  return best?.lang ?? 'sv';
}

/** What a request says about its language, each as it came (unchecked). */
export interface LanguageSignals {
  /** `?lang=` */
  query?: string | null;
  /** The remembered choice (cookie value). */
  cookie?: string;
  /** The language stored with the recipient of a link page. */
  recipient?: Language;
  /** The `Accept-Language` header. */
  acceptLanguage?: string;
}

/** The rule (see the top of this file). */
export function chooseLanguage(signals: LanguageSignals): Language {
  return (
    requestedLanguage(signals.query) ??
    requestedLanguage(signals.cookie) ??
    signals.recipient ??
    browserLanguage(signals.acceptLanguage)
  );
}

/** The parts of a request the rule reads: an API Gateway v2 event and the local server both give them. */
export interface LanguageRequest {
  path: string;
  query?: string | null;
  /** The Cookie header as sent (API Gateway v2 hands a list: join it with "; "). */
  cookieHeader?: string;
  acceptLanguage?: string;
}

const isStaffPath = (path: string) => path === '/staff' || path.startsWith('/staff/');

/** The remembered choice: under /staff the staff member's own, else (and as a fallback) the visitor's. */
export function rememberedLanguage(
  request: Pick<LanguageRequest, 'path' | 'cookieHeader'>,
): string | undefined {
  const cookies = request.cookieHeader ? parse(request.cookieHeader) : {};
  const staff = isStaffPath(request.path) ? requestedLanguage(cookies[STAFF_LANGUAGE_COOKIE]) : undefined;
  return staff ?? requestedLanguage(cookies[VISITOR_LANGUAGE_COOKIE]);
}

/** A request's language by the rule; `recipient` only for pages that belong to a link's recipient. */
export function languageOf(request: LanguageRequest, recipient?: Language): Language {
  return chooseLanguage({
    query: request.query,
    cookie: rememberedLanguage(request),
    recipient,
    acceptLanguage: request.acceptLanguage,
  });
}

/**
 * Set-Cookie remembering a visitor's choice: the whole site, a year, not for scripts (none may run: the
 * CSP allows no script), SameSite=Lax so that the choice holds when a person arrives from an email link.
 * Secure as the staff cookies: browsers treat http://localhost as secure, so the local server needs no other.
 */
export const visitorLanguageCookie = (lang: Language): string =>
  serialize(VISITOR_LANGUAGE_COOKIE, lang, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    maxAge: REMEMBER_DAYS * 86_400,
  });

/** `here` (a path with its query) asking for `lang`. */
export function inLanguageHref(here: string, lang: Language): string {
  // A path that starts with two slashes (`/..//` resolves to `//`) would read as another host's address.
  const url = new URL(here.replace(/^\/{2,}/, '/'), 'http://site.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

export const otherLanguage = (lang: Language): Language => (lang === 'en' ? 'sv' : 'en');
