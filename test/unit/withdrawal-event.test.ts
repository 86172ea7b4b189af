/**
 * A withdrawal's audit event survives the process dying between recording the withdrawal and its event:
 * the link it came through is used by then, so Close writes the event from the stored withdrawal — once.
 */
import { describe, expect, it } from 'vitest';
import { closeReferral } from '../../functions/phases/closure/closure';
import { memoryDependencies } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-04-01T08:00:00Z');
const referral = sampleReferral(START, { referralId: 'R-WDRW-0001', phase: 'screening' });
const id = referral.referralId;
const withdrawal = {
  at: new Date(START).toISOString(),
  by: { role: 'custodian' as const, name: 'Vera' },
  reason: 'Familjen flyttar.',
};

describe('the withdrawal event', () => {
  it('is written by Close when the withdrawal was stored without it, once however often Close runs', async () => {
    const { deps, store } = await memoryDependencies({ start: START, referrals: [referral] });
    // The process recording the withdrawal died before its event.
    expect(await store.markWithdrawn(id, withdrawal)).toBe(true);
    await closeReferral({ referralId: id, outcome: 'withdrawn' }, deps);
    await closeReferral({ referralId: id, outcome: 'withdrawn' }, deps);
    const events = (await store.listAudit(id)).filter((e) => e.action === 'referral-withdrawn');
    expect(events).toEqual([
      expect.objectContaining({
        at: withdrawal.at,
        actor: withdrawal.by,
        phase: 'screening',
        detail: { reason: withdrawal.reason },
      }),
    ]);
  });
});
