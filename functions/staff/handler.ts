/**
 * Staff pages behind a signed-in session: overview, referral timeline with retry, and the report. Every
 * POST is refused unless it comes from the site itself (httpHandler's postsFromSiteOnly).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { stringify } from 'csv-stringify/sync';
import type { Dependencies, StaffSession } from '../ports';
import { httpHandler, type Route } from '../shared/http-handler';
import { htmlResponse, parseForm, redirect } from '../shared/http';
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from '../shared/session-cookie';
import {
  completeSignIn,
  ForbiddenError,
  overview,
  referralDetail,
  report,
  reportPeriod,
  requestSignIn,
  retryReferral,
  sessionFrom,
  signInSchema,
  signOut,
} from '../phases/staff/staff';
import {
  overviewPage,
  referralPage,
  REPORT_COLUMNS,
  reportPage,
  signInConfirmPage,
  signInPage,
  simpleStaffPage,
} from '../phases/staff/pages';
import { actOnPool, actOnStep, FORM_ID_PATTERN, listTasks, poolTask, stepTask } from '../phases/staff/tasks';
import {
  goneTaskPage,
  groupTaskPage,
  inboxPage,
  stepDonePage,
  stepTaskPage,
} from '../phases/staff/task-pages';

/** Runs a staff route with its session, or sends the person to sign in; a refused view is a 403 page. */
function signedIn(
  route: (
    event: APIGatewayProxyEventV2,
    deps: Dependencies,
    session: StaffSession,
  ) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return async (event: APIGatewayProxyEventV2, deps: Dependencies) => {
    const session = await sessionFrom(sessionTokenOf(event), deps);
    if (!session) return redirect('/staff/sign-in');
    try {
      return await route(event, deps, session);
    } catch (error) {
      if (error instanceof ForbiddenError)
        return htmlResponse(
          403,
          simpleStaffPage('Ingen behörighet', 'Du har inte behörighet att se det här.', session),
        );
      throw error;
    }
  };
}

const period = (event: APIGatewayProxyEventV2, deps: Dependencies) =>
  reportPeriod(event.queryStringParameters?.from, event.queryStringParameters?.to, deps.clock.now());

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
  'GET /staff/sign-in': async () => htmlResponse(200, signInPage()),
  'POST /staff/sign-in': async (event, deps) => {
    const parsed = signInSchema.safeParse(parseForm(event));
    if (!parsed.success) return htmlResponse(400, signInPage(undefined, parsed.error.issues[0]!.message));
    await requestSignIn(parsed.data.email, deps);
    return htmlResponse(
      200,
      signInPage('Om adressen får logga in har vi skickat en länk till den. Länken gäller i 15 minuter.'),
    );
  },
  'GET /staff/sign-in/{token}': async (event, deps) => {
    const token = event.pathParameters?.token ?? '';
    const check = await completeSignIn(token, deps, true);
    if (check.kind === 'refused')
      return htmlResponse(
        410,
        simpleStaffPage(
          'Länken fungerar inte',
          'Länken är använd, har gått ut eller finns inte. Begär en ny inloggningslänk.',
        ),
      );
    return htmlResponse(200, signInConfirmPage(token));
  },
  'POST /staff/sign-in/{token}': async (event, deps) => {
    const result = await completeSignIn(event.pathParameters?.token ?? '', deps);
    if (result.kind === 'refused')
      return htmlResponse(
        410,
        simpleStaffPage(
          'Länken fungerar inte',
          'Länken är använd, har gått ut eller finns inte. Begär en ny inloggningslänk.',
        ),
      );
    return {
      ...redirect('/staff'),
      cookies: [sessionCookie(result.token, result.maxAgeSeconds)],
    };
  },
  'POST /staff/sign-out': async (event, deps) => {
    await signOut(sessionTokenOf(event), deps);
    return {
      ...redirect('/staff/sign-in'),
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
    return htmlResponse(200, overviewPage(session, rows, districts, filters));
  }),
  'GET /staff/referrals/{id}': signedIn(async (event, deps, session) => {
    const detail = await referralDetail(session, event.pathParameters?.id ?? '', deps);
    if (!detail)
      return htmlResponse(404, simpleStaffPage('Finns inte', 'Det finns inget sådant ärende.', session));
    return htmlResponse(200, referralPage(session, detail.referral, detail.events, undefined, detail.notes));
  }),
  'POST /staff/referrals/{id}/retry': signedIn(async (event, deps, session) => {
    const id = event.pathParameters?.id ?? '';
    const outcome = await retryReferral(session, id, deps);
    const detail = await referralDetail(session, id, deps);
    if (!detail)
      return htmlResponse(404, simpleStaffPage('Finns inte', 'Det finns inget sådant ärende.', session));
    const notice = {
      retried: 'Ärendet fortsätter från steget som misslyckades.',
      'not-needed': 'Ärendet behöver ingen åtgärd.',
      'not-possible': 'Ärendet kan inte startas om härifrån. Kontakta support.',
    }[outcome];
    return htmlResponse(
      outcome === 'retried' ? 200 : 409,
      referralPage(session, detail.referral, detail.events, notice, detail.notes),
    );
  }),
  'GET /staff/report': signedIn(async (event, deps, session) => {
    const { from, to } = period(event, deps);
    const r = await report(session, from, to, deps);
    return htmlResponse(200, reportPage(session, from, to, r.districts, r.total));
  }),
  'GET /staff/report.csv': signedIn(async (event, deps, session) => {
    const { from, to } = period(event, deps);
    const r = await report(session, from, to, deps);
    const body = stringify(
      [...r.districts, r.total].map((d) => REPORT_COLUMNS.map((c) => d[c] ?? '')),
      { header: true, columns: [...REPORT_COLUMNS] },
    );
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="bris-rapport-${from}-${to}.csv"`,
        'cache-control': 'no-store',
      },
      body,
    };
  }),
};

// Every POST here acts for a signed-in person (or starts signing in): only from our own pages.
export const handler = httpHandler(routes, { postsFromSiteOnly: true });
