/**
 * The HTTP API locally: a plain Node server that turns each request into an API Gateway v2 event and
 * calls the handler the template routes it to. Plus /dev pages: the mailbox and the clock.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SECURITY_HEADERS } from '../../functions/shared/http';
import { METRICS, METRIC_NAMESPACE, type MetricName } from '../../functions/shared/metric-names';
import { html } from '../../functions/web/html';
import { page } from '../../functions/web/layout';
import { tooManyRequestsPage } from '../../functions/web/pages/too-many-requests';
import type { ClientLimiter } from './client-limits';
import type { Language } from '../../functions/domain/referral';
import { MAX_TARGET_LENGTH, problemPage } from '../../functions/web/error-pages';
import {
  languageOf,
  type LanguageRequest,
  requestedLanguage,
  visitorLanguageCookie,
} from '../../functions/web/language';
import { withPageRequest } from '../../functions/web/request-context';
import type { Mailbox } from './mailbox';
import {
  DEV_CSS,
  DEV_CSS_PATH,
  DEV_PAGE_CSP,
  MAIL_HTML_CSP,
  mailPage,
  mailboxPage,
  type DevLanguage,
} from './mailbox-pages';
import { REPO_ROOT } from './synth';
import type { TableRequestMeter } from './table-requests';
import type { HttpRoute } from './template';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

const MAX_BODY = 64 * 1024;
/**
 * The longest request target (path and query) answered: ours are under 100 characters. API Gateway has
 * its own limits; locally anything longer gets a clear 414 page instead of reaching a handler.
 */
export const MAX_TARGET = MAX_TARGET_LENGTH;

type Match =
  | { kind: 'route'; route: HttpRoute; params: Record<string, string> }
  /** The path exists with other methods: 405 with Allow. */
  | { kind: 'method'; allow: string[] }
  /** A path parameter is not valid percent-encoding (`%ZZ`, a cut UTF-8 sequence). */
  | { kind: 'malformed' }
  | { kind: 'none' };

const decode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

function matchPath(route: HttpRoute, path: string): Record<string, string> | undefined | 'malformed' {
  const names: string[] = [];
  const pattern = new RegExp(
    '^' + route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)')) + '$',
  );
  const m = pattern.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const value = decode(m[i + 1]!);
    if (value === undefined) return 'malformed';
    params[name] = value;
  }
  return params;
}

/** Like API Gateway: the route of this method and path; HEAD is answered by the GET route, without a body. */
function matchRoute(routes: HttpRoute[], method: string, path: string): Match {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const allow = new Set<string>();
  let malformed = false;
  for (const route of routes) {
    const params = matchPath(route, path);
    if (params === undefined) continue;
    if (params === 'malformed') {
      malformed = true;
      continue;
    }
    if (route.method === wanted) return { kind: 'route', route, params };
    allow.add(route.method);
    if (route.method === 'GET') allow.add('HEAD');
  }
  if (malformed) return { kind: 'malformed' };
  if (allow.size) return { kind: 'method', allow: [...allow].sort() };
  return { kind: 'none' };
}

type LocalProblem = 400 | 404 | 405 | 413 | 414 | 431 | 500;

/**
 * The server's own answers (no route ran): the same page (layout, language by the same rule, a switch
 * where the request is known) and security headers as the handlers'.
 */
function problemHead(
  status: LocalProblem,
  lang: Language,
  extra: Record<string, string> = {},
  here?: string,
) {
  const body = here
    ? withPageRequest({ here, lang }, () => problemPage(status, lang))
    : problemPage(status, lang);
  return {
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
      ...extra,
    },
  };
}

/** What the language rule reads from a request the local server answers itself. */
function languageRequestOfLocal(req: IncomingMessage, url?: URL): LanguageRequest {
  return {
    path: url?.pathname ?? '/',
    query: url?.searchParams.get('lang'),
    cookieHeader: req.headers.cookie,
    acceptLanguage: req.headers['accept-language'],
  };
}

