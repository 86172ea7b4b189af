/**
 * Middy wiring for HTTP routes. Every HTTP Lambda goes through the same layers, so a new route or staff
 * action gets them without asking:
 * - `securityHeaders`: the security headers on every response: pages, redirects, CSS, CSV, error pages;
 * - `problemPages`: a refusal (HttpProblem) becomes its 4xx page, anything else a logged 500 page;
 * - `wellFormedRequest`: path parameters and POST content types are checked before any route runs;
 * - `postsFromSiteOnly` (staff): a POST whose Origin or Sec-Fetch-Site shows another site is refused.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Dependencies } from '../ports';
import { errorPage, problemOf, problemPage } from '../web/error-pages';
import { languageOf, type LanguageRequest, requestedLanguage, visitorLanguageCookie } from '../web/language';
import { currentPageRequest, withPageRequest } from '../web/request-context';
import { dependenciesWith, type AwsAdapters } from './dependencies';
import { HttpProblem, htmlResponse, SECURITY_HEADERS } from './http';
import { loggedInvocation, subjectKeys } from './invocation-log';

export type Route = (
  event: APIGatewayProxyEventV2,
  deps: Dependencies,
) => Promise<APIGatewayProxyStructuredResultV2>;

type HttpMiddleware = middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Error,
  Context
>;

export interface HttpHandlerOptions {
  /** Every POST of this handler must come from the site itself (see `postsFromSiteOnly`). */
  postsFromSiteOnly?: boolean;
}

/**
 * Every id in a path of this system (link tokens, sign-in tokens, referral ids) is URL-safe base64 or
 * `R-XXXX-XXXX`. Anything else (over-long, other characters, a decoded `/` or NUL) cannot exist: it is
 * answered here, so it never reaches a route or a database key.
 */
const PATH_PARAMETER = /^[A-Za-z0-9_-]{1,128}$/;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export const notFound = () => new HttpProblem(404, problemOf(404));

const notAForm = () => new HttpProblem(415, problemOf(415));

/** Names the site's own address, where the person can open the page and send the form again. */
const otherSite = (baseUrl: string) =>
  new HttpProblem(403, {
    sv: {
      title: problemOf(403).sv.title,
      text: `Av säkerhetsskäl tar vi bara emot formulär som skickas från ${baseUrl}. Öppna sidan där och försök igen.`,
    },
    en: {
      title: problemOf(403).en.title,
      text: `For security, we only accept forms sent from ${baseUrl}. Open the page there and try again.`,
    },
  });

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const value = event.headers?.[name];
  return value === undefined || value === '' ? undefined : value;
};

const securityHeaders = (): HttpMiddleware => {
  const add = (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>) => {
    if (request.response && typeof request.response === 'object')
      request.response = {
        ...request.response,
        headers: { ...request.response.headers, ...SECURITY_HEADERS },
      };
  };
  return { after: add, onError: add };
};

/** The request's language by the one rule (web/language.ts); Swedish outside a request. */
const pageLanguage = () => currentPageRequest()?.lang ?? 'sv';

const problemPages = (dependencies: () => Dependencies): HttpMiddleware => ({
  onError: async (request) => {
    const error = request.error;
    if (error instanceof HttpProblem) {
      const lang = pageLanguage();
      request.response = htmlResponse(error.statusCode, errorPage(error.problem[lang], lang), error.headers);
      return;
    }
    dependencies().log.error('request failed', {
      route: request.event.routeKey,
      error: error?.name ?? 'Error',
      requestId: request.context?.awsRequestId,
    });
    request.response = htmlResponse(500, problemPage(500, pageLanguage()));
  },
});

/**
 * A choice made with the language switch (`?lang=`) is remembered for the next visit: the visitor's
 * cookie is set on the answer, whatever the page (staff pages also keep it with the session).
 */
const rememberedLanguageChoice = (): HttpMiddleware => {
  const remember = (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>) => {
    const asked = requestedLanguage(request.event.queryStringParameters?.lang);
    if (asked && request.response && typeof request.response === 'object')
      request.response = {
        ...request.response,
        cookies: [...(request.response.cookies ?? []), visitorLanguageCookie(asked)],
      };
  };
  return { after: remember, onError: remember };
};

