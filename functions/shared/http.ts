/**
 * HTTP helpers for API Gateway v2 events: form bodies, HTML responses, and the refusals a route or a
 * guard throws. The security headers are not set here: `httpHandler` adds them to every response.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type BilingualProblem, problemOf } from '../web/error-pages';

/** Set on every answer of the system (by the middleware in http-handler.ts, and by the local server). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  // Capability links live in paths: no page may leak its URL to another site.
  'referrer-policy': 'no-referrer',
};

export function htmlResponse(
  statusCode: number,
  body: string,
  extra: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body,
  };
}

export function cssResponse(css: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' },
    body: css,
  };
}

export function redirect(location: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

/**
 * A request refused before or by a route: a 4xx with a page that says what went wrong and what to do.
 * Thrown rather than returned so that it passes through the same onError path as every other failure.
 */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    /** What the page says, in both languages: the request's language picks one. */
    readonly problem: BilingualProblem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.sv.title);
  }
}

const MAX_FORM_BYTES = 16 * 1024;

const tooLarge = () => new HttpProblem(413, problemOf(413));

/** application/x-www-form-urlencoded body → first value per field. */
export function parseForm(event: APIGatewayProxyEventV2): Record<string, string> {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw) > MAX_FORM_BYTES) throw tooLarge();
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v;
  return out;
}
