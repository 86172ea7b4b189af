/**
 * The ReferralStore contract (test/unit/store.contract.ts) on the DynamoDB store, against dynalite with the
 * table created as the local runtime creates it: from the synthesized template's table definition. Each
 * test gets a table of its own on one dynalite.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('DynamoDbReferralStore on dynalite: what it reads is checked, not cast', () => {
  it('refuses a malformed item with an error naming the entity and its key', async () => {
    const tableName = `Contract${++tables}`;
    await ensureTable(dynamo.endpoint, tableName, definition);
    const store = new DynamoDbReferralStore(db, tableName);
    const put = (item: Record<string, unknown>) =>
      db.send(new PutCommand({ TableName: tableName, Item: item }));
    // A step whose custodian was written as a string, and a link without a known status.
    await put({
      PK: 'REFERRAL#R-0001',
      SK: 'STEP#consent#1',
      entity: 'step',
      referralId: 'R-0001',
      step: 'consent',
      custodian: '1',
      linkHash: 'h-1',
      enteredAt: '2026-11-23T09:00:00.000Z',
    });
    await put({ PK: 'LINK#h-2', SK: 'LINK', entity: 'link', linkHash: 'h-2', status: 'half-open' });
    await expect(store.getStep('R-0001', 'consent', 1)).rejects.toThrow(
      /Malformed step item in the table \(PK REFERRAL#R-0001, SK STEP#consent#1\)[\s\S]*custodian/,
    );
    await expect(store.listSteps('R-0001')).rejects.toThrow(/Malformed step item/);
    await expect(store.getLink('h-2')).rejects.toThrow(
      /Malformed link item in the table \(PK LINK#h-2, SK LINK\)/,
    );
  });
});
