/**
 * The follow-up's emails are recorded by their audit event alone (keyed by the notification): a retried task
 * sends nothing again and adds no second event, and no separate sent-marker is written.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { sendFollowUp } from '../../functions/phases/follow-up/follow-up';
import { memoryDependencies } from '../support/memory-deps';

const START = Date.parse('2027-06-01T08:00:00Z');
const referral: Referral = {
  referralId: 'R-FOLLOW-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
  phase: 'sessions',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'e'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};
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
