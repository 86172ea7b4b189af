/**
 * The lifecycle's request floor replays what the system sent: the same number of requests of each
 * operation reach a fresh dynalite, failing where they failed in the run; the harness's own table reads
 * are counted apart and never in the system's count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { replayRequests } from '../../bench/request-replay';
import { synthesizedTemplates } from '../../infra/local/synth';
import { startLocalSystem } from '../../infra/local/system';
import { tableDefinition } from '../../infra/local/template';
import { childId, consentedChild, get, poolEmail } from '../support/local';

const SETUP = new Set(['CreateTable', 'DescribeTable']);
const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const minus = (after: Map<string, number>, before: Map<string, number>) =>
  new Map(
    [...after]
      .filter(([op]) => !SETUP.has(op))
      .map(([op, n]) => [op, n - (before.get(op) ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

describe('bench: the request floor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('replays the recorded mix: the same requests of each operation, the same failures; the harness apart', async () => {
    const file = join(dir, 'requests.jsonl');
    const system = await startLocalSystem({ port: 0, quiet: true, recordDynamoRequestsTo: file });
    let during: Map<string, number>;
    let setupRequests: number;
    let answeredWithError: number;
    try {
      const setup = await system.dynamoRequests();
      setupRequests = total(setup);
      const child = (n: number) =>
        consentedChild(system, n, {
          identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60, serial: 800 + n }),
        });
      const ids = [await child(1), await child(2)];
      for (const id of ids) await poolEmail(system, id);
      await vi.waitFor(() => expect(system.engine.busy).toBe(0), { timeout: 60_000, interval: 50 });

      // The simulated people's question is the harness's, not the system's.
      const systemBefore = await system.dynamoRequests();
      const harnessBefore = total(await system.harnessDynamoRequests());
      const clock = (await get(`${system.url}/dev/clock.json`)).text;
      expect(JSON.parse(clock)).toHaveProperty('pendingErasures', 0);
      expect(await system.dynamoRequests()).toEqual(systemBefore);
      expect(total(await system.harnessDynamoRequests())).toBeGreaterThan(harnessBefore);
      // Asked `when-idle` while executions run (the children wait in the pool), nothing reads the table.
      const harnessAfter = total(await system.harnessDynamoRequests());
      const whenIdle = JSON.parse((await get(`${system.url}/dev/clock.json?pendingErasures=when-idle`)).text);
      expect(whenIdle).toMatchObject({ pendingErasures: null, runningExecutions: 2 });
      expect(total(await system.harnessDynamoRequests())).toBe(harnessAfter);
      expect(await system.dynamoRequests()).toEqual(systemBefore);

      during = minus(await system.dynamoRequests(), setup);
      ({ answeredWithError } = await system.dynamo.endRecording());
    } finally {
      await system.stop();
    }
    expect(total(during)).toBeGreaterThan(20);

    const replay = await replayRequests({
      file,
      setupRequests,
      tableName: system.deps.config.tableName,
      table: tableDefinition((await synthesizedTemplates()).templates),
    });
    expect(replay.sent).toEqual(during);
    expect(replay.served).toEqual(during);
    expect(total(replay.errors)).toBe(answeredWithError);
    expect(replay.ms).toBeGreaterThan(0);
    expect(replay.medianInFlight).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
