/** HTTP helpers for API Gateway v2 events: form bodies, HTML responses with security headers. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const SECURITY_HEADERS = {
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
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
      ...extra,
    },
    body,
  };
}

export function cssResponse(css: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      ...SECURITY_HEADERS,
    },
    body: css,
  };
}

export function redirect(location: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store', ...SECURITY_HEADERS },
    body: '',
  };
}

const MAX_FORM_BYTES = 16 * 1024;

export class BodyTooLargeError extends Error {}

/** application/x-www-form-urlencoded body → first value per field. */
export function parseForm(event: APIGatewayProxyEventV2): Record<string, string> {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (Buffer.byteLength(raw) > MAX_FORM_BYTES) throw new BodyTooLargeError();
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v;
  return out;
}
