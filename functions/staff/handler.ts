/**
 * Staff pages behind a signed-in session: overview (with failed groups and their retry), referral timeline
 * with retry, and the report. Every
 * POST is refused unless it comes from the site itself (httpHandler's postsFromSiteOnly).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from '../domain/referral';
import type { Dependencies, StaffSession } from '../ports';
import { httpHandler, requestLanguage, type Route } from '../shared/http-handler';
import { htmlResponse, parseForm, redirect } from '../shared/http';
import {
  clearedSessionCookie,
  languageCookie,
  sessionCookie,
  sessionTokenOf,
} from '../shared/session-cookie';
import {
  completeSignIn,
  failedGroups,
  ForbiddenError,
  overview,
  referralDetail,
  reportFor,
  requestSignIn,
  retryGroup,
  retryReferral,
  sessionFrom,
  setSessionLanguage,
  SIGN_IN_MINUTES,
  signInSchema,
  signOut,
} from '../phases/staff/staff';
import {
  forbiddenPage,
  groupRetryNotice,
  noSuchReferralPage,
  overviewPage,
  referralPage,
  reportCsv,
  reportPage,
  retryNotice,
  signInConfirmPage,
  signInPage,
  signInRefusedPage,
} from '../phases/staff/pages';
import { inLanguageHref, requestedLanguage } from '../phases/staff/language';
import { staffLanguage } from '../web/audit-labels';
import { actOnPool, actOnStep, FORM_ID_PATTERN, listTasks, poolTask, stepTask } from '../phases/staff/tasks';
import {
  goneTaskPage,
  groupTaskPage,
  inboxPage,
  stepDonePage,
  stepTaskPage,
} from '../phases/staff/task-pages';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/** The language `?lang=` asks for, if any. */
const askedLanguage = (event: APIGatewayProxyEventV2) => requestedLanguage(event.queryStringParameters?.lang);

/**
 * A signed-out page's language, by the site's one rule (web/language.ts): the one asked for, else the one
 * chosen last time (the staff cookie, else the visitor's), else the browser's.
 */
const signedOutLanguage = (event: APIGatewayProxyEventV2): Language => requestLanguage(event);

/** A response that remembers the language the request asked for (the switch was used). */
function remembering(
  event: APIGatewayProxyEventV2,
  response: APIGatewayProxyStructuredResultV2,
): APIGatewayProxyStructuredResultV2 {
  const asked = askedLanguage(event);
  return asked ? { ...response, cookies: [...(response.cookies ?? []), languageCookie(asked)] } : response;
}

const signInPath = (lang: Language | undefined) =>
  lang ? inLanguageHref('/staff/sign-in', lang) : '/staff/sign-in';

/**
 * Runs a staff route with its session, or sends the person to sign in; a refused view is a 403 page.
 * A page opened with `?lang=` (the language switch) changes the session's language from then on: only
 * the person's own preference, kept with her session, so a plain link may change it.
 */
function signedIn(
  route: (
    event: APIGatewayProxyEventV2,
    deps: Dependencies,
    session: StaffSession,
  ) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return async (event: APIGatewayProxyEventV2, deps: Dependencies) => {
    const token = sessionTokenOf(event);
    const found = await sessionFrom(token, deps);
    const asked = askedLanguage(event);
    if (!found) return redirect(signInPath(asked));
    const session =
      asked && asked !== staffLanguage(found) ? await setSessionLanguage(token!, found, asked, deps) : found;
    try {
      return remembering(event, await route(event, deps, session));
    } catch (error) {
      if (error instanceof ForbiddenError) return htmlResponse(403, forbiddenPage(session));
      throw error;
    }
  };
}

/** The report's period as the query asks it; the use case checks it. */
const periodQuery = (event: APIGatewayProxyEventV2) => ({
  from: event.queryStringParameters?.from,
  to: event.queryStringParameters?.to,
});

const stepPath = (event: APIGatewayProxyEventV2) => ({
  owner: event.pathParameters?.id ?? '',
  task: event.pathParameters?.task ?? '',
});
const stepAction = (owner: string, task: string) =>
  `/staff/tasks/step/${encodeURIComponent(owner)}/${encodeURIComponent(task)}`;
const bandOf = (event: APIGatewayProxyEventV2) => decodeURIComponent(event.pathParameters?.band ?? '');
const poolAction = (band: string) => `/staff/tasks/pool/${encodeURIComponent(band)}`;
const page = ({ status, body }: { status: number; body: string }) => htmlResponse(status, body);

/** The task inbox: open steps of the signed-in person, the pools; acting here is acting through the link. */
const taskRoutes: Record<string, Route> = {
  'GET /staff/tasks': signedIn(async (_event, deps, session) =>
    htmlResponse(200, inboxPage(session, await listTasks(session, deps))),
  ),
  'GET /staff/tasks/step/{id}/{task}': signedIn(async (event, deps, session) => {
    const { owner, task } = stepPath(event);
    const found = await stepTask(session, owner, task, deps);
    if (found.kind === 'gone') return page(goneTaskPage(session, found.reason));
    return page(stepTaskPage(session, found, stepAction(owner, task)));
  }),
  'POST /staff/tasks/step/{id}/{task}': signedIn(async (event, deps, session) => {
    const { owner, task } = stepPath(event);
    const result = await actOnStep(session, owner, task, parseForm(event), deps);
    switch (result.kind) {
      case 'done':
        return page(stepDonePage(session, result.link, result.action));
      case 'invalid': {
        const found = await stepTask(session, owner, task, deps);
        if (found.kind === 'gone') return page(goneTaskPage(session, found.reason));
        return page(stepTaskPage(session, found, stepAction(owner, task), result.errors));
      }
      case 'group':
        return page(groupTaskPage(session, result.result, stepAction(owner, task)));
      case 'try-again':
        return page(goneTaskPage(session, 'try-again'));
      case 'gone':
        return page(goneTaskPage(session, result.reason));
    }
  }),
  'GET /staff/tasks/pool/{band}': signedIn(async (event, deps, session) => {
    const band = bandOf(event);
    const view = await poolTask(session, band, deps);
    if (!view) return page(goneTaskPage(session, 'unknown'));
    return page(groupTaskPage(session, view, poolAction(band)));
  }),
  'POST /staff/tasks/pool/{band}': signedIn(async (event, deps, session) => {
    const band = bandOf(event);
    const body = parseForm(event);
    const result = await actOnPool(session, band, body, deps);
    if (!result) return page(goneTaskPage(session, 'unknown'));
    const formId = FORM_ID_PATTERN.test(body.formId ?? '') ? body.formId : undefined;
    return page(groupTaskPage(session, result, poolAction(band), formId));
  }),
};

