/** dynalite (the DynamoDB API on LevelDB, on disk) and the table created from the synthesized definition. */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableDefinition } from './template';

export interface LocalDynamo {
  endpoint: string;
  /** DynamoDB API calls served so far, by operation (GetItem, Query, PutItem …): what an on-demand bill counts. */
  requests: Map<string, number>;
  stop(): Promise<void>;
}

export async function startDynalite(path: string | undefined): Promise<LocalDynamo> {
  if (path) mkdirSync(path, { recursive: true });
  const server = (dynalite as unknown as (o: object) => Server)({
    path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const requests = new Map<string, number>();
  server.on('request', (req: { headers: Record<string, string | undefined> }) => {
    const operation = req.headers['x-amz-target']?.split('.')[1] ?? 'unknown';
    requests.set(operation, (requests.get(operation) ?? 0) + 1);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function ensureTable(endpoint: string, tableName: string, def: TableDefinition): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (
      !(error instanceof ResourceNotFoundException) &&
      (error as Error).name !== 'ResourceNotFoundException'
    )
      throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: def.KeySchema as never,
      AttributeDefinitions: def.AttributeDefinitions as never,
      GlobalSecondaryIndexes: def.GlobalSecondaryIndexes as never,
    }),
  );
  client.destroy();
}
