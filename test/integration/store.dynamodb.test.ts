/**
 * The ReferralStore contract (test/unit/store.contract.ts) on the DynamoDB store, against dynalite with the
 * table created as the local runtime creates it: from the synthesized template's table definition. Each
 * test gets a table of its own on one dynalite.
 */
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoDbReferralStore } from '../../functions/adapters/dynamodb-store';
import { ensureTable, startDynalite, type LocalDynamo } from '../../infra/local/dynalite';
import { localDocumentClient } from '../../infra/local/dynamo-client';
import { DynaliteChannelHandler } from '../../infra/local/dynalite-channel';
import { synthesizedTemplates } from '../../infra/local/synth';
import { tableDefinition, type TableDefinition } from '../../infra/local/template';
import { eraseDueReferrals } from '../../functions/phases/closure/erasure-sweep';
import type { Item } from '../../functions/store/io';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';
import { link, referral, storeContract } from '../unit/store.contract';

let dynamo: LocalDynamo;
let definition: TableDefinition;
let db: ReturnType<typeof createDocumentClient>;
/** The local runtime's own client: no signing, and dynalite's worker reached over a MessagePort. */
let local: ReturnType<typeof localDocumentClient>;
let tables = 0;

beforeAll(async () => {
  const { templates } = await synthesizedTemplates();
  definition = tableDefinition(templates);
  dynamo = await startDynalite(undefined);
  db = createDocumentClient(dynamo.endpoint);
  local = localDocumentClient(dynamo.endpoint);
});
afterAll(async () => {
  db?.destroy();
  local?.destroy();
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

// The same contract through the local runtime's transport: what the system and the bench run on.
storeContract("DynamoDbReferralStore on dynalite over the local runtime's channel", async () => {
  expect(local.config.requestHandler).toBeInstanceOf(DynaliteChannelHandler);
  const tableName = `Contract${++tables}`;
  await ensureTable(dynamo.endpoint, tableName, definition);
  return {
    store: new DynamoDbReferralStore(local, tableName),
    rawItem: async (key) =>
      (await local.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item,
    putRawItem: async (item) => {
      await local.send(new PutCommand({ TableName: tableName, Item: item }));
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

describe('DynamoDbReferralStore on dynalite: erasure in batch writes', () => {
  it('a sweep cut off while the last batch was half done, then a second sweep, leave the anonymised record once and nothing personal', async () => {
    const tableName = `Contract${++tables}`;
    await ensureTable(dynamo.endpoint, tableName, definition);
    const id = 'R-0001';
    const healthy = new DynamoDbReferralStore(db, tableName);
    await healthy.putPartnership(STOCKHOLM_PARTNERSHIP);
    await healthy.createReferral(referral(id, { status: 'closed', phase: 'closed', outcome: 'declined' }));
    // More than one request's worth: 20 links as they were written before the links index (a link and its
    // reference under the referral: the reference is erasure's only way to the link), 5 links in the
    // index, and 20 audit events.
    for (let i = 0; i < 25; i++) {
      if (i >= 20) await healthy.putLink(link(`h-${i}`, { referralId: id }));
      else {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { PK: `LINK#h-${i}`, SK: 'LINK', entity: 'link', ...link(`h-${i}`, { referralId: id }) },
          }),
        );
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { PK: `REFERRAL#${id}`, SK: `LINKREF#h-${i}`, entity: 'link-ref', linkHash: `h-${i}` },
          }),
        );
      }
      if (i >= 20) continue;
      await healthy.appendAudit({
        referralId: id,
        at: `2026-11-23T09:${String(i).padStart(2, '0')}:00.000Z`,
        actor: { role: 'custodian', name: 'Anna Andersson' },
        action: 'consent-given',
        detail: { custodian: '1', comment: 'Anna skrev något' },
      });
    }
    await healthy.putDueErasure({ referralId: id, eraseAt: '2026-11-24T00:00:00.000Z' });

    // The request that carries the anonymised record is processed only in part, record included; the
    // process dies before it sends the rest again.
    let dead = false;
    let requests = 0;
    const crashing = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        if (dead) throw new Error('the process died here');
        if (command.constructor.name === 'BatchWriteCommand') {
          requests++;
          const all = (command.input.RequestItems as Record<string, { PutRequest?: { Item: Item } }[]>)[
            tableName
          ]!;
          if (all.some((w) => w.PutRequest?.Item.entity === 'referral-anonymised')) {
            const half = Math.floor(all.length / 2);
            await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: all.slice(half) } }));
            dead = true;
            return { UnprocessedItems: { [tableName]: all.slice(0, half) } };
          }
        }
        return db.send(command as never);
      },
    } as unknown as typeof db;
    const { deps } = await memoryDependencies({ start: Date.parse('2026-12-01T02:00:00.000Z') });
    const first = await eraseDueReferrals({ ...deps, store: new DynamoDbReferralStore(crashing, tableName) });
    expect(first).toMatchObject({ erased: 0, failed: 1 });
    expect(requests).toBeGreaterThan(1);
    expect((await healthy.getReferral(id))?.status as string).toBe('erased');
    expect((await healthy.rawReferralItems(id)).some((i) => String(i.SK).startsWith('LINKREF#'))).toBe(true);

    const second = await eraseDueReferrals({ ...deps, store: healthy });
    expect(second).toMatchObject({ erased: 1, failed: 0 });
    const left = await healthy.rawReferralItems(id);
    expect(left.map((i) => String(i.SK).split('#')[0])).toEqual([...Array(21).fill('AUDIT'), 'REFERRAL']);
    expect(await healthy.listReferralsByStatus('erased')).toHaveLength(1);
    for (let i = 0; i < 25; i++) expect(await healthy.getLink(`h-${i}`)).toBeUndefined();
    expect(JSON.stringify(left)).not.toContain('Anna');
    expect((await healthy.listAudit(id)).filter((e) => e.action === 'personal-data-erased')).toHaveLength(1);
    expect(await healthy.listDueErasures('2026-12-02T00:00:00.000Z', { limit: 10 })).toEqual([]);
  });
});

