/**
 * The forecast from the partnership's own history, on the in-memory store: a child entering the pool is
 * recorded once (a wait re-entered records nothing), and once the history covers eight weeks the pool's
 * clock plans with it and the proposal page's "Prognos" shows it; before, both use the configured rate.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { proposalView } from '../../functions/phases/groups/groups';
import { bandProposalClock, joinPool } from '../../functions/phases/groups/pool-clock';
import type { LinkRecord } from '../../functions/ports';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const NOW = Date.parse('2027-09-01T08:00:00Z');
const P = STOCKHOLM_PARTNERSHIP;

const child = (n: number): Referral => ({
  referralId: `R-HIST-000${n}`,
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(NOW - 130 * DAY).toISOString(),
  updatedAt: new Date(NOW - 130 * DAY).toISOString(),
  phase: 'group-assignment',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: String(n).repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(NOW - 130 * DAY).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
});

const poolLink: LinkRecord = {
  linkHash: 'h',
  referralId: 'R-HIST-0001',
  ageBand: '10-12',
  step: 'group-proposal',
  recipient: { role: 'coordinator', name: 'Samordnare', email: 's@bris.example', language: 'sv' },
  createdAt: new Date(NOW).toISOString(),
  expiresAt: new Date(NOW + 14 * DAY).toISOString(),
  status: 'open',
  taskToken: '',
} as LinkRecord;

/**
 * Five 11-year-olds who have waited 115 days, one short of a group of six; their pool entries are older
 * than the history (written before recording began), so the history holds only what a test records.
 */
async function fiveWaiting() {
  const referrals = [1, 2, 3, 4, 5].map(child);
  const env = await memoryDependencies({ start: NOW, referrals });
  for (const r of referrals)
    await env.store.putPoolEntry(P.id, {
      referralId: r.referralId,
      ageBand: '10-12',
      district: r.district,
      waitingSince: new Date(NOW - 115 * DAY).toISOString(),
      age: 11,
    });
  return env;
}

describe('the consent history', () => {
  it('records a child entering the pool once, with its band and the instant, and when recording began', async () => {
    const { deps, store, setNow } = await memoryDependencies({ start: NOW, referrals: [child(1)] });
    expect(await store.consentHistory(P.id)).toBeUndefined();
    await joinPool(deps, child(1), P);
    setNow(NOW + WEEK);
    await joinPool(deps, child(1), P); // the weekly wait re-entered: already in the pool
    expect(await store.consentHistory(P.id)).toEqual({
      since: new Date(NOW).toISOString(),
      consents: [{ ageBand: '10-12', at: new Date(NOW).toISOString() }],
    });
  });

  it('plans with the configured rate until eight weeks of history: a band of five gets its group now', async () => {
    const { deps } = await fiveWaiting();
    // 40 a year over the bands is 0.2 a week in 10-12: the sixth child would come after the longest wait.
    const { proposals } = await bandProposalClock(deps, P, '10-12');
    expect(proposals.map((x) => x.members.length)).toEqual([5]);
    const view = await proposalView(deps, poolLink);
    expect(view.forecastFrom).toBe('settings');
    expect(view.outlook?.oneMoreWeek.expectedArrivals).toBe(0.2);
  });

  it("plans with the partnership's own consents once they cover eight weeks: the band waits for its sixth", async () => {
    const { deps, store } = await fiveWaiting();
    // Two consents a week in 10-12 over ten weeks: the sixth child is expected within days, before the
    // oldest has waited 120 days, so the planner waits for a group of six.
    for (let i = 0; i < 20; i++)
      await store.recordConsent(P.id, {
        ageBand: '10-12',
        at: new Date(NOW - 10 * WEEK + i * 3.5 * DAY).toISOString(),
      });
    const history = (await store.consentHistory(P.id))!;
    expect(history.since).toBe(new Date(NOW - 10 * WEEK).toISOString());
    expect(history.consents).toHaveLength(20);
    const { proposals } = await bandProposalClock(deps, P, '10-12');
    expect(proposals).toEqual([]);
    const view = await proposalView(deps, poolLink);
    expect(view.forecastFrom).toBe('history');
    expect(view.outlook?.oneMoreWeek.expectedArrivals).toBe(2);
  });
});