const wellFormedRequest = (): HttpMiddleware => ({
  before: async ({ event }) => {
    for (const value of Object.values(event.pathParameters ?? {}))
      if (value === undefined || !PATH_PARAMETER.test(value)) throw notFound();
    // A form without fields (a single button) may come without a body and without a type; anything
    // with a body must be a urlencoded form: JSON or multipart would be read as garbage fields.
    if (
      event.requestContext.http.method === 'POST' &&
      event.body &&
      !FORM_TYPE.test(header(event, 'content-type') ?? '')
    )
      throw notAForm();
  },
});

/**
 * A staff POST acts with the session cookie, so it must come from our own pages. SameSite=Strict keeps
 * the cookie off cross-site requests already; this is the second lock, for browsers and cases where
 * that one fails. Refused when either header shows another site:
 * - `Sec-Fetch-Site` (set by the browser, not by page scripts) other than `same-origin` or `none`
 *   (`none`: the user's own action, such as resubmitting after a reload);
 * - `Origin` other than the configured public base URL's origin. `Origin: null` says nothing: browsers
 *   send it for our own forms because every page has `Referrer-Policy: no-referrer`.
 * Neither header (curl, scripts, very old browsers) is allowed: such a client carries no one else's
 * cookie, and a browser old enough to send neither still enforces SameSite=Strict.
 */
const postsFromSiteOnly = (dependencies: () => Dependencies): HttpMiddleware => ({
  before: async ({ event }) => {
    if (event.requestContext.http.method !== 'POST') return;
    const baseUrl = dependencies().config.publicBaseUrl;
    const site = header(event, 'sec-fetch-site');
    const origin = header(event, 'origin');
    if (
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined && origin !== 'null' && origin !== new URL(baseUrl).origin)
    )
      throw otherSite(baseUrl);
  },
});

/** The parts of an API Gateway v2 event the language rule reads. */
export function languageRequestOf(event: APIGatewayProxyEventV2): LanguageRequest {
  return {
    path: event.rawPath ?? event.requestContext?.http?.path ?? '/',
    query: event.queryStringParameters?.lang,
    cookieHeader: event.cookies?.length ? event.cookies.join('; ') : header(event, 'cookie'),
    acceptLanguage: header(event, 'accept-language'),
  };
}

/**
 * Where the language switch of this request's page leads: the same address; for the answer to a POST,
 * the page that posted it (the same path where it has a GET, else its parent: `/links/{id}/renew` →
 * `/links/{id}`), since a link cannot repeat a POST.
 */
function pageRequestOf(event: APIGatewayProxyEventV2, routes: Record<string, Route>) {
  const request = languageRequestOf(event);
  const [method = 'GET', routePath = '/'] = (event.routeKey ?? '').split(' ');
  let here = `${request.path}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  if (method === 'POST' && !routes[`GET ${routePath}`]) here = request.path.replace(/\/[^/]*$/, '') || '/';
  else if (method === 'POST') here = request.path;
  return { here, lang: languageOf(request) };
}

/** The language of this request's pages by the one rule (web/language.ts), for a route to render in. */
export const requestLanguage = (event: APIGatewayProxyEventV2) => languageOf(languageRequestOf(event));

/** `aws`: the SES, Step Functions and Secrets Manager adapters this function uses (see `AwsAdapters`). */
export function httpHandler(
  routes: Record<string, Route>,
  aws: AwsAdapters,
  options: HttpHandlerOptions = {},
) {
  const dependencies = dependenciesWith(aws);
  // onError runs in reverse order of `use`: securityHeaders comes first so that it runs last, on the
  // page problemPages has made. A `before` never returns a response (that would skip `after`): it throws.
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(securityHeaders())
    .use(rememberedLanguageChoice())
    .use(problemPages(dependencies))
    .use(wellFormedRequest());
  if (options.postsFromSiteOnly) handler.use(postsFromSiteOnly(dependencies));
  const routed = handler.handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw notFound();
    return route(event, dependencies());
  });
  // A request's lines carry its route and, on staff pages whose path names one, the referral or group.
  // A link's `{id}` is its token, a secret: never a key (the link engine adds the link's referral).
  return loggedInvocation(
    dependencies,
    (event: APIGatewayProxyEventV2) => ({
      route: event.routeKey,
      ...(event.routeKey.includes(' /staff/') ? subjectKeys(event.pathParameters?.id) : {}),
    }),
    // Every page of the request (and its error page) knows where it is and the request's language.
    (event: APIGatewayProxyEventV2, context: Context) =>
      withPageRequest(pageRequestOf(event, routes), () => routed(event, context)),
    { startAndEnd: false },
  );
}
