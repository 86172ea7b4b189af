/**
 * The local engine holds executions to AWS's limits, on its fast-forward clock, so a lifecycle that would
 * overrun in AWS fails locally too: an execution ends TIMED_OUT at its TimeoutSeconds (a year without
 * one), and a definition with a TimeoutSeconds or a Wait over a year is refused, as AWS refuses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FastForwardClock } from '../../functions/adapters/clock';
import { LocalWorkflowEngine, ONE_YEAR_MS } from '../../infra/local/workflow-engine';

const DAY_MS = 24 * 3600 * 1000;
const engines: LocalWorkflowEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

function engineFor(asl: Record<string, unknown>, clock = new FastForwardClock(1)) {
  const engine = new LocalWorkflowEngine({
    definitions: { referral: { asl: asl as never } },
    handlers: new Map(),
    clock,
  });
  engines.push(engine);
  return { engine, clock };
}

const waitThenSucceed = (wait: Record<string, unknown>, timeoutSeconds?: number) => ({
  StartAt: 'Wait',
  ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
  States: { Wait: { Type: 'Wait', ...wait, Next: 'Done' }, Done: { Type: 'Succeed' } },
});

describe('the local engine keeps AWS execution limits', () => {
  it('stops an execution at its TimeoutSeconds on the simulated clock: TIMED_OUT', async () => {
    const { engine, clock } = engineFor(waitThenSucceed({ Seconds: 10 * 24 * 3600 }, 5 * 24 * 3600));
    await engine.startReferral('R-LIMI-TONE');
    clock.advance(5 * DAY_MS + 1000);
    const record = await engine.waitUntil('R-LIMI-TONE', (e) => e?.status !== 'RUNNING', 5_000);
    expect(record?.status).toBe('TIMED_OUT');
    expect(record?.error).toBe('States.Timeout');
  });

  it('lets an execution that ends in time succeed', async () => {
    const { engine, clock } = engineFor(waitThenSucceed({ Seconds: 4 * 24 * 3600 }, 5 * 24 * 3600));
    await engine.startReferral('R-LIMI-TTWO');
    clock.advance(4 * DAY_MS + 1000);
    const record = await engine.waitUntil('R-LIMI-TTWO', (e) => e?.status !== 'RUNNING', 5_000);
    expect(record?.status).toBe('SUCCEEDED');
  });

  it('ends an execution without TimeoutSeconds after a year, whatever it waits for', async () => {
    const clock = new FastForwardClock(1);
    const wakeAt = new Date(clock.now().getTime() + 400 * DAY_MS).toISOString();
    const { engine } = engineFor(waitThenSucceed({ TimestampPath: '$.wakeAt' }), clock);
    await (engine as unknown as { start: (r: string, id: string, i: object) => Promise<void> }).start(
      'referral',
      'R-LIMI-TTHR',
      { wakeAt },
    );
    clock.advance(ONE_YEAR_MS - DAY_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.execution('R-LIMI-TTHR')?.status).toBe('RUNNING');
    clock.advance(DAY_MS + 1000);
    const record = await engine.waitUntil('R-LIMI-TTHR', (e) => e?.status !== 'RUNNING', 5_000);
    expect(record?.status).toBe('TIMED_OUT');
  });

  it('refuses a TimeoutSeconds or a Wait longer than a year, as AWS does', () => {
    const overAYear = ONE_YEAR_MS / 1000 + 1;
    expect(() => engineFor(waitThenSucceed({ Seconds: 1 }, overAYear))).toThrow(/longer than AWS's one year/);
    expect(() => engineFor(waitThenSucceed({ Seconds: overAYear }))).toThrow(/longer than a year/);
  });
});
