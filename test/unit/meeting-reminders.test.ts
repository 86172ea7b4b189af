/**
 * Meeting reminders to a group's family homes (and custodians who get the schedule): each once, also when
 * the task is run again after it stopped half-way. Which went out already is read for every member in one
 * request (wereNotified), and the ones sent are marked together after the sends (markNotificationsSent),
 * also when a send failed half-way.
 */
import { describe, expect, it } from 'vitest';
import type { Group } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { remindCarers } from '../../functions/phases/groups/groups';
import type { EmailMessage } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';

const START = Date.parse('2027-03-01T08:00:00Z');
const GROUP_ID = 'g-10-12-rem001';
const at = (days: number, hours = 0) => new Date(START + days * 86_400_000 + hours * 3_600_000).toISOString();

const member = (n: number, custodianMaySeeSchedule: boolean): Referral => ({
  referralId: `R-REM-000${n}`,
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: at(0),
  updatedAt: at(0),
  phase: 'group-assignment',
  status: 'active',
  child: {
    firstName: `Barn${n}`,
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: String(n).repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: `vera${n}@example.org`, language: 'sv' }],
  carer: { name: 'Fia Familjehem', email: `hem${n}@familjehem.example` },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: at(0) },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule,
  group: { groupId: GROUP_ID, name: 'Stödhelg 10-12 år' },
  homeVisit: { outcome: 'done', recordedAt: at(1) },
});

const group: Group = {
  partnershipId: 'stockholm-bris',
  groupId: GROUP_ID,
  name: 'Stödhelg 10-12 år',
  format: 'weekend',
  ageBand: '10-12',
  status: 'running',
  capacity: 8,
  memberCount: 0,
  startDate: at(10).slice(0, 10),
  meetings: [{ index: 1, kind: 'weekend-day', startsAt: at(10, 1), endsAt: at(10, 7) }],
  confirmedAt: at(0),
  leader: { name: 'Lea Ledare', email: 'lea@bris.example' },
};

describe('meeting reminders', () => {
  it('go out once each, also when the task runs again after stopping half-way; one read for the group', async () => {
    const members = [member(1, true), member(2, false), member(3, true)];
    const { deps, store, sent } = await memoryDependencies({ start: START, referrals: members });
    await store.putGroup(group);
    for (const r of members) await store.joinGroup('stockholm-bris', GROUP_ID, r.referralId, at(0));
    const reads: string[] = [];
    const wasNotified = store.wasNotified.bind(store);
    const wereNotified = store.wereNotified.bind(store);
    store.wasNotified = (...a) => (reads.push('one'), wasNotified(...a));
    store.wereNotified = (...a) => (reads.push(`many ${a[0].length}`), wereNotified(...a));
    const writes: string[] = [];
    const markOne = store.markNotificationSent.bind(store);
    const markMany = store.markNotificationsSent.bind(store);
    store.markNotificationSent = (...a) => (writes.push('one'), markOne(...a));
    store.markNotificationsSent = (...a) => (writes.push(`many ${a[0].length}`), markMany(...a));

    // The mail server refuses the third email: the task fails after two went out.
    const send = deps.email.send;
    let n = 0;
    deps.email.send = async (m: EmailMessage) => {
      if (++n === 3) throw new Error('mail server unavailable');
      return send(m);
    };
    await expect(remindCarers({ groupId: GROUP_ID, meeting: 1 }, deps)).rejects.toThrow('unavailable');
    expect(sent).toHaveLength(2);

    await remindCarers({ groupId: GROUP_ID, meeting: 1 }, deps);
    await remindCarers({ groupId: GROUP_ID, meeting: 1 }, deps);
    const to = sent.map((m) => m.to).sort();
    expect(to).toEqual(
      [
        'hem1@familjehem.example',
        'vera1@example.org',
        'hem2@familjehem.example',
        'hem3@familjehem.example',
        'vera3@example.org',
      ].sort(),
    );
    expect(reads).toEqual(['many 5', 'many 5', 'many 5']);
    // The two sent before the failure, the three the retry sent, nothing the third time: a write each run.
    expect(writes).toEqual(['many 2', 'many 3', 'many 0']);
  });
});
