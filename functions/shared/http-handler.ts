/** Middy wiring for HTTP routes: run the route, and turn any failure into a Swedish error page. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Dependencies } from '../ports';
import { errorPage } from '../web/pages/referral-form';
import { dependencies } from './dependencies';
import { BodyTooLargeError, htmlResponse } from './http';

export type Route = (
  event: APIGatewayProxyEventV2,
  deps: Dependencies,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function httpHandler(routes: Record<string, Route>) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use({
      onError: async (request) => {
        const error = request.error;
        if (error instanceof BodyTooLargeError) {
          request.response = htmlResponse(
            413,
            errorPage(
              'För mycket data',
              'Formuläret innehöll för mycket text. Korta texten och försök igen.',
            ),
          );
          return;
        }
        dependencies().log.error('request failed', {
          route: request.event.routeKey,
          error: error?.name ?? 'Error',
          requestId: request.context?.awsRequestId,
        });
        request.response = htmlResponse(
          500,
          errorPage(
            'Något gick fel',
            'Det gick inte att slutföra just nu. Försök igen om en stund. Om du skickade en anmälan: skicka samma formulär igen, den registreras inte två gånger.',
          ),
        );
      },
    })
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) return htmlResponse(404, errorPage('Sidan finns inte', 'Adressen finns inte.'));
      return route(event, dependencies());
    });
}
