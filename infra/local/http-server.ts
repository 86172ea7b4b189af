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
import { html } from '../../functions/web/html';
import { page } from '../../functions/web/layout';
import type { Mailbox } from './mailbox';
import { REPO_ROOT } from './synth';
import type { HttpRoute } from './template';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

const MAX_BODY = 64 * 1024;

function matchRoute(
  routes: HttpRoute[],
  method: string,
  path: string,
): { route: HttpRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      '^' + route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)')) + '$',
    );
    const m = pattern.exec(path);
    if (m)
      return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
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
}

export class LocalHttpServer {
  private server?: Server;
  /** API requests being handled now (the dev routes excluded): part of "is the system idle?". */
  private inFlight = 0;
  /** API requests answered (each is one Lambda invocation behind API Gateway). */
  invocations = 0;
  handlerMs = 0;
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(
    private readonly routes: HttpRoute[],
    private readonly dev: DevHooks,
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
        if (!res.headersSent)
          res.writeHead(error.status ?? 500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(error.status === 413 ? 'För mycket data.' : 'Internt fel.');
      });
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
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/dev' || url.pathname.startsWith('/dev/'))
      return this.handleDev(method, url, req, res);
    this.inFlight++;
    try {
      await this.handleApi(method, url, req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async handleApi(
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const found = matchRoute(this.routes, method, url.pathname);
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Sidan finns inte.');
      return;
    }
    const body = await readBody(req);
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
          method,
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
    const result = await handler(event, {
      awsRequestId: event.requestContext.requestId,
      functionName: found.route.entry,
    });
    this.handlerMs += performance.now() - started;
    const responseHeaders: Record<string, string | string[]> = {
      ...(result.headers as Record<string, string>),
    };
    if (result.cookies?.length) responseHeaders['set-cookie'] = result.cookies;
    res.writeHead(result.statusCode ?? 200, responseHeaders);
    res.end(result.body ?? '');
  }

  private async handleDev(
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const send = (status: number, body: string, type = 'text/html; charset=utf-8') => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
    };
    const { mailbox } = this.dev;
    if (method === 'GET' && (url.pathname === '/dev' || url.pathname === '/dev/mailbox')) {
      const messages = mailbox.list().reverse();
      return send(
        200,
        page({
          title: 'Utvecklarens brevlåda',
          body: html`<h1>Brevlåda (lokal)</h1>
            <p>
              Alla mejl som systemet skickat lokalt, nyast först. Klockan står på
              ${this.dev.clockNow().toISOString()}.
            </p>
            <form method="post" action="/dev/clock/advance">
              <label for="days">Spola fram klockan (dagar)</label>
              <input type="text" id="days" name="days" value="15" inputmode="numeric" /><button type="submit">
                Spola fram
              </button>
            </form>
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Till</th>
                  <th scope="col">Ämne</th>
                  <th scope="col">Mall</th>
                  <th scope="col">Mottaget</th>
                </tr>
              </thead>
              <tbody>
                ${messages.map(
                  (m) =>
                    html`<tr>
                      <td>${m.id}</td>
                      <td>${m.to.join(', ')}</td>
                      <td>
                        <a href="/dev/mailbox/${m.id}">${m.subject}</a
                        >${m.repeatOf ? ` (kopia av #${m.repeatOf})` : ''}
                      </td>
                      <td>${m.template}</td>
                      <td>${m.receivedAt}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`,
        }),
      );
    }
    if (method === 'GET' && url.pathname === '/dev/mailbox.json') {
      // `?after=<id>` lets a poller read only what is new.
      const after = Number(url.searchParams.get('after') ?? 0) || 0;
      return send(200, JSON.stringify(mailbox.after(after)), 'application/json');
    }
    if (method === 'GET' && url.pathname === '/dev/clock.json')
      return send(
        200,
        JSON.stringify({
          now: this.dev.clockNow().toISOString(),
          nextWakeAt: this.dev.nextWakeAt()?.toISOString() ?? null,
          busy: this.dev.workflowBusy() + this.inFlight,
          runningExecutions: this.dev.runningExecutions(),
          lastMailId: mailbox.lastId,
          repeats: mailbox.repeats,
        }),
        'application/json',
      );
    const one = /^\/dev\/mailbox\/(\d+)$/.exec(url.pathname);
    if (method === 'GET' && one) {
      const m = mailbox.get(Number(one[1]));
      if (!m) return send(404, 'Inget sådant mejl.', 'text/plain; charset=utf-8');
      const parts = m.text.split(/(https?:\/\/\S+)/g);
      return send(
        200,
        page({
          title: m.subject,
          body: html`<p><a href="/dev/mailbox">← Brevlådan</a></p>
            <h1>${m.subject}</h1>
            <p>Till: ${m.to.join(', ')} · Från: ${m.from} · Mall: ${m.template} · Språk: ${m.language}</p>
            <pre style="white-space: pre-wrap; font: inherit;">
${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}">${p}</a>` : p))}</pre>`,
        }),
      );
    }
    if (method === 'POST' && url.pathname === '/dev/clock/advance') {
      const form = new URLSearchParams((await readBody(req)) ?? '');
      const field = (name: string) => form.get(name) ?? url.searchParams.get(name);
      // `to=<instant>` (a simulation jumping to the next wake-up) or `days=<n>` (the mailbox page's button).
      const to = field('to');
      if (to !== null) {
        const ms = Date.parse(to) - this.dev.clockNow().getTime();
        if (!Number.isFinite(ms))
          return send(400, 'Ange en tidpunkt (ISO 8601).', 'text/plain; charset=utf-8');
        if (ms > 0) this.dev.advanceClock(ms);
      } else {
        const days = Number(field('days') ?? '0');
        if (!Number.isFinite(days) || days < 0 || days > 3650)
          return send(400, 'Ange antal dagar 0–3650.', 'text/plain; charset=utf-8');
        this.dev.advanceClock(days * 86_400_000);
      }
      res.writeHead(303, { location: '/dev/mailbox' });
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