function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  status: LocalProblem,
  extra: Record<string, string> = {},
  url?: URL,
): void {
  const method = req.method ?? 'GET';
  const request = languageRequestOfLocal(req, url);
  const lang = languageOf(request);
  // The switch on a page the path itself caused (404, 405) leads to the same path in the other language.
  const here = url && (status === 404 || status === 405) ? `${url.pathname}${url.search}` : undefined;
  const asked = requestedLanguage(request.query);
  const { body, headers } = problemHead(status, lang, extra, here);
  res.writeHead(status, asked ? { ...headers, 'set-cookie': visitorLanguageCookie(asked) } : headers);
  res.end(method === 'HEAD' ? undefined : body);
}

const tooLarge = () => Object.assign(new Error('body too large'), { status: 413 });

/**
 * The body as text, at most MAX_BODY bytes. Over it, the promise fails with a 413 and the request is
 * paused, not destroyed: destroying it resets the socket, and a client still uploading then loses the
 * answer (or reuses the dead connection for its next request). `endOverLimit` lets the rest drain.
 */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  if (Number(req.headers['content-length']) > MAX_BODY) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).pause();
      reject(tooLarge());
    };
    const onEnd = () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined);
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** What a client may still send after its 413 before the socket is closed under it (nginx's lingering close). */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2000;

/**
 * After a 413 (sent with `connection: close`): read and drop what the client is still uploading, up to
 * LINGER_BYTES or LINGER_MS, so its answer is not lost to a reset; then close. A hostile endless upload is
 * cut off at the bound.
 */
function endOverLimit(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    let drained = 0;
    const close = () => req.socket.destroy();
    const timer = setTimeout(close, LINGER_MS).unref();
    req.on('data', (chunk: Buffer) => {
      if ((drained += chunk.length) > LINGER_BYTES) close();
    });
    req.once('end', () => clearTimeout(timer));
    req.socket.once('close', () => clearTimeout(timer));
    req.resume();
  });
}

export interface DevHooks {
  mailbox: Mailbox;
  advanceClock(ms: number): void;
  clockNow(): Date;
  /** When the next sleeping wait or deadline wakes up. */
  nextWakeAt(): Date | undefined;
  /** Workflow handlers running now. */
  workflowBusy(): number;
  /** Workflow executions not yet ended. */
  runningExecutions(): number;
  /** Erasures recorded and not yet done (due or not), counted up to `upTo`: the daily sweep's work still to come. */
  pendingErasures(upTo?: number): Promise<number>;
  /** The system's metrics counted since start (what the EMF lines in the log add up to). */
  metricTotals(): ReadonlyMap<MetricName, number>;
}

/** What each metric counts, for the /dev/metrics page. */
const METRIC_LABELS: Record<MetricName, { sv: string; en: string }> = {
  ReferralsAccepted: { sv: 'Anmälningar tagna emot', en: 'Referrals accepted' },
  StepsEntered: { sv: 'Steg påbörjade (förfrågan skickad)', en: 'Steps entered (request sent)' },
  NeedsAttention: { sv: 'Behöver åtgärd (systemfel)', en: 'Needs attention (system failures)' },
  EmailsSent: { sv: 'Mejl skickade', en: 'Emails sent' },
  EmailsBounced: { sv: 'Mejl som studsade', en: 'Emails bounced' },
  EmailsComplained: { sv: 'Klagomål på mejl', en: 'Emails complained about' },
  ClientLimited: {
    sv: 'Anrop som nekades (för många från samma klient)',
    en: 'Requests refused (too many from one client)',
  },
  SendLimited: {
    sv: 'Begärda mejl som inte skickades (för många för adressen)',
    en: 'Requested emails not sent (too many for the address)',
  },
};

export class LocalHttpServer {
  private server?: Server;
  /** API requests being handled now (the dev routes excluded): part of "is the system idle?". */
  private inFlight = 0;
  /** API requests answered (each is one Lambda invocation behind API Gateway). */
  invocations = 0;
  handlerMs = 0;
  private readonly handlers = new Map<string, Promise<Handler>>();
  /** Node's server, once listening: the intake benchmark times requests and accepts on it. */
  get listening(): Server | undefined {
    return this.server;
  }
  /** Told when a person's request starts and ends (the workflow engine's background work yields to them). */
  people?: { personArrives(): void; personLeaves(): void };

