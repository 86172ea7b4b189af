/**
 * Closing a referral closes its steps' open links, so each shows "no longer needed": the links are read
 * together (one batch read, not a read per step), and a used or superseded link is left as it is.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { closeOpenLinks } from '../../functions/phases/closure/closure';
import type { LinkRecord, StepRecord } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';

const START = Date.parse('2027-03-01T08:00:00Z');
const T0 = new Date(START).toISOString();
const REFERRAL_ID = 'R-CLOS-0001';

const referral: Referral = {
  referralId: REFERRAL_ID,
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: T0,
  updatedAt: T0,
  phase: 'consent',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'd'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [
    { number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' },
    { number: 2, name: 'Valle', email: 'valle@example.org', language: 'en' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: T0 },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};

const link = (linkHash: string, step: StepRecord['step'], custodian?: number): LinkRecord => ({
  linkHash,
  referralId: REFERRAL_ID,
  step,
  custodian,
  recipient: { role: 'custodian', name: 'Vera', email: 'vera@example.org', language: 'sv' },
  createdAt: T0,
  expiresAt: new Date(START + 14 * 86_400_000).toISOString(),
  status: 'open',
  taskToken: '',
});

describe('closing open links', () => {
  it('closes the open ones, leaves used and superseded ones, reading the links in one batch', async () => {
    const { deps, store } = await memoryDependencies({ start: START, referrals: [referral] });
    const steps: [LinkRecord, StepRecord][] = [
      [
        link('h-screening', 'screening'),
        { referralId: REFERRAL_ID, step: 'screening', linkHash: 'h-screening', enteredAt: T0 },
      ],
      [
        link('h-consent-1', 'consent', 1),
        { referralId: REFERRAL_ID, step: 'consent', custodian: 1, linkHash: 'h-consent-1', enteredAt: T0 },
      ],
      [
        link('h-consent-2', 'consent', 2),
        { referralId: REFERRAL_ID, step: 'consent', custodian: 2, linkHash: 'h-consent-2', enteredAt: T0 },
      ],
    ];
    for (const [l, s] of steps) {
      await store.putLink(l);
      await store.putStep(s);
    }
    await store.useLink('h-screening', T0, 'approve');
    await store.setLinkStatus('h-consent-2', 'superseded');
    const reads: string[] = [];
    const getLink = store.getLink.bind(store);
    const getLinks = store.getLinks.bind(store);
    store.getLink = (...a) => (reads.push('one'), getLink(...a));
    store.getLinks = (...a) => (reads.push(`many ${a[0].length}`), getLinks(...a));

    await closeOpenLinks(deps, REFERRAL_ID);

    expect(reads).toEqual(['many 3']);
    store.getLink = getLink;
    expect((await store.getLink('h-screening'))?.status).toBe('used');
    expect((await store.getLink('h-consent-1'))?.status).toBe('closed');
    expect((await store.getLink('h-consent-2'))?.status).toBe('superseded');
  });
});