const routes: Record<string, Route> = {
  ...taskRoutes,
  'GET /staff/sign-in': async (event) =>
    remembering(event, htmlResponse(200, signInPage(signedOutLanguage(event)))),
  'POST /staff/sign-in': async (event, deps) => {
    const form = parseForm(event);
    const parsed = signInSchema.safeParse(form);
    // The page's language, from its hidden field; without one (a bare POST), the browser's.
    const lang = requestedLanguage(form.lang) ?? signedOutLanguage(event);
    if (!parsed.success)
      return htmlResponse(400, signInPage(lang, { error: parsed.error.issues[0]!.message }));
    await requestSignIn(parsed.data.email, lang, deps);
    return htmlResponse(200, signInPage(lang, { sentForMinutes: SIGN_IN_MINUTES }));
  },
  'GET /staff/sign-in/{token}': async (event, deps) => {
    const token = event.pathParameters?.token ?? '';
    const check = await completeSignIn(token, deps, true);
    if (check.kind === 'refused') return htmlResponse(410, signInRefusedPage(signedOutLanguage(event)));
    return htmlResponse(200, signInConfirmPage(token, askedLanguage(event) ?? check.language));
  },
  'POST /staff/sign-in/{token}': async (event, deps) => {
    const result = await completeSignIn(event.pathParameters?.token ?? '', deps);
    if (result.kind === 'refused') return htmlResponse(410, signInRefusedPage(signedOutLanguage(event)));
    return {
      ...redirect('/staff'),
      cookies: [sessionCookie(result.token, result.maxAgeSeconds)],
    };
  },
  'POST /staff/sign-out': async (event, deps) => {
    const language = await signOut(sessionTokenOf(event), deps);
    return {
      ...redirect(signInPath(language === 'en' ? 'en' : undefined)),
      cookies: [clearedSessionCookie()],
    };
  },
  'GET /staff': signedIn(async (event, deps, session) => {
    if (session.role === 'partnership-admin') return redirect('/staff/report');
    const filters = {
      district: event.queryStringParameters?.district || undefined,
      phase: event.queryStringParameters?.phase || undefined,
      status: event.queryStringParameters?.status || undefined,
    };
    const { rows, districts } = await overview(session, filters, deps);
    const failed = await failedGroups(session, deps);
    return htmlResponse(200, overviewPage(session, rows, districts, filters, { failed }));
  }),
  'POST /staff/groups/{id}/retry': signedIn(async (event, deps, session) => {
    const outcome = await retryGroup(session, event.pathParameters?.id ?? '', deps);
    const { rows, districts } = await overview(session, {}, deps);
    const failed = await failedGroups(session, deps);
    const notice = groupRetryNotice(outcome, session);
    const status = { retried: 200, 'not-needed': 409, 'not-possible': 404 }[outcome];
    return htmlResponse(status, overviewPage(session, rows, districts, {}, { failed, notice }));
  }),
  'GET /staff/referrals/{id}': signedIn(async (event, deps, session) => {
    const detail = await referralDetail(session, event.pathParameters?.id ?? '', deps);
    if (!detail) return htmlResponse(404, noSuchReferralPage(session));
    return htmlResponse(200, referralPage(session, detail.referral, detail.events, undefined, detail.notes));
  }),
  'POST /staff/referrals/{id}/retry': signedIn(async (event, deps, session) => {
    const id = event.pathParameters?.id ?? '';
    const outcome = await retryReferral(session, id, deps);
    const detail = await referralDetail(session, id, deps);
    if (!detail) return htmlResponse(404, noSuchReferralPage(session));
    return htmlResponse(
      outcome === 'retried' ? 200 : 409,
      referralPage(session, detail.referral, detail.events, retryNotice(outcome, session), detail.notes),
    );
  }),
  'GET /staff/report': signedIn(async (event, deps, session) => {
    const view = await reportFor(session, periodQuery(event), deps);
    return htmlResponse(view.ok ? 200 : 400, reportPage(session, view));
  }),
  'GET /staff/report.csv': signedIn(async (event, deps, session) => {
    const view = await reportFor(session, periodQuery(event), deps);
    // A period that is wrong is shown on the report page, at its field.
    if (!view.ok) return htmlResponse(400, reportPage(session, view));
    const { from, to, districts, total } = view.figures;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="bris-rapport-${from}-${to}.csv"`,
        'cache-control': 'no-store',
      },
      body: reportCsv(staffLanguage(session), districts, total),
    };
  }),
};

// Every POST here acts for a signed-in person (or starts signing in): only from our own pages.
export const handler = httpHandler(
  routes,
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
  { postsFromSiteOnly: true },
);