  constructor(
    private readonly routes: HttpRoute[],
    private readonly dev: DevHooks,
    /** The per-client limits on the public POST routes (infra/public-post-limits.ts); none: no limits. */
    private readonly clients?: { limiter: ClientLimiter; limited(): void; now(): Date },
    /** Counts each handler call's table requests and their sequential round trips. */
    readonly tableRequests?: TableRequestMeter,
  ) {}

  private handler(entry: string): Promise<Handler> {
    let h = this.handlers.get(entry);
    if (!h) {
      h = import(pathToFileURL(join(REPO_ROOT, entry)).href).then((m: { handler: Handler }) => m.handler);
      this.handlers.set(entry, h);
    }
    return h;
  }

  async start(port: number): Promise<number> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error & { status?: number }) => {
        if (res.headersSent) return res.end();
        if (error.status !== 413) return sendProblem(req, res, 500);
        endOverLimit(req, res);
        sendProblem(req, res, 413, { connection: 'close' });
      });
    });
    // Requests Node cannot parse (an unknown method such as FOO, broken framing) get a page, not a bare 400.
    this.server.on('clientError', (error: Error & { code?: string }, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      // Node could not read the request: its headers (and so its language) are unknown.
      const { body, headers } = problemHead(status, 'sv', { connection: 'close' });
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          Object.entries(headers)
            .map(([k, v]) => `${k}: ${v}\r\n`)
            .join('') +
          '\r\n' +
          body,
      );
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      // A deep accept backlog: bursts of a thousand connections must queue, not be reset.
      this.server!.listen(port, '127.0.0.1', 4096, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    if (target.length > MAX_TARGET) return sendProblem(req, res, 414);
    let url: URL;
    try {
      url = new URL(target, 'http://localhost');
    } catch {
      return sendProblem(req, res, 400);
    }
    if (url.pathname === '/dev' || url.pathname.startsWith('/dev/'))
      return this.handleDev(method, url, req, res);
    this.inFlight++;
    this.people?.personArrives();
    try {
      await this.handleApi(method, url, req, res);
    } finally {
      this.inFlight--;
      this.people?.personLeaves();
    }
  }

  private async handleApi(
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const found = matchRoute(this.routes, method, url.pathname);
    if (found.kind === 'malformed') return sendProblem(req, res, 400, {}, url);
    if (found.kind === 'method') return sendProblem(req, res, 405, { allow: found.allow.join(', ') }, url);
    if (found.kind === 'none') return sendProblem(req, res, 404, {}, url);
    const body = await readBody(req);
    // The client is the connection's address: a header (X-Forwarded-For) is whatever the client wrote.
    const verdict = this.clients?.limiter.check(found.route.routeKey, req.socket.remoteAddress ?? '');
    if (verdict && !verdict.allowed) return this.sendTooMany(res, method, verdict.retryAfterSeconds);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    const now = Date.now();
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: found.route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: Object.keys(found.params).length ? found.params : undefined,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: found.route.method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomBytes(8).toString('hex'),
        routeKey: found.route.routeKey,
        stage: '$default',
        time: new Date(now).toUTCString(),
        timeEpoch: now,
      },
      body,
      isBase64Encoded: false,
      // API Gateway v2 hands cookies over as a list, not as a header.
      cookies: headers.cookie ? headers.cookie.split(/;\s*/) : undefined,
    };
    const handler = await this.handler(found.route.entry);
    this.invocations++;
    const started = performance.now();
    const call = () =>
      handler(event, { awsRequestId: event.requestContext.requestId, functionName: found.route.entry });
    const result = await (this.tableRequests
      ? this.tableRequests.measure(found.route.routeKey, call)
      : call());
    this.handlerMs += performance.now() - started;
    const responseHeaders: Record<string, string | string[]> = {
      ...(result.headers as Record<string, string>),
    };
    if (result.cookies?.length) responseHeaders['set-cookie'] = result.cookies;
    res.writeHead(result.statusCode ?? 200, responseHeaders);
    // HEAD: the GET route's status and headers, without its body.
    res.end(method === 'HEAD' ? undefined : (result.body ?? ''));
  }

  private sendTooMany(res: ServerResponse, method: string, retryAfterSeconds: number): void {
    this.clients!.limited();
    const body = tooManyRequestsPage(retryAfterSeconds, this.clients!.now());
    res.writeHead(429, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      'retry-after': String(retryAfterSeconds),
      ...SECURITY_HEADERS,
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  private async handleDev(
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const send = (
      status: number,
      body: string,
      type = 'text/html; charset=utf-8',
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        // As strict as the site's own pages: no script at all; frames only from here (a mail's HTML part).
        'content-security-policy': DEV_PAGE_CSP,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        ...headers,
      });
      res.end(body);
    };
    /** Back to the mailbox page a form came from (only a mailbox address: never an open redirect). */
    const backTo = (form: URLSearchParams) => {
      const back = form.get('back') ?? '';
      return /^\/dev\/mailbox(\?[A-Za-z0-9=&%._+@-]*)?$/.test(back) ? back : '/dev/mailbox';
    };
    const { mailbox } = this.dev;
    const lang: DevLanguage = url.searchParams.get('lang') === 'en' ? 'en' : 'sv';
    if (method === 'GET' && url.pathname === DEV_CSS_PATH)
      return send(200, DEV_CSS, 'text/css; charset=utf-8');
    if (method === 'GET' && (url.pathname === '/dev' || url.pathname === '/dev/mailbox')) {
      return send(
        200,
        mailboxPage({
          messages: mailbox.list(),
          recipient: url.searchParams.get('to')?.trim() || undefined,
          now: this.dev.clockNow(),
          bouncing: mailbox.bouncingAddresses,
          lang,
        }),
      );
    }
    if (method === 'GET' && (url.pathname === '/dev/metrics' || url.pathname === '/dev/metrics.json')) {
      const totals = this.dev.metricTotals();
      const counts = Object.values(METRICS).map((name) => ({ name, count: totals.get(name) ?? 0 }));
      if (url.pathname.endsWith('.json'))
        return send(
          200,
          JSON.stringify(Object.fromEntries(counts.map((c) => [c.name, c.count]))),
          'application/json',
        );
      const en = url.searchParams.get('lang') === 'en';
      return send(
        200,
        page({
          title: en ? 'Metrics (local)' : 'Mätvärden (lokalt)',
          lang: en ? 'en' : 'sv',
          body: html`<h1>${en ? 'Metrics (local)' : 'Mätvärden (lokalt)'}</h1>
            <p>
              ${
                en
                  ? `Counted since the local system started: the same metrics the functions write to CloudWatch (namespace ${METRIC_NAMESPACE}) as EMF lines in the log.`
                  : `Räknat sedan det lokala systemet startade: samma mätvärden som funktionerna skriver till CloudWatch (namnrymd ${METRIC_NAMESPACE}) som EMF-rader i loggen.`
              }
            </p>
            <p>
              <a href="${en ? '/dev/metrics' : '/dev/metrics?lang=en'}" lang="${en ? 'sv' : 'en'}"
                >${en ? 'På svenska' : 'In English'}</a
              >
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">${en ? 'Metric' : 'Mätvärde'}</th>
                  <th scope="col">${en ? 'What it counts' : 'Vad det räknar'}</th>
                  <th scope="col">${en ? 'Count' : 'Antal'}</th>
                </tr>
              </thead>
              <tbody>
                ${counts.map(
                  (c) =>
                    html`<tr>
                      <td><code>${c.name}</code></td>
                      <td>${METRIC_LABELS[c.name][en ? 'en' : 'sv']}</td>
                      <td>${String(c.count)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
        }),
      );
    }
    if (method === 'GET' && url.pathname === '/dev/mailbox.json') {
      // `?after=<id>` lets a poller read only what is new. `&waitMs=<ms>` (at most a second) holds the
      // answer until there is something new, or, with `&untilIdle=1`, until no function or request runs:
      // the simulated people ask once per change instead of every few milliseconds, which was load on
      // this process that the lifecycle bench charged to the system (stop 31).
      const after = Number(url.searchParams.get('after') ?? 0) || 0;
      const waitMs = Math.min(Math.max(Number(url.searchParams.get('waitMs') ?? 0) || 0, 0), 1000);
      const { dev } = this;
      const idle = { holds: () => dev.workflowBusy() + this.inFlight === 0 };
      if (!waitMs) return send(200, JSON.stringify(mailbox.after(after)), 'application/json');
      const why = await mailbox.nextAfter(
        after,
        waitMs,
        url.searchParams.get('untilIdle') === '1' ? idle : undefined,
      );
      // `x-long-poll`: why it answered (mail, the system idle, or the wait over).
      return send(200, JSON.stringify(mailbox.after(after)), 'application/json', {
        'x-long-poll': why === 'also' ? 'idle' : why,
      });
    }
    if (method === 'GET' && url.pathname === '/dev/clock.json') {
      // `?pendingErasures=when-idle`: a poller that only needs the count once nothing runs (the simulated
      // people) gets null while the system is busy, and the table is not read for it every few milliseconds.
      const busy = this.dev.workflowBusy() + this.inFlight;
      const pendingErasures =
        url.searchParams.get('pendingErasures') === 'when-idle' &&
        (busy > 0 || this.dev.runningExecutions() > 0)
          ? null
          : await this.dev.pendingErasures(
              // `&pendingErasuresUpTo=1`: whether any is left, without reading every record (the people ask
              // at every idle moment; a thousand records each time was load the bench charged the system).
              Math.min(
                Math.max(Math.floor(Number(url.searchParams.get('pendingErasuresUpTo'))) || 1000, 1),
                1000,
              ),
            );
      return send(
        200,
        JSON.stringify({
          now: this.dev.clockNow().toISOString(),
          nextWakeAt: this.dev.nextWakeAt()?.toISOString() ?? null,
          busy: this.dev.workflowBusy() + this.inFlight,
          runningExecutions: this.dev.runningExecutions(),
          pendingErasures,
          lastMailId: mailbox.lastId,
          repeats: mailbox.repeats,
        }),
        'application/json',
      );
    }
    const one = /^\/dev\/mailbox\/(\d+)(\/html)?$/.exec(url.pathname);
    if (method === 'GET' && one) {
      const m = mailbox.get(Number(one[1]));
      if (!m) return send(404, 'Inget sådant mejl.', 'text/plain; charset=utf-8');
      if (one[2])
        return send(200, m.html, 'text/html; charset=utf-8', {
          'content-security-policy': MAIL_HTML_CSP,
          'x-frame-options': 'SAMEORIGIN',
        });
      return send(200, mailPage(m, lang));
    }
    if (method === 'POST' && url.pathname === '/dev/mailbox/bounce') {
      const form = new URLSearchParams((await readBody(req)) ?? '');
      const address = (form.get('address') ?? '').trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(address))
        return send(400, 'Ange en e-postadress, till exempel namn@exempel.se.', 'text/plain; charset=utf-8');
      mailbox.bounce(address);
      res.writeHead(303, { location: backTo(form) });
      res.end();
      return;
    }
    if (method === 'POST' && url.pathname === '/dev/clock/advance') {
      const form = new URLSearchParams((await readBody(req)) ?? '');
      const field = (name: string) => form.get(name) ?? url.searchParams.get(name);
      // `to=<instant>` (a simulation jumping to the next wake-up), or a number of hours, days or weeks.
      const to = field('to');
      if (to !== null) {
        const ms = Date.parse(to) - this.dev.clockNow().getTime();
        if (!Number.isFinite(ms))
          return send(400, 'Ange en tidpunkt (ISO 8601).', 'text/plain; charset=utf-8');
        if (ms > 0) this.dev.advanceClock(ms);
      } else {
        // `hours`, `days` or `weeks` (the mailbox page's buttons send one of them): how far to move.
        const units = { hours: 3_600_000, days: 86_400_000, weeks: 7 * 86_400_000 } as const;
        const unit = (Object.keys(units) as (keyof typeof units)[]).find((u) => field(u) !== null) ?? 'days';
        const count = Number(field(unit) ?? '0');
        const ms = count * units[unit];
        if (!Number.isFinite(ms) || count < 0 || ms > 3650 * 86_400_000)
          return send(
            400,
            'Ange hours, days eller weeks: ett tal från 0 upp till tio år. / Give hours, days or weeks: a number from 0 up to ten years.',
            'text/plain; charset=utf-8',
          );
        this.dev.advanceClock(ms);
      }
      res.writeHead(303, { location: backTo(form) });
      res.end();
      return;
    }
    send(404, 'Sidan finns inte.', 'text/plain; charset=utf-8');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
