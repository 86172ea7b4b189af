/**
 * The local TTL sweep is a Scan of the whole table on dynalite's thread, so the periodic one rests after a
 * sweep in proportion to how long it took (issue 15: a sweep each second was a large share of dynalite's
 * work under the lifecycle bench). AWS promises no more: expired items may be read for up to two days.
 */
import { describe, expect, it } from 'vitest';
import { SWEEP_REST_FACTOR, SweepPace, TTL_SWEEP_EVERY_SIMULATED_MS } from '../../infra/local/ttl-sweeper';

const HOUR = TTL_SWEEP_EVERY_SIMULATED_MS;
const CLOCK_START = Date.parse('2031-03-01T09:00:00Z');

describe('the periodic TTL sweep', () => {
  it("waits for an hour of the programme's clock", () => {
    const pace = new SweepPace(CLOCK_START);
    expect(pace.due(CLOCK_START + HOUR - 1, 0)).toBe(false);
    expect(pace.due(CLOCK_START + HOUR, 0)).toBe(true);
  });

  it('never starts a second sweep while one runs', () => {
    const pace = new SweepPace(CLOCK_START);
    pace.started(CLOCK_START + HOUR);
    expect(pace.due(CLOCK_START + 10 * HOUR, 1e9)).toBe(false);
  });

  it(`rests ${SWEEP_REST_FACTOR}× as long as the last sweep took, however far the clock has jumped`, () => {
    const pace = new SweepPace(CLOCK_START);
    pace.started(CLOCK_START + HOUR);
    // A sweep of 200 ms real time, ending at real 10 200 ms.
    pace.ended(10_000, 10_200);
    const restEnds = 10_200 + SWEEP_REST_FACTOR * 200;
    expect(pace.due(CLOCK_START + 5 * HOUR, restEnds - 1)).toBe(false);
    expect(pace.due(CLOCK_START + 5 * HOUR, restEnds)).toBe(true);
  });

  it('after a quick sweep it is due again as soon as the next hour has passed', () => {
    const pace = new SweepPace(CLOCK_START);
    pace.started(CLOCK_START + HOUR);
    pace.ended(10_000, 10_002);
    expect(pace.due(CLOCK_START + 2 * HOUR - 1, 11_000)).toBe(false);
    expect(pace.due(CLOCK_START + 2 * HOUR, 11_000)).toBe(true);
  });
});
