/**
 * Staff pages: sign-in by email link, and behind a signed-in session the overview (with failed groups and
 * their retry), the referral timeline with retry, and the report. The task inbox is a function of its own
 * (functions/staff-tasks). Every POST is refused unless it comes from the site itself (httpHandler's
 * postsFromSiteOnly).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpHandler, type Route } from '../shared/http-handler';
import { htmlResponse, parseForm, redirect } from '../shared/http';
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from '../shared/session-cookie';
import {
  completeSignIn,
  failedGroups,
  overview,
  referralDetail,
  reportFor,
  requestSignIn,
  retryGroup,
  retryReferral,
  SIGN_IN_MINUTES,
  signInSchema,
  signOut,
} from '../phases/staff/staff';
import {
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
import { requestedLanguage } from '../phases/staff/language';
import { staffLanguage } from '../web/audit-labels';
import { askedLanguage, remembering, signedIn, signedOutLanguage, signInPath } from './signed-in';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

/** The report's period as the query asks it; the use case checks it. */
const periodQuery = (event: APIGatewayProxyEventV2) => ({
  from: event.queryStringParameters?.from,
  to: event.queryStringParameters?.to,
});

const routes: Record<string, Route> = {
  'GET /staff/sign-in': async (event) =>
    remembering(event, htmlResponse(200, signInPage(signedOutLanguage(event)))),
  'POST /staff/sign-in': async (event, deps) => {
    const form = parseForm(event);
    const parsed = signInSchema().safeParse(form);
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
