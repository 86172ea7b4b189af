/**
 * The lifecycle's second floor: the system's own DynamoDB request mix, replayed. dynalite records every
 * request the system makes during the run (operation, the requests in flight when it arrived, its body:
 * `recordDynamoRequestsTo` in infra/local/system.ts); here the same requests, in the same order, go through
 * the SDK document client (the system's own local client: localDocumentClient) to a fresh dynalite on its own thread, each sent
 * once fewer than its recorded in-flight count are outstanding: the run's concurrency shape without the
 * system's work between requests. The setup part (seeding, before the run) is replayed first, untimed, so
 * the timed part reads and writes the same items the system did.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ensureTable, startDynalite } from '../infra/local/dynalite';
import { localDocumentClient } from '../infra/local/dynamo-client';
import type { TableDefinition } from '../infra/local/template';

/** One line of the recording. */
export interface RecordedRequest {
  /** Its arrival number among the system's requests at dynalite (1, 2, …), setup requests included. */
  seq: number;
  op: string;
  /** Requests of the system in flight at dynalite when this one arrived, itself included. */
  inFlight: number;
  /** The request as the SDK sent it (DynamoDB JSON). */
  body: Record<string, unknown>;
}

/** Table setup the replay does itself (ensureTable), not part of any mix. */
export const SETUP = new Set(['CreateTable', 'DescribeTable']);

/** Fields that hold one item or key in DynamoDB JSON; `Keys` holds a list of them. */
const ATTRIBUTE_MAPS = new Set(['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues']);

/** The recorded body as the document client's input: every attribute-value map back to plain values. */
export function documentInput(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(documentInput);
  if (!body || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body).map(([field, value]) => {
      if (ATTRIBUTE_MAPS.has(field)) return [field, unmarshall(value as Record<string, AttributeValue>)];
      if (field === 'Keys')
        return [field, (value as Record<string, AttributeValue>[]).map((key) => unmarshall(key))];
      return [field, documentInput(value)];
    }),
  );
}

const COMMANDS: Record<string, new (input: never) => unknown> = {
  GetItem: GetCommand,
  PutItem: PutCommand,
  UpdateItem: UpdateCommand,
  DeleteItem: DeleteCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchGetItem: BatchGetCommand,
  BatchWriteItem: BatchWriteCommand,
  TransactGetItems: TransactGetCommand,
  TransactWriteItems: TransactWriteCommand,
};

/** The document client's command for a recorded request; an operation the replay does not know throws. */
export function documentCommand(request: RecordedRequest) {
  const Command = COMMANDS[request.op];
  if (!Command) throw new Error(`The replay has no document-client command for ${request.op}`);
  return new Command(documentInput(request.body) as never) as Parameters<DynamoDBDocumentClient['send']>[0];
}

export interface ReplayResult {
  /** Wall time of the timed part (the requests after `setupLines`). */
  ms: number;
  /** Requests the fresh dynalite served in the timed part, by operation. */
  served: Map<string, number>;
  /** Requests sent in the timed part, by operation (from the recording). */
  sent: Map<string, number>;
  /** Answers that were DynamoDB errors, by name, setup included (a failed condition is one, as in the run). */
  errors: Map<string, number>;
  /** Median of the recorded in-flight counts of the timed part. */
  medianInFlight: number;
}

/** The recording's requests in order of arrival. */
export async function* recordedRequests(file: string): AsyncGenerator<RecordedRequest> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  // Lines are written as each body ends; a few may be out of arrival order, so a small window re-sorts them.
  const window: RecordedRequest[] = [];
  const byArrival = (a: RecordedRequest, b: RecordedRequest) => a.seq - b.seq;
  for await (const line of lines) {
    if (!line) continue;
    window.push(JSON.parse(line) as RecordedRequest);
    if (window.length > 256) yield window.sort(byArrival).shift()!;
  }
  yield* window.sort(byArrival);
}

const add = (counts: Map<string, number>, key: string, n = 1) => counts.set(key, (counts.get(key) ?? 0) + n);

/**
 * Replays `file` against a fresh dynalite with `table` (named `tableName`): requests that arrived before
 * the run (`seq` ≤ `setupRequests`) one at a time and untimed, the rest timed, in order of arrival, each
 * sent once fewer than its recorded `inFlight` are outstanding.
 */
export async function replayRequests(options: {
  file: string;
  /** How many of the system's requests dynalite had counted when the run began (table setup, seeding). */
  setupRequests: number;
  tableName: string;
  table: TableDefinition;
}): Promise<ReplayResult> {
  const dynamo = await startDynalite(undefined);
  const db = localDocumentClient(dynamo.endpoint);
  try {
    await ensureTable(dynamo.endpoint, options.tableName, options.table);
    const errors = new Map<string, number>();
    const sent = new Map<string, number>();
    const inFlights: number[] = [];
    const send = (request: RecordedRequest) =>
      db.send(documentCommand(request)).then(
        () => undefined,
        (error: Error) => void add(errors, error.name),
      );
    let before = new Map<string, number>();
    let started = 0;
    const outstanding = new Set<Promise<void>>();
    for await (const request of recordedRequests(options.file)) {
      if (SETUP.has(request.op)) continue;
      if (request.seq <= options.setupRequests) {
        await send(request);
        continue;
      }
      if (!started) {
        before = await dynamo.requests();
        started = performance.now();
      }
      add(sent, request.op);
      inFlights.push(request.inFlight);
      while (outstanding.size >= Math.max(request.inFlight, 1)) await Promise.race(outstanding);
      const pending: Promise<void> = send(request).then(() => void outstanding.delete(pending));
      outstanding.add(pending);
    }
    await Promise.all(outstanding);
    const ms = started ? performance.now() - started : 0;
    const served = new Map<string, number>();
    for (const [op, count] of await dynamo.requests()) {
      const during = count - (before.get(op) ?? 0);
      if (!SETUP.has(op) && during) served.set(op, during);
    }
    inFlights.sort((a, b) => a - b);
    return { ms, served, sent, errors, medianInFlight: inFlights[Math.floor(inFlights.length / 2)] ?? 0 };
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}
