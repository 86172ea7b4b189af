/**
 * The table operations the entity modules share: single-item reads and (conditional) writes, paged
 * Queries, batch reads (`batchGet`) and unconditional batch writes (`batchWrite`). dynalite has no
 * transactions, and none are needed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
// English for a malformed item's problems in the logs (zod/mini loads no locale of its own).
import '../domain/messages';
import { KEY_ATTRIBUTES, type TableKey } from './table';

/** The table the entity modules read and write. An interface, not a class: see test/infra/sdk-calls.ts. */
export interface Table {
  db: DynamoDBDocumentClient;
  tableName: string;
}

export type Item = Record<string, unknown>;

export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

/** A conditional write: true when it was made, false when its condition failed; any other error is thrown. */
export async function madeUnlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function putIfAbsent(t: Table, item: Item): Promise<boolean> {
  return madeUnlessConditionFails(
    t.db.send(
      new PutCommand({ TableName: t.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }),
    ),
  );
}

/** One item of a batch write: an unconditional Put or Delete. */
export type BatchWrite = { put: Item } | { delete: TableKey };

/** DynamoDB's limit of items per BatchWriteItem request. */
export const BATCH_WRITE_LIMIT = 25;
/** Retries of the items DynamoDB left unprocessed (throttling), with backoff, before the writer gives up. */
const UNPROCESSED_RETRIES = 8;

/**
 * Writes `writes` in requests of 25, in the order given: a write in an earlier request is done before a
 * later request is sent, so a caller can put the write that marks the whole as done in the last one. Items
 * DynamoDB leaves unprocessed are sent again, with exponential backoff, before the next request; still
 * unprocessed after the retries, it throws (nothing after them is sent). Not atomic, even within one
 * request: a caller must be able to run it again over what is left.
 */
export async function batchWrite(
  t: Table,
  writes: BatchWrite[],
  backoff: (attempt: number) => Promise<void> = (attempt) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2_000))),
): Promise<void> {
  for (let i = 0; i < writes.length; i += BATCH_WRITE_LIMIT) {
    let requests = writes
      .slice(i, i + BATCH_WRITE_LIMIT)
      .map((w) => ('put' in w ? { PutRequest: { Item: w.put } } : { DeleteRequest: { Key: w.delete } }));
    for (let attempt = 0; requests.length; attempt++) {
      if (attempt > UNPROCESSED_RETRIES)
        throw new Error(`BatchWriteItem left ${requests.length} items unprocessed after ${attempt} tries`);
      if (attempt) await backoff(attempt);
      const out = await t.db.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: requests } }));
      requests = (out.UnprocessedItems?.[t.tableName] ?? []) as typeof requests;
    }
  }
}

/** DynamoDB's limit of keys per BatchGetItem request. */
const BATCH_GET_LIMIT = 100;

/**
 * The items of `keys` (strongly consistent), in the order of `keys`, undefined where there is none: one
 * request per 100 keys, where a Get each was sent before; keys DynamoDB leaves unprocessed are asked
 * again with backoff. Duplicate keys are asked once.
 */
export async function batchGet(
  t: Table,
  keys: TableKey[],
  backoff: (attempt: number) => Promise<void> = (attempt) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2_000))),
): Promise<(Item | undefined)[]> {
  const id = (k: { PK?: unknown; SK?: unknown }) => `${String(k.PK)}\n${String(k.SK)}`;
  const unique = [...new Map(keys.map((k) => [id(k), { PK: k.PK, SK: k.SK }])).values()];
  const found = new Map<string, Item>();
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
    let asked: Item[] = unique.slice(i, i + BATCH_GET_LIMIT);
    for (let attempt = 0; asked.length; attempt++) {
      if (attempt > UNPROCESSED_RETRIES)
        throw new Error(`BatchGetItem left ${asked.length} keys unprocessed after ${attempt} tries`);
      if (attempt) await backoff(attempt);
      const out = await t.db.send(
        new BatchGetCommand({ RequestItems: { [t.tableName]: { Keys: asked, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[t.tableName] ?? []) found.set(id(item), item);
      asked = out.UnprocessedKeys?.[t.tableName]?.Keys ?? [];
    }
  }
  return keys.map((k) => found.get(id(k)));
}

/** Every item a Query returns, across pages (up to `limit` items when given). Never a Scan. */
export async function queryAll(
  t: Table,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  limit?: number,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out = await t.db.send(
      new QueryCommand({ ...input, TableName: t.tableName, Limit: limit, ExclusiveStartKey: startKey }),
    );
    items.push(...(out.Items ?? []));
    startKey = limit && items.length >= limit ? undefined : out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every item of one partition (optionally with a sort-key prefix). */
export function queryPartition(t: Table, pk: string, skPrefix?: string): Promise<Item[]> {
  return queryAll(t, {
    KeyConditionExpression: skPrefix ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk',
    ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
    ConsistentRead: true,
  });
}

export async function get(t: Table, k: TableKey): Promise<Item | undefined> {
  const out = await t.db.send(new GetCommand({ TableName: t.tableName, Key: k, ConsistentRead: true }));
  return out.Item;
}

/** Deletes the item while `holderAttribute` still names `holder`; nothing when another holds it. */
export async function deleteIf(
  t: Table,
  k: TableKey,
  holderAttribute: string,
  holder: string,
): Promise<void> {
  try {
    await t.db.send(
      new DeleteCommand({
        TableName: t.tableName,
        Key: k,
        ConditionExpression: '#h = :h',
        ExpressionAttributeNames: { '#h': holderAttribute },
        ExpressionAttributeValues: { ':h': holder },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** `SET #a0 = :v0, …` for the defined values of a patch. */
export function setExpression(entries: [string, unknown][]) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:v${i}`] = v;
      return `#a${i} = :v${i}`;
    });
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The item without the table's own attributes (keys, index keys, `entity`, TTL). */
export function strip(item: Item): Item {
  const copy: Item = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy;
}

/** An item read from the table that does not have its entity's shape. */
export class MalformedItemError extends Error {
  constructor(
    readonly entity: string,
    readonly key: TableKey,
    detail: string,
  ) {
    super(`Malformed ${entity} item in the table (PK ${key.PK}, SK ${key.SK}): ${detail}`);
    this.name = 'MalformedItemError';
  }
}

/**
 * An entity's schema, or what builds it. Given as a builder it is built on the entity's first read, not at
 * import: zod objects built at import add to every cold start (see bench/bundles.ts), and a function reads
 * only a few of the entities its store class bundles.
 */
export type EntitySchema = z.ZodMiniType | (() => z.ZodMiniType);

export { onFirstUse } from '../shared/on-first-use';

/**
 * One entity's reader: checks an item read from the table against the entity's schema and returns it
 * without the table's attributes. A malformed item is an error naming the entity and its key, never a cast.
 * Schemas are loose: fields they do not name are kept as stored.
 */
export function reader<T>(entity: string, schemaOrBuild: EntitySchema) {
  let schema = typeof schemaOrBuild === 'function' ? undefined : schemaOrBuild;
  return (item: Item): T => {
    const k = { PK: String(item.PK), SK: String(item.SK) };
    schema ??= (schemaOrBuild as () => z.ZodMiniType)();
    const result = schema.safeParse(strip(item));
    if (!result.success) throw new MalformedItemError(entity, k, z.prettifyError(result.error));
    return result.data as T;
  };
}
