/** GET /links/{id} shows the step; POST /links/{id} performs it; POST /links/{id}/renew re-sends an expired one. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpHandler, languageRequestOf } from '../shared/http-handler';
import { htmlResponse, parseForm } from '../shared/http';
import { redeemLink, renewLink, viewLink } from '../phases/links/link-engine';
import { LINK_MODULES } from '../phases/link-modules';
import { languageOf } from '../web/language';
import { type ChooseLanguage, linkPage } from '../web/pages/link-pages';
import { sesEmail } from '../adapters/email-ses';
import { stepFunctionsWorkflow } from '../adapters/workflow-sfn';
import { secretsManagerIdentityKey } from '../adapters/identity-key-secret';

const tokenOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.id ?? '';
/** The person's own choice first, then the language stored with the recipient (web/language.ts). */
const chooser =
  (event: APIGatewayProxyEventV2): ChooseLanguage =>
  (recipient) =>
    languageOf(languageRequestOf(event), recipient);

export const handler = httpHandler(
  {
    'GET /links/{id}': async (event, deps) => {
      const token = tokenOf(event);
      const { status, body } = linkPage(
        token,
        await viewLink(token, deps, LINK_MODULES, event.queryStringParameters),
        chooser(event),
      );
      return htmlResponse(status, body);
    },
    'POST /links/{id}': async (event, deps) => {
      const token = tokenOf(event);
      const { status, body } = linkPage(
        token,
        await redeemLink(token, parseForm(event), deps, LINK_MODULES, event.queryStringParameters),
        chooser(event),
      );
      return htmlResponse(status, body);
    },
    'POST /links/{id}/renew': async (event, deps) => {
      const token = tokenOf(event);
      const { status, body } = linkPage(token, await renewLink(token, deps, LINK_MODULES), chooser(event));
      return htmlResponse(status, body);
    },
  },
  { email: sesEmail, workflow: stepFunctionsWorkflow, identityKey: secretsManagerIdentityKey },
);
