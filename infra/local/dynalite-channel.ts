/**
 * The local runtime's transport to dynalite: each request goes to dynalite's worker thread over a
 * MessagePort and is answered by dynalite's own HTTP request handler there, instead of over a TCP socket
 * on 127.0.0.1. Profiled under the benchmark's load, the socket's system calls (writev alone ~14 % of the
 * main thread) cost more than dynalite's work; the messages carry the same method, path, headers and
 * body, and dynalite sees the same request (counting and recording included). The SDK client around it
 * is unchanged (serialisation, middleware, retries). Local only: the AWS adapter never has it, and
 * `LOCAL_DYNAMO_TRANSPORT=tcp` goes over the socket again to compare.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/** One request as it crosses to the worker (see dynalite-worker.mjs, `serve`). */
export interface ChannelRequest {
  id: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ChannelResponse {
  id: number;
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The part of the SDK's HttpRequest this handler reads. */
interface OutgoingRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

const connectors = new Map<string, () => MessagePort>();

/** Called by startDynalite: clients of `endpoint` in this process may use the worker's channel. */
export function offerChannel(endpoint: string, connect: (port: MessagePort) => void): () => void {
  const handedOut: MessagePort[] = [];
  connectors.set(endpoint, () => {
    const { port1, port2 } = new MessageChannel();
    connect(port2);
    handedOut.push(port1);
    return port1;
  });
  // Withdrawn when dynalite stops: the clients' ports close, so what they still send is refused, not lost.
  return () => {
    connectors.delete(endpoint);
    for (const port of handedOut) port.close();
  };
}

export const channelTransport = () => process.env.LOCAL_DYNAMO_TRANSPORT !== 'tcp';

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // The SDK's JSON bodies are Uint8Array subclasses that answer valueOf() with a string (and warn when
  // asked): read the bytes through a view, as a socket would.
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error('The local DynamoDB channel sends string or byte bodies only');
}

function queryText(query: OutgoingRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {}))
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(
        v === null ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(v)}`,
      );
  return parts.length ? `?${parts.join('&')}` : '';
}

/** An SDK request handler (the `requestHandler` client option) that talks to dynalite over the channel. */
export class DynaliteChannelHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private nextId = 0;
  private readonly waiting = new Map<number, (response: ChannelResponse) => void>();
  private closed = false;

  constructor(private readonly port: MessagePort) {
    port.on('message', (response: ChannelResponse) => {
      const answer = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      if (!this.waiting.size) port.unref();
      answer?.(response);
    });
    port.on('close', () => {
      this.closed = true;
      for (const [id, answer] of this.waiting)
        answer({ id, statusCode: 503, headers: {}, body: new Uint8Array() });
      this.waiting.clear();
    });
    // An idle channel does not keep the process alive; one with a request in flight does, like a socket.
    port.unref();
  }

  async handle(request: OutgoingRequest): Promise<{ response: unknown }> {
    if (this.closed) return { response: { statusCode: 503, headers: {}, body: new Uint8Array() } };
    const id = ++this.nextId;
    const answered = new Promise<ChannelResponse>((resolve) => this.waiting.set(id, resolve));
    if (this.waiting.size === 1) this.port.ref();
    const message: ChannelRequest = {
      id,
      method: request.method,
      path: `${request.path}${queryText(request.query)}`,
      headers: request.headers,
      body: bodyText(request.body),
    };
    this.port.postMessage(message);
    const { statusCode, headers, body } = await answered;
    return { response: { statusCode, headers, body } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    this.closed = true;
    this.port.close();
  }
}

/** The channel to the dynalite this process started at `endpoint`, if it did and the channel is on. */
export function channelTo(endpoint: string): DynaliteChannelHandler | undefined {
  const connect = channelTransport() ? connectors.get(endpoint) : undefined;
  return connect ? new DynaliteChannelHandler(connect()) : undefined;
}
