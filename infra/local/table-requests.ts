/**
 * Counts, per HTTP invocation of the local runtime, the requests its handler sends to the table and how many
 * of them follow one another: a page's latency grows with the round trips it waits for one after the other,
 * not with reads it sends together. The HTTP server runs each handler call inside `measure`; a middleware on
 * the DynamoDB client records each request's start and end in the invocation it belongs to (found through
 * AsyncLocalStorage). The workflow engine runs its tasks `outside` any measurement: an execution a page
 * starts or resumes is not that page's work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TableRequest {
  /** The SDK command, e.g. GetCommand. */
  command: string;
  start: number;
  end: number;
}

export interface RouteInvocation {
  /** The route as the template names it, e.g. `GET /links/{id}`. */
  routeKey: string;
  status: number;
  requests: TableRequest[];
  /** The longest chain of requests each starting after the previous one ended. */
  roundTrips: number;
}

/**
 * The sequential depth of a set of requests: the length of the longest chain in which each request starts
 * no earlier than the previous one ended. Requests that overlap in time count as one round trip.
 */
export function sequentialRoundTrips(requests: readonly Pick<TableRequest, 'start' | 'end'>[]): number {
  const byStart = [...requests].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let longest = 0;
  for (const [i, r] of byStart.entries()) {
    let before = 0;
    for (let j = 0; j < i; j++) if (byStart[j]!.end <= r.start) before = Math.max(before, depth[j]!);
    depth[i] = before + 1;
    longest = Math.max(longest, depth[i]);
  }
  return longest;
}

export class TableRequestMeter {
  private readonly current = new AsyncLocalStorage<TableRequest[]>();
  /** Every measured invocation, oldest first. */
  readonly invocations: RouteInvocation[] = [];

  /** Records the table requests of the DynamoDB client's sends made inside a measured invocation. */
  watch(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const requests = this.current.getStore();
        if (!requests) return next(args);
        const request: TableRequest = {
          command: context.commandName ?? '?',
          start: performance.now(),
          end: 0,
        };
        try {
          return await next(args);
        } finally {
          request.end = performance.now();
          requests.push(request);
        }
      },
      { step: 'initialize', name: 'tableRequestMeter' },
    );
  }

  async measure<T extends { statusCode?: number }>(routeKey: string, call: () => Promise<T>): Promise<T> {
    const requests: TableRequest[] = [];
    const result = await this.current.run(requests, call);
    this.invocations.push({
      routeKey,
      status: result.statusCode ?? 200,
      requests,
      roundTrips: sequentialRoundTrips(requests),
    });
    return result;
  }

  /** Runs `call` as work of its own, never counted against the invocation that happened to start it. */
  outside<T>(call: () => Promise<T>): Promise<T> {
    return this.current.exit(call);
  }
}
