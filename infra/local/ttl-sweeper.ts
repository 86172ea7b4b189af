/**
 * DynamoDB TTL for the local runtime. dynalite has no TTL, so this deletes, on the local clock, the items
 * whose TTL attribute (the one the synthesized table enables) has passed, as DynamoDB does in AWS.
 *
 * How: at most once per simulated hour (checked every real second, so a clock jump is swept within a
 * second, and resting after a long sweep: SWEEP_REST_FACTOR), one paginated Scan that returns only the keys of expired items (filter on the TTL attribute,
 * keys projected), then a conditional DeleteItem per key (`expireAfter <= now`, so an item written again
 * since with a later expiry stays). A Scan, because items with a TTL live under random partition keys
 * (SESSION#<hash>, SUBMISSION#<key>, LINK#<hash>) that no Query reaches; it runs in the local runtime only
 * (AWS deletes by itself, and the functions' roles cannot Scan), on dynalite's own thread, and is left
 * out of the request counts (its user agent) so benchmarks count the application's requests only.
 * The sweeper never sleeps on the clock: a simulation that jumps to the next wake-up is not held up by it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../functions/ports';
import { partition, partitionPrefix } from '../../functions/store/table';

/** dynalite-worker.mjs does not count requests whose user agent contains this. */
export const TTL_SWEEP_USER_AGENT = 'bris-local-ttl-sweep';

export const TTL_SWEEP_EVERY_SIMULATED_MS = 3_600_000;

/**
 * How long the periodic sweep rests after one, as a multiple of how long that one took. AWS promises no
 * more: "DynamoDB typically deletes expired items within two days of expiration ... Items that have
 * expired and not been deleted will still show up in reads, queries, and scans" (UpdateTimeToLive, API
 * reference), so nothing may depend on an expired item being gone.
 */
export const SWEEP_REST_FACTOR = 9;

/**
 * When the periodic sweep runs: an hour of the programme's clock after the last one began, and not before
 * it has rested SWEEP_REST_FACTOR times as long as the last one took (real time). None while one runs.
 */
export class SweepPace {
  private lastSweptAt: number;
  private restUntil = 0;

  constructor(clockStart: number) {
    this.lastSweptAt = clockStart;
  }

  /** `clockNow`: the programme's clock; `realNow`: a monotonic real clock (ms). */
  due(clockNow: number, realNow: number): boolean {
    return clockNow - this.lastSweptAt >= TTL_SWEEP_EVERY_SIMULATED_MS && realNow >= this.restUntil;
  }

  started(clockNow: number): void {
    this.lastSweptAt = clockNow;
    this.restUntil = Number.POSITIVE_INFINITY;
  }

  ended(startedReal: number, endedReal: number): void {
    this.restUntil = endedReal + SWEEP_REST_FACTOR * (endedReal - startedReal);
  }
}

export interface TtlSweeper {
  /** Deletes every item expired at the clock's now; resolves with how many. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startTtlSweeper(options: {
  endpoint: string;
  tableName: string;
  attribute: string;
  clock: Clock;
  /** Sessions and sign-in links expire in a person's time (deps.wallClock), not the programme's. */
  personClock: Clock;
  checkEveryRealMs?: number;
  log?: (m: string) => void;
}): TtlSweeper {
  const { tableName, attribute, clock } = options;
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: options.endpoint,
      region: 'eu-north-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      customUserAgent: TTL_SWEEP_USER_AGENT,
    }),
  );

  // In AWS there is one clock; locally the programme's runs fast, so each item is swept on the clock its
  // expiry was set from: staff sessions and sign-in links (and their references) on the person's.
  const expired = {
    ConditionExpression:
      '#ttl <= :person OR (#ttl <= :now AND NOT (begins_with(PK, :session) OR PK = :staff OR (begins_with(PK, :link) AND #step = :signIn)))',
    names: { '#ttl': attribute, '#step': 'step' },
    values: (now: number, person: number) => ({
      ':now': now,
      ':person': person,
      ':session': partitionPrefix.session,
      ':staff': partition.referral('staff'),
      ':link': partitionPrefix.link,
      ':signIn': 'sign-in',
    }),
  };
  const sweepOnce = async (): Promise<number> => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const person = Math.floor(options.personClock.now().getTime() / 1000);
    let deleted = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: expired.ConditionExpression,
          ProjectionExpression: 'PK, SK',
          ExpressionAttributeNames: expired.names,
          ExpressionAttributeValues: expired.values(now, person),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        try {
          await db.send(
            new DeleteCommand({
              TableName: tableName,
              Key: { PK: item.PK, SK: item.SK },
              ConditionExpression: expired.ConditionExpression,
              ExpressionAttributeNames: expired.names,
              ExpressionAttributeValues: expired.values(now, person),
            }),
          );
          deleted++;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return deleted;
  };

  // One sweep at a time; a sweep asked for while one runs waits for it and runs after.
  let running: Promise<number> = Promise.resolve(0);
  const sweep = () => (running = running.catch(() => 0).then(sweepOnce));

  const pace = new SweepPace(clock.now().getTime());
  let stopped = false;
  // A background process, as in AWS: a Scan reads the whole table, so after a sweep that took d ms the
  // next waits at least SWEEP_REST_FACTOR × d (real time), keeping the sweeps to about a tenth of dynalite's
  // thread. Small tables (the demo, the tests) are still swept every second; under the lifecycle bench's
  // thousand referrals a sweep once a second was a large share of dynalite's work, charged to the system.
  const timer = setInterval(() => {
    if (stopped || !pace.due(clock.now().getTime(), performance.now())) return;
    pace.started(clock.now().getTime());
    const started = performance.now();
    sweep()
      .then(
        (n) => n > 0 && options.log?.(`TTL: deleted ${n} expired item${n === 1 ? '' : 's'}`),
        (error: unknown) => options.log?.(`TTL sweep failed: ${(error as Error).message}`),
      )
      .finally(() => pace.ended(started, performance.now()));
  }, options.checkEveryRealMs ?? 1000);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => 0);
      db.destroy();
    },
  };
}
