/**
 * The staff task inbox behind a signed-in session: open steps of the signed-in person and the pools;
 * acting here is acting through the step's (or pool's) link. A function of its own, apart from the other
 * staff pages (functions/staff), because it carries every phase's step pages and answers: together they
 * were over the 300 KB bundle goal (issue 15). Every POST is refused unless it comes from the site itself.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpHandler, type Route } from '../shared/http-handler';
import { htmlResponse, parseForm } from '../shared/http';
import { actOnPool, actOnStep, FORM_ID_PATTERN, listTasks, poolTask, stepTask } from '../phases/staff/tasks';
import {
  goneTaskPage,
  groupTaskPage,
  inboxPage,
  stepDonePage,
  stepTaskPage,
} from '../phases/staff/task-pages';
import { readPoolEntries } from '../phases/groups/groups';
import { signedIn } from '../staff/signed-in';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

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
const routes: Record<string, Route> = {
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
  // The pool is read beside the session: the answer needs it whoever of the coordinators sends it.
  'POST /staff/tasks/pool/{band}': signedIn(async (event, deps, session, pool) => {
    const band = bandOf(event);
    const body = parseForm(event);
    const result = await actOnPool(session, band, body, deps, pool);
    if (!result) return page(goneTaskPage(session, 'unknown'));
    const formId = FORM_ID_PATTERN.test(body.formId ?? '') ? body.formId : undefined;
    return page(groupTaskPage(session, result, poolAction(band), formId));
  }, readPoolEntries),
};

// Acting on a task acts for a signed-in person: only from our own pages.
export const handler = httpHandler(
  routes,
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
  { postsFromSiteOnly: true },
);
