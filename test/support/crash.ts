/**
 * Crashes at a chosen write, for tests of what a process leaves when it dies half-way: a local system on
 * its own data directory that can be stopped and started again on the same data (and port), and a
 * switch that makes every DynamoDB call fail from a given call on, as if the process had died there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';

/** A DynamoDB command as the document client sends it. */
export type DbCommand = { constructor: { name: string }; input: Record<string, unknown> };

/** Every item a command puts: a PutItem's one, or each put of a BatchWriteItem. */
export function itemsPut<T = Record<string, unknown>>(c: DbCommand): T[] {
  // A BatchGetItem's RequestItems hold an object per table, a BatchWriteItem's an array: flat() takes both.
  const requests = Object.values((c.input.RequestItems ?? {}) as Record<string, unknown>).flat() as {
    PutRequest?: { Item: T };
  }[];
  return [
    ...(c.input.Item ? [c.input.Item as T] : []),
    ...requests.flatMap((r) => (r.PutRequest ? [r.PutRequest.Item] : [])),
  ];
}

/** A local system kept on disk: `start` again after `stop` continues on the same data and port. */
export function systemOnDisk(prefix: string): { start(): Promise<LocalSystem>; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  let port = 0;
  return {
    async start() {
      const system = await startLocalSystem({ port, dataDir, quiet: true, seed: port === 0 });
      port = Number(new URL(system.url).port);
      return system;
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** From the `nth` DynamoDB call that matches on, this process is dead: every call fails. */
export function dieAt(system: LocalSystem, matches: (c: DbCommand) => boolean, nth = 1): () => boolean {
  const db = (system.deps.store as unknown as { db: { send: (c: DbCommand) => Promise<ServiceOutputTypes> } })
    .db;
  const send = db.send.bind(db);
  let seen = 0;
  let dead = false;
  db.send = (c: DbCommand) => {
    if (!dead && matches(c) && ++seen === nth) dead = true;
    return dead ? Promise.reject(new Error('the process died here')) : send(c);
  };
  return () => dead;
}