describe('DynamoDbReferralStore on dynalite: the consent history', () => {
  it('writes when the history began once per container, not a failing conditional put per child', async () => {
    const tableName = `Contract${++tables}`;
    await ensureTable(dynamo.endpoint, tableName, definition);
    const sent: string[] = [];
    const counting = {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const item = (command.input.Item ?? command.input.Key) as Item | undefined;
        sent.push(`${command.constructor.name} ${String(item?.SK ?? '').split('#')[0]}`);
        return db.send(command as never);
      },
    } as unknown as typeof db;
    const store = new DynamoDbReferralStore(counting, tableName);
    for (const minute of [1, 2, 3]) {
      await store.recordConsent('stockholm-bris', {
        ageBand: '10-12',
        at: `2026-11-23T09:0${minute}:00.000Z`,
      });
    }
    expect(sent).toEqual([
      'PutCommand SINCE',
      'UpdateCommand CONSENTDAY',
      'UpdateCommand CONSENTDAY',
      'UpdateCommand CONSENTDAY',
    ]);
    expect(await store.consentHistory('stockholm-bris')).toMatchObject({
      since: '2026-11-23T09:01:00.000Z',
      consents: [
        { at: '2026-11-23T09:01:00.000Z' },
        { at: '2026-11-23T09:02:00.000Z' },
        { at: '2026-11-23T09:03:00.000Z' },
      ],
    });
  });

  it("keeps a band's day in one item: a burst of concurrent consents, every instant kept, in order", async () => {
    const tableName = `Contract${++tables}`;
    await ensureTable(dynamo.endpoint, tableName, definition);
    const store = new DynamoDbReferralStore(db, tableName);
    const day = (band: string, d: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ageBand: band,
        at: `2026-11-${d}T${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`,
      }));
    const consents = [...day('10-12', '23', 40), ...day('13-15', '23', 25), ...day('10-12', '24', 5)];
    // All at once, as a burst of children entering the pool: appends to one item must not lose any.
    await store.recordConsent('stockholm-bris', consents[0]!);
    await Promise.all(consents.slice(1).map((c) => store.recordConsent('stockholm-bris', c)));
    const history = (await store.consentHistory('stockholm-bris'))!;
    const byInstant = (a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at);
    expect(history.consents).toHaveLength(70);
    expect(history.consents).toEqual([...consents].sort(byInstant));
    // Three items for 70 consents: one per band and day, each kept a year after its day by TTL.
    const raw = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: 'CONSENTS#stockholm-bris', SK: 'CONSENTDAY#2026-11-23#10-12' },
        ConsistentRead: true,
      }),
    );
    expect(raw.Item).toMatchObject({ entity: 'consent-day', ageBand: '10-12' });
    expect((raw.Item!.ats as string[]).length).toBe(40);
    expect(raw.Item!.expireAfter).toBe(Date.parse('2026-11-24T00:00:00Z') / 1000 + 366 * 24 * 3600);
  });

  it('still reads the one-item-per-child history written before the day items', async () => {
    const tableName = `Contract${++tables}`;
    await ensureTable(dynamo.endpoint, tableName, definition);
    const store = new DynamoDbReferralStore(db, tableName);
    await store.recordConsent('stockholm-bris', { ageBand: '10-12', at: '2026-11-20T09:00:00.000Z' });
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          PK: 'CONSENTS#stockholm-bris',
          SK: 'CONSENT#2026-11-21T09:00:00.000Z#0a1b2c3d',
          entity: 'consent',
          ageBand: '7-9',
          at: '2026-11-21T09:00:00.000Z',
        },
      }),
    );
    await store.recordConsent('stockholm-bris', { ageBand: '10-12', at: '2026-11-22T09:00:00.000Z' });
    expect((await store.consentHistory('stockholm-bris'))!.consents).toEqual([
      { ageBand: '10-12', at: '2026-11-20T09:00:00.000Z' },
      { ageBand: '7-9', at: '2026-11-21T09:00:00.000Z' },
      { ageBand: '10-12', at: '2026-11-22T09:00:00.000Z' },
    ]);
  });
});
