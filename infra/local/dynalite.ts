/** dynalite (the DynamoDB API on LevelDB, on disk) and the table created from the synthesized definition. */
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { offerChannel } from './dynalite-channel';
import type { TableDefinition } from './template';

/** Index entries written and removed to match the items again, after an unclean stop (dynalite-repair.mjs). */
export interface IndexRepair {
  written: number;
  removed: number;
}

export interface LocalDynamo {
  endpoint: string;
  /** Set when the last process to open the data directory did not stop cleanly. */
  repaired?: IndexRepair;
  /**
   * DynamoDB API calls served so far, by operation (GetItem, Query, PutItem …): what an on-demand bill
   * counts. Neither the local TTL sweep nor the harness (HARNESS_USER_AGENT) is in it.
   */
  requests(): Promise<Map<string, number>>;
  /** The harness's own calls (the simulated people's /dev/clock.json), by operation: counted apart. */
  harnessRequests(): Promise<Map<string, number>>;
  /**
   * With `recordTo`: writes the rest of the recording out and closes it; resolves with the requests it
   * holds and how many of them dynalite answered with an error (a failed condition is one).
   */
  endRecording(): Promise<{ arrived: number; answeredWithError: number }>;
  stop(): Promise<void>;
}

/**
 * dynalite on its own thread (see dynalite-worker.mjs); `path` undefined keeps the data in memory.
 * `recordTo`: a file that receives every counted request (operation, concurrency, body) as a JSON line.
 */
export async function startDynalite(
  path: string | undefined,
  options: { recordTo?: string } = {},
): Promise<LocalDynamo> {
  if (path) mkdirSync(path, { recursive: true });
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { path, recordTo: options.recordTo },
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.error) return reject(new Error(String(m.error)));
        if (!(key in m)) return;
        worker.off('message', onMessage);
        resolve(m[key] as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const repairing = next<IndexRepair | null>('repaired');
  const port = await next<number>('port');
  const repaired = (await repairing) ?? undefined;
  const endpoint = `http://127.0.0.1:${port}`;
  // Clients in this process reach the worker over a MessagePort (dynalite-channel.ts); the socket stays
  // open for anything else (the AWS CLI, LOCAL_DYNAMO_TRANSPORT=tcp).
  const withdrawChannel = offerChannel(endpoint, (channel) =>
    worker.postMessage({ connect: channel }, [channel]),
  );
  return {
    endpoint,
    repaired,
    async requests() {
      const counted = next<[string, number][]>('requests');
      worker.postMessage('requests');
      return new Map(await counted);
    },
    async harnessRequests() {
      const counted = next<[string, number][]>('harnessRequests');
      worker.postMessage('harnessRequests');
      return new Map(await counted);
    },
    async endRecording() {
      const ended = next<{ arrived: number; answeredWithError: number }>('recordingEnded');
      worker.postMessage('endRecording');
      return ended;
    },
    async stop() {
      const stopped = next<boolean>('stopped');
      worker.postMessage('stop');
      await stopped;
      withdrawChannel();
      await worker.terminate();
    },
  };
}

/** The table's status and its indexes': ACTIVE once every one is; undefined while there is no table. */
async function tableActive(client: DynamoDBClient, tableName: string): Promise<boolean | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return (
      Table?.TableStatus === 'ACTIVE' &&
      (Table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE')
    );
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')
      return undefined;
    throw error;
  }
}

/**
 * Creates the table unless it exists, and returns once it is ACTIVE: dynalite answers CreateTable with a
 * CREATING table and serves it a moment later (even with createTableMs 0), and an item written in between
 * fails with ResourceNotFoundException.
 */
export async function ensureTable(endpoint: string, tableName: string, def: TableDefinition): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    if ((await tableActive(client, tableName)) === undefined)
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: def.KeySchema as never,
          AttributeDefinitions: def.AttributeDefinitions as never,
          GlobalSecondaryIndexes: def.GlobalSecondaryIndexes as never,
        }),
      );
    const deadline = Date.now() + 30_000;
    while (!(await tableActive(client, tableName))) {
      if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    client.destroy();
  }
}
