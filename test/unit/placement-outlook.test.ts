/**
 * The placement outlook: per age band, who waits and how long, the groups proposed now, and what one more
 * week would change, for any planner and forecast; and the coordinator's answer told against it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GROUPING_SETTINGS as S,
  proposeGroups,
  type PoolEntry,
  type PoolProposal,
} from '../../functions/domain/grouping';
import { coordinatorChoice, placementOutlook, type Planner } from '../../functions/domain/placement-outlook';

const NOW = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const BANDS = S.ageBands.map((b) => b.label);
const today: Planner = (pool, now) => proposeGroups(pool, S, now);

const child = (id: string, waitedDays: number, over: Partial<PoolEntry> = {}): PoolEntry => ({
  referralId: id,
  ageBand: '10-12',
  district: 'Farsta',
  waitingSince: new Date(NOW.getTime() - waitedDays * DAY).toISOString(),
  ...over,
});

/** Four children in Farsta, two short of a group of six, none near the longest wait (120 days). */
const FOUR_IN_FARSTA = [child('R-1', 40), child('R-2', 38), child('R-3', 20), child('R-4', 5)];
const FIVE_IN_FARSTA = [...FOUR_IN_FARSTA, child('R-5', 3)];

describe('placementOutlook', () => {
  it('shows who waits and how long, nothing proposed now, and a weekly group of six after one expected arrival', () => {
    const [band, ...others] = placementOutlook({
      pool: FIVE_IN_FARSTA,
      now: NOW,
      ageBands: BANDS,
      plan: today,
      expectedArrivalsPerWeek: (b) => (b === '10-12' ? 1 : 0),
    });
    expect(others).toEqual([]); // bands where nobody waits are left out
    expect(band!.ageBand).toBe('10-12');
    expect(band!.waiting.map((w) => [w.referralId, w.daysWaited, w.noWeekdays])).toEqual([
      ['R-1', 40, false],
      ['R-2', 38, false],
      ['R-3', 20, false],
      ['R-4', 5, false],
      ['R-5', 3, false],
    ]);
    expect(band!.proposed).toEqual([]);
    expect(band!.oldestWaitDays).toBe(40);
    expect(band!.oneMoreWeek).toEqual({
      expectedArrivals: 1,
      arrivalsAssumed: 1,
      proposed: [{ format: 'weekly', size: 6 }],
      expectedGroupSize: 6,
      oldestWaitDays: 47,
    });
  });

  it('with no arrivals expected, one more week leaves the oldest without a group (four are too few and none is near the longest wait)', () => {
    const [band] = placementOutlook({
      pool: FOUR_IN_FARSTA,
      now: NOW,
      ageBands: BANDS,
      plan: today,
      expectedArrivalsPerWeek: () => 0,
    });
    expect(band!.oneMoreWeek).toMatchObject({ arrivalsAssumed: 0, proposed: [], expectedGroupSize: 0 });
    expect(band!.oneMoreWeek.oldestWaitDays).toBe(47);
  });

  it('shows the proposed groups with their format, size and where the children live', () => {
    const pool = [
      ...FOUR_IN_FARSTA,
      child('R-5', 3),
      child('R-6', 50, { district: 'Bromma', needs: { noWeekdays: true } }),
      child('R-7', 44, { district: 'Bromma' }),
      child('R-8', 43, { district: 'Kista' }),
    ];
    const [band] = placementOutlook({
      pool,
      now: NOW,
      ageBands: BANDS,
      plan: today,
      expectedArrivalsPerWeek: () => 0,
    });
    expect(band!.waiting[0]).toMatchObject({ referralId: 'R-6', daysWaited: 50, noWeekdays: true });
    // The seven who can come on weekdays fill a weekly group from the whole city; the one who cannot waits
    // for a weekend, far from the longest wait.
    expect(band!.proposed).toEqual([
      {
        format: 'weekly',
        size: 7,
        districts: ['Bromma', 'Farsta', 'Kista'],
        members: ['R-7', 'R-8', 'R-1', 'R-2', 'R-3', 'R-4', 'R-5'],
      },
    ]);
  });

  it('runs the planner it is given, at now and a week later, with the expected arrivals in the pool', () => {
    const calls: { size: number; at: string }[] = [];
    const oneWeekend: Planner = (pool, now): PoolProposal => {
      calls.push({ size: pool.length, at: now.toISOString() });
      return {
        proposals: [{ format: 'weekend', ageBand: '10-12', members: pool.map((e) => e.referralId) }],
        waiting: [],
      };
    };
    const [band] = placementOutlook({
      pool: FOUR_IN_FARSTA,
      now: NOW,
      ageBands: ['10-12'],
      plan: oneWeekend,
      expectedArrivalsPerWeek: () => 2.4,
    });
    expect(calls).toEqual([
      { size: 4, at: NOW.toISOString() },
      { size: 6, at: new Date(NOW.getTime() + 7 * DAY).toISOString() },
    ]);
    expect(band!.oneMoreWeek).toMatchObject({
      expectedArrivals: 2.4,
      arrivalsAssumed: 2,
      expectedGroupSize: 6,
    });
  });

  it('never reports a group over eight, whatever the pool and the forecast', () => {
    const entry = fc.record({
      ageBand: fc.constantFrom(...BANDS),
      district: fc.constantFrom('Farsta', 'Bromma', 'Kista'),
      waitedDays: fc.integer({ min: 0, max: 120 }),
      noWeekdays: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (xs, rates) => {
          const pool = xs.map((x, i) =>
            child(`R-${i}`, x.waitedDays, {
              ageBand: x.ageBand,
              district: x.district,
              needs: x.noWeekdays ? { noWeekdays: true } : undefined,
            }),
          );
          const outlook = placementOutlook({
            pool,
            now: NOW,
            ageBands: BANDS,
            plan: today,
            expectedArrivalsPerWeek: (b) => rates[BANDS.indexOf(b)]!,
          });
          expect(outlook.reduce((n, b) => n + b.waiting.length, 0)).toBe(pool.length);
          for (const b of outlook) {
            for (const g of [...b.proposed, ...b.oneMoreWeek.proposed])
              expect(g.size).toBeLessThanOrEqual(S.maxGroupSize);
            expect(b.oneMoreWeek.expectedGroupSize).toBeLessThanOrEqual(S.maxGroupSize);
            expect(b.oneMoreWeek.oldestWaitDays).toBe(b.oldestWaitDays + 7);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('coordinatorChoice', () => {
  const [outlook] = placementOutlook({
    pool: [...FIVE_IN_FARSTA, child('R-6', 1)],
    now: NOW,
    ageBands: ['10-12'],
    plan: today,
    expectedArrivalsPerWeek: () => 1,
  });
  const suggestion = { format: 'weekly' as const, members: ['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6'] };

  it('the proposal confirmed as it is: accepted, with the figures she saw', () => {
    const c = coordinatorChoice(suggestion, outlook, { action: 'confirm', ...suggestion });
    expect(c.choice).toBe('accepted');
    expect(c.changes).toEqual([]);
    expect(c.affected).toEqual(suggestion.members);
    expect(c.detail).toMatchObject({
      choice: 'accepted',
      proposedFormat: 'weekly',
      proposedSize: '6',
      format: 'weekly',
      chosenSize: '6',
      oldestWaitDays: '40',
      groupSizeNow: '6',
      weekOldestWaitDays: '47',
      weekArrivals: '1',
    });
    expect(c.detail.changes).toBeUndefined();
  });

  it('a child moved out and a weekend chosen: overruled, saying what changed; the child moved out is affected too', () => {
    const c = coordinatorChoice(suggestion, outlook, {
      action: 'confirm',
      format: 'weekend',
      members: ['R-1', 'R-2', 'R-3', 'R-4', 'R-6'],
    });
    expect(c.choice).toBe('overruled');
    expect(c.detail).toMatchObject({ changes: 'format,removed', removed: '1', added: '0', chosenSize: '5' });
    expect(c.affected).toContain('R-5');
  });

  it('waiting a week with a proposal on the table overrules it; waiting with none accepts the planner', () => {
    const waited = coordinatorChoice(suggestion, outlook, { action: 'postpone' });
    expect(waited.detail).toMatchObject({ choice: 'overruled', changes: 'waited' });
    expect(waited.affected).toEqual(['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6']);
    expect(coordinatorChoice(undefined, outlook, { action: 'postpone' }).choice).toBe('accepted');
    expect(
      coordinatorChoice(undefined, outlook, { action: 'confirm', format: 'weekend', members: ['R-1'] }).detail
        .changes,
    ).toBe('without-proposal');
  });
});
