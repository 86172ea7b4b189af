/** GET /links/{id} shows the step; POST /links/{id} performs it; POST /links/{id}/renew re-sends an expired one. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpHandler } from '../shared/http-handler';
import { htmlResponse, parseForm } from '../shared/http';
import { redeemLink, renewLink, viewLink } from '../phases/links/link-engine';
import { HUMAN_STEP_MODULES } from '../phases/human-steps';
import { linkPage } from '../web/pages/link-pages';

const tokenOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.id ?? '';

export const handler = httpHandler({
  'GET /links/{id}': async (event, deps) => {
    const token = tokenOf(event);
    const { status, body } = linkPage(token, await viewLink(token, deps));
    return htmlResponse(status, body);
  },
  'POST /links/{id}': async (event, deps) => {
    const token = tokenOf(event);
    const { status, body } = linkPage(
      token,
      await redeemLink(token, parseForm(event), deps, HUMAN_STEP_MODULES),
    );
    return htmlResponse(status, body);
  },
  'POST /links/{id}/renew': async (event, deps) => {
    const token = tokenOf(event);
    const { status, body } = linkPage(token, await renewLink(token, deps, HUMAN_STEP_MODULES));
    return htmlResponse(status, body);
  },
});
