/**
 * Where the request floor's time goes: the lifecycle's recorded DynamoDB requests (bench/lifecycle.ts,
 * kept with `BENCH_KEEP_REQUESTS=<file>`) replayed one at a time to a fresh dynalite, each timed and
 * grouped by its shape (operation, index, partition and sort-key kinds, never an id), per quarter of the
 * run. A request whose cost grows with the run (a partition that fills up, a read of every waiting child)
 * shows as a mean that climbs from one quarter to the next; that is what a count of requests cannot show.
 *
 *   BENCH_ONLY=lifecycle BENCH_KEEP_REQUESTS=/tmp/requests.jsonl npm run bench
 *   npx tsx bench/request-shapes.ts /tmp/requests.jsonl
 *
 * A diagnostic, not a benchmark row: sequential, so its times are each request's own cost, not the floor.
 */
import { pathToFileURL } from 'node:url';
import { ensureTable, startDynalite } from '../infra/local/dynalite';
import { localDocumentClient } from '../infra/local/dynamo-client';
import { synthesizedTemplates } from '../infra/local/synth';
import { tableDefinition } from '../infra/local/template';
import { documentCommand, recordedRequests, SETUP, type RecordedRequest } from './request-replay';

type AttributeValue = { S?: string };
type KeyJson = { PK?: AttributeValue; SK?: AttributeValue };

/** The kind in a key value: the text before its first `#` (`REFERRAL#R-…` → `REFERRAL`). */
const kind = (value: AttributeValue | undefined) => (value?.S ?? '').split('#')[0] ?? '';
const keyKind = (k: KeyJson | undefined) => `${kind(k?.PK)}/${kind(k?.SK)}`;

/**
 * A request's shape: what it reads or writes without any id, so that requests of the same code path
 * group together (`GetItem REFERRAL/REFERRAL`, `Query table [POOL]`, `BatchGetItem ×100 REFERRAL/REFERRAL`).
 * A batch's shape says how many keys it held, rounded to 1, 2–9, 10–99 or 100.
 */
export function requestShape(request: RecordedRequest): string {
  const body = request.body as {
    Key?: KeyJson;
    Item?: KeyJson;
    IndexName?: string;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
    RequestItems?: Record<
      string,
      { Keys?: KeyJson[] } | { PutRequest?: { Item: KeyJson }; DeleteRequest?: { Key: KeyJson } }[]
    >;
    TransactItems?: unknown[];
  };
  if (request.op === 'Query') {
    const values = Object.values(body.ExpressionAttributeValues ?? {}).map(kind);
    return `Query ${body.IndexName ?? 'table'} [${values.join(',')}]`;
  }
  if (body.Key || body.Item) return `${request.op} ${keyKind(body.Key ?? body.Item)}`;
  if (body.RequestItems) {
    const keys = Object.values(body.RequestItems).flatMap((v) =>
      Array.isArray(v) ? v.map((w) => w.PutRequest?.Item ?? w.DeleteRequest?.Key) : (v.Keys ?? []),
    );
    const n = keys.length;
    const size = n <= 1 ? '×1' : n < 10 ? '×2–9' : n < 100 ? '×10–99' : '×100';
    const kinds = [...new Set(keys.map((k) => keyKind(k)))].sort().join(',');
    return `${request.op} ${size} ${kinds}`;
  }
  return request.op;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface ShapeTimes {
  shape: string;
  /** Requests of this shape in each quarter of the run. */
  requests: number[];
  /** Their summed time in ms, per quarter. */
  ms: number[];
  /** Items a Query returned, per quarter (summed). */
  items: number[];
}

/** Replays `file` one request at a time to a fresh dynalite, timing each; shapes by total time. */
export async function timeByShape(file: string, quarters = 4): Promise<ShapeTimes[]> {
  const requests: RecordedRequest[] = [];
  for await (const request of recordedRequests(file)) if (!SETUP.has(request.op)) requests.push(request);
  const tableName = (requests.find((r) => typeof r.body.TableName === 'string')?.body.TableName ??
    'BrisReferrals') as string;
  const dynamo = await startDynalite(undefined);
  const db = localDocumentClient(dynamo.endpoint);
  const byShape = new Map<string, ShapeTimes>();
  try {
    await ensureTable(dynamo.endpoint, tableName, tableDefinition((await synthesizedTemplates()).templates));
    for (const [i, request] of requests.entries()) {
      const started = performance.now();
      const out = (await db.send(documentCommand(request)).catch(() => ({}))) as { Count?: number };
      const ms = performance.now() - started;
      const quarter = Math.min(quarters - 1, Math.floor((i / requests.length) * quarters));
      const shape = requestShape(request);
      let times = byShape.get(shape);
      if (!times) {
        const zeros = () => Array<number>(quarters).fill(0);
        byShape.set(shape, (times = { shape, requests: zeros(), ms: zeros(), items: zeros() }));
      }
      times.requests[quarter]! += 1;
      times.ms[quarter]! += ms;
      times.items[quarter]! += out.Count ?? 0;
    }
  } finally {
    db.destroy();
    await dynamo.stop();
  }
  return [...byShape.values()].sort((a, b) => sum(b.ms) - sum(a.ms));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npx tsx bench/request-shapes.ts <requests.jsonl> (from BENCH_KEEP_REQUESTS)');
    process.exit(2);
  }
  const rows = await timeByShape(file);
  console.log(
    `${Math.round(sum(rows.map((r) => sum(r.ms))))} ms for ${sum(rows.map((r) => sum(r.requests)))} requests`,
  );
  console.log('total ms | requests | mean ms per quarter | query items per quarter | shape');
  for (const r of rows.slice(0, 30)) {
    const mean = r.ms.map((ms, q) => (r.requests[q] ? (ms / r.requests[q]!).toFixed(2) : '-')).join(' ');
    const items = r.items.map((n, q) => (r.requests[q] ? Math.round(n / r.requests[q]!) : '-')).join(' ');
    console.log(`${Math.round(sum(r.ms))} | ${sum(r.requests)} | ${mean} | ${items} | ${r.shape}`);
  }
}
