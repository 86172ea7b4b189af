/**
 * The ReferralStore contract (test/unit/store.contract.ts) on the DynamoDB store, against dynalite with the
 * table created as the local runtime creates it: from the synthesized template's table definition. Each
 * test gets a table of its own on one dynalite.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { createDocumentClient, DynamoDbReferralStore } from '../../functions/adapters/dynamodb-store';
import { ensureTable, startDynalite, type LocalDynamo } from '../../infra/local/dynalite';
import { synthesizedTemplates } from '../../infra/local/synth';
import { tableDefinition, type TableDefinition } from '../../infra/local/template';
import { storeContract } from '../unit/store.contract';

let dynamo: LocalDynamo;
let definition: TableDefinition;
let db: ReturnType<typeof createDocumentClient>;
let tables = 0;

beforeAll(async () => {
  const { templates } = await synthesizedTemplates();
  definition = tableDefinition(templates);
  dynamo = await startDynalite(undefined);
  db = createDocumentClient(dynamo.endpoint);
});
afterAll(async () => {
  db?.destroy();
  await dynamo?.stop();
});

storeContract('DynamoDbReferralStore on dynalite', async () => {
  const tableName = `Contract${++tables}`;
  await ensureTable(dynamo.endpoint, tableName, definition);
  return {
    store: new DynamoDbReferralStore(db, tableName),
    rawItem: async (key) =>
      (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item,
    putRawItem: async (item) => {
      await db.send(new PutCommand({ TableName: tableName, Item: item }));
    },
  };
});
