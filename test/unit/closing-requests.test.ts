/**
 * What closing and erasing a referral read and write, counted on the in-memory store: a placed child's
 * pool entry goes with the due-erasure record (one request), a waiting child's at once; erasure takes the
 * group's facts from the summary's event rather than reading the group and its attendance again.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { closeReferral, eraseReferral } from '../../functions/phases/closure/closure';
import { SUMMARY_EVENT_KEY } from '../../functions/phases/follow-up/follow-up';
import type { Dependencies } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-04-01T08:00:00Z');
const at = new Date(START).toISOString();
const GROUP = { groupId: 'g-10-12-closing', name: 'Stödhelg' };

async function counted(referral: Referral) {
  const t = await memoryDependencies({ start: START, referrals: [referral] });
  const calls: string[] = [];
  const deps: Dependencies = {
    ...t.deps,
    store: new Proxy(t.store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }),
  };
  return { ...t, deps, calls };
}

const waiting = (referral: Referral) => ({
  referralId: referral.referralId,
  ageBand: referral.child.ageBand,
  district: referral.district,
  waitingSince: at,
});

describe('closing a referral', () => {
  it('a placed child: no pool delete of its own; an entry a placement left goes with the due erasure', async () => {
    const referral = sampleReferral(START, { referralId: 'R-CLOS-0001', phase: 'follow-up', group: GROUP });
    const t = await counted(referral);
    // What a placement cut off between naming the group and the pool's delete would have left.
    await t.store.putPoolEntry('stockholm-bris', waiting(referral));
    await closeReferral({ referralId: referral.referralId, outcome: 'completed' }, t.deps);
    expect(t.calls).not.toContain('removePoolEntry');
    expect(t.calls.filter((c) => c === 'putDueErasure')).toHaveLength(1);
    expect(await t.store.listPool('stockholm-bris')).toEqual([]);
    expect(await t.store.listDueErasures('9999', { limit: 5 })).toHaveLength(1);
  });

  it('a child still waiting leaves the pool before anything is mailed', async () => {
    const referral = sampleReferral(START, { referralId: 'R-CLOS-0002', phase: 'group-assignment' });
    const t = await counted(referral);
    await t.store.putPoolEntry('stockholm-bris', waiting(referral));
    let poolWhenMailed: unknown[] | undefined;
    const deps = {
      ...t.deps,
      email: {
        send: async () => void (poolWhenMailed ??= await t.store.listPool('stockholm-bris')),
      },
    } as Dependencies;
    await closeReferral({ referralId: referral.referralId, outcome: 'withdrawn' }, deps);
    expect(poolWhenMailed).toEqual([]);
    expect(t.calls).toContain('removePoolEntry');
  });
});

describe('erasing a referral', () => {
  const completed = (referralId: string) =>
    sampleReferral(START, {
      referralId,
      phase: 'closed',
      status: 'closed',
      outcome: 'completed',
      group: GROUP,
    });
  const summary = (referralId: string, detail?: Record<string, string>) => ({
    referralId,
    at,
    actor: { role: 'system' as const },
    action: 'summary-sent' as const,
    phase: 'follow-up' as const,
    ...(detail ? { detail } : {}),
  });

  it("keeps the summary's facts without reading the group or its attendance", async () => {
    const t = await counted(completed('R-ERAS-0001'));
    await t.store.appendAudit(
      summary('R-ERAS-0001', { format: 'weekend', scheduled: '4', attended: '3' }),
      SUMMARY_EVENT_KEY,
    );
    await eraseReferral({ referralId: 'R-ERAS-0001' }, t.deps);
    expect(t.calls).not.toContain('getGroup');
    expect(t.calls).not.toContain('listAttendance');
    const record = (await t.store.rawReferralItems('R-ERAS-0001')).find((i) => i.SK === 'REFERRAL');
    expect(record).toMatchObject({
      status: 'erased',
      format: 'weekend',
      attendedMeetings: 3,
      scheduledMeetings: 4,
    });
  });

  it('reads the group when the summary event has no facts (an earlier version wrote it)', async () => {
    const t = await counted(completed('R-ERAS-0002'));
    await t.store.appendAudit(summary('R-ERAS-0002'), SUMMARY_EVENT_KEY);
    await eraseReferral({ referralId: 'R-ERAS-0002' }, t.deps);
    expect(t.calls).toContain('getGroup');
    const record = (await t.store.rawReferralItems('R-ERAS-0002')).find((i) => i.SK === 'REFERRAL');
    expect(record).toMatchObject({ status: 'erased' });
  });
});
