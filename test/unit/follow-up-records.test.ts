/**
 * The follow-up's emails are recorded by their audit event alone (keyed by the notification): a retried task
 * sends nothing again and adds no second event, and no separate sent-marker is written.
 */
import { describe, expect, it } from 'vitest';
import { sendFollowUp } from '../../functions/phases/follow-up/follow-up';
import { memoryDependencies } from '../support/memory-deps';
import { sampleReferral } from '../support/sample-referral';

const START = Date.parse('2027-06-01T08:00:00Z');
const referral = sampleReferral(START, { referralId: 'R-FOLLOW-0001', phase: 'sessions' });
const id = referral.referralId;

describe('the follow-up questionnaire', () => {
  it('sent by a task run twice: one email, one event, and the event is the only record', async () => {
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: [referral] });
    await sendFollowUp({ referralId: id, op: 'start' }, deps);
    await sendFollowUp({ referralId: id, op: 'start' }, deps);
    expect(sent.filter((m) => m.to.includes('fia@example.org'))).toHaveLength(1);
    const events = (await store.listAudit(id)).filter((e) => e.action === 'follow-up-sent');
    expect(events).toEqual([expect.objectContaining({ detail: { round: 'first' } })]);
    const items = await store.rawReferralItems(id);
    expect(items.filter((i) => String(i.SK).startsWith('NOTIFY#'))).toEqual([]);
  });
});
