/**
 * What the staff functions share (functions/staff: sign-in, overview, report; functions/staff-tasks: the
 * task inbox): a route behind the signed-in session, and the language a page asks for or remembers.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from '../domain/referral';
import type { Dependencies, StaffSession } from '../ports';
import { requestLanguage } from '../shared/http-handler';
import { htmlResponse, redirect } from '../shared/http';
import { languageCookie, sessionTokenOf } from '../shared/session-cookie';
import { ForbiddenError, sessionFrom, setSessionLanguage } from '../phases/staff/staff';
import { forbiddenPage } from '../phases/staff/pages';
import { inLanguageHref, requestedLanguage } from '../phases/staff/language';
import { staffLanguage } from '../web/audit-labels';

/** The language `?lang=` asks for, if any. */
export const askedLanguage = (event: APIGatewayProxyEventV2) =>
  requestedLanguage(event.queryStringParameters?.lang);

/**
 * A signed-out page's language, by the site's one rule (web/language.ts): the one asked for, else the one
 * chosen last time (the staff cookie, else the visitor's), else the browser's.
 */
export const signedOutLanguage = (event: APIGatewayProxyEventV2): Language => requestLanguage(event);

/** A response that remembers the language the request asked for (the switch was used). */
export function remembering(
  event: APIGatewayProxyEventV2,
  response: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  const asked = askedLanguage(event);
  return asked ? { ...response, cookies: [...(response.cookies ?? []), languageCookie(asked)] } : response;
}

export const signInPath = (lang: Language | undefined) =>
  lang ? inLanguageHref('/staff/sign-in', lang) : '/staff/sign-in';

/**
 * Runs a staff route with its session, or sends the person to sign in; a refused view is a 403 page.
 * A page opened with `?lang=` (the language switch) changes the session's language from then on: only
 * the person's own preference, kept with her session, so a plain link may change it.
 * `beside`: a read the route needs whoever is signed in, made beside the session's (one round trip fewer);
 * only for a request that carries a session cookie, and given to the route only once it is signed in.
 */
export function signedIn<Beside = never>(
  route: (
    event: APIGatewayProxyEventV2,
    deps: Dependencies,
    session: StaffSession,
    beside?: Promise<Beside>,
  ) => Promise<APIGatewayProxyStructuredResultV2>,
  beside?: (deps: Dependencies) => Promise<Beside>,
) {
  return async (event: APIGatewayProxyEventV2, deps: Dependencies) => {
    const token = sessionTokenOf(event);
    const read = token && beside ? beside(deps) : undefined;
    read?.catch(() => {}); // awaited by the route, which may not need it (refused, or a form sent wrong)
    const found = await sessionFrom(token, deps);
    const asked = askedLanguage(event);
    if (!found) return redirect(signInPath(asked));
    const session =
      asked && asked !== staffLanguage(found) ? await setSessionLanguage(token!, found, asked, deps) : found;
    try {
      return remembering(event, await route(event, deps, session, read));
    } catch (error) {
      if (error instanceof ForbiddenError) return htmlResponse(403, forbiddenPage(session));
      throw error;
    }
  };
}
