/**
 * The contract of the ReferralStore port (functions/ports.ts), run against every implementation: the
 * DynamoDB store on dynalite (test/integration/store.dynamodb.test.ts) and the in-memory store the use-case
 * tests use (test/unit/store.memory.test.ts, test/fakes/memory-store.ts). What one does, the other must do:
 * conditional writes (put-if-absent, compare-and-set, the child lock, link transitions, once-only audit
 * events, notification claims, group seats), what races leave behind, listing order and paging, and the
 * raw items (keys, TTL attribute) the table holds.
 *
 * Each test gets a store of its own (an empty table), so listings across the table (due erasures, the
 * status index) see only what the test wrote.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { epochSeconds, TIME_TO_LIVE_ATTRIBUTE } from '../../functions/adapters/time-to-live';
import type { AnonymisedReferral, EvaluationAnswer } from '../../functions/domain/follow-up';
import type { Group } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import type { AttendanceEntry, AuditEvent, LinkRecord, ReferralStore } from '../../functions/ports';
import { PARTNERSHIP_FILE, readPartnershipFile } from '../../infra/partnership-file';

export interface StoreUnderTest {
  store: ReferralStore;
  /** The item under a table key, with every attribute as stored (keys, `entity`, TTL). */
  rawItem(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined>;
  /** Writes an item as it is, e.g. in the shape an older version of the store wrote. */
  putRawItem(item: Record<string, unknown> & { PK: string; SK: string }): Promise<void>;
}

const P = 'stockholm-bris';
const T0 = '2026-11-23T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export function referral(referralId: string, overrides: Partial<Referral> = {}): Referral {
  return {
    referralId,
    partnershipId: P,
    district: 'Farsta',
    createdAt: T0,
    updatedAt: T0,
    phase: 'consent',
    status: 'active',
    child: {
      firstName: 'Zlatanina',
      birthDate: '2015-03-12',
      ageAtReferral: 11,
      ageBand: '10-12',
      protectedIdentity: false,
    },
    identityHash: 'f'.repeat(64),
    socialWorker: { name: 'Sara Socialsekreterare', email: 'sara@example.se' },
    custodians: [
      { number: 1, name: 'Anna Andersson', email: 'anna@example.se', language: 'sv' },
      { number: 2, name: 'Bo Berg', email: 'bo@example.se', language: 'en' },
    ],
    carer: { name: 'Cecilia Familjehem', email: 'cecilia@example.se' },
    childWish: { confirmedBy: 'Sara Socialsekreterare', at: T0 },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: true,
    ...overrides,
  };
}

export function group(groupId: string, overrides: Partial<Group> = {}): Group {
  return {
    partnershipId: P,
    groupId,
    name: `Grupp ${groupId}`,
    format: 'weekly',
    ageBand: '10-12',
    status: 'forming',
    capacity: 8,
    memberCount: 0,
    ...overrides,
  };
}

export function link(linkHash: string, overrides: Partial<LinkRecord> = {}): LinkRecord {
  return {
    linkHash,
    referralId: 'R-LINK-0001',
    step: 'consent',
    custodian: 1,
    recipient: { role: 'custodian', name: 'Anna Andersson', email: 'anna@example.se', language: 'sv' },
    createdAt: T0,
    expiresAt: at(60),
    status: 'open',
    taskToken: '',
    ...overrides,
  };
}

const consent = (minutes: number) => ({
  given: true,
  at: at(minutes),
  recordedBy: { role: 'custodian' as const, name: 'Anna Andersson' },
});

const anonymised = (referralId: string): AnonymisedReferral => ({
  referralId,
  partnershipId: P,
  district: 'Farsta',
  ageBand: '10-12',
  createdAt: T0,
  closedAt: at(60),
  outcome: 'completed',
  screenedIn: true,
  consented: true,
  placed: true,
  erasedAt: at(120),
});

const event = (referralId: string, minutes: number, action: string, extra: Partial<AuditEvent> = {}) => ({
  referralId,
  at: at(minutes),
  actor: { role: 'custodian' as const, name: 'Anna Andersson' },
  // Markers that say which event is which; the store keeps any action, the type lists the real ones.
  action: action as AuditEvent['action'],
  ...extra,
});

/** Rejects with DynamoDB's condition failure (by name: the use cases and the TTL sweep catch it so). */
async function expectConditionFailure(promise: Promise<unknown>) {
  await expect(promise).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
}

/** Runs the promises at once and returns their results in order. */
const all = <T>(n: number, f: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => f(i)));

export function storeContract(label: string, open: () => Promise<StoreUnderTest>): void {
  describe(`ReferralStore contract: ${label}`, () => {
    let t: StoreUnderTest;
    let store: ReferralStore;
    beforeEach(async () => {
      t = await open();
      store = t.store;
    });

    describe('submissions (claimSubmission, releaseSubmission)', () => {
      it('the first claim wins; a later one is told who holds the key; the record expires a day later', async () => {
        expect(await store.claimSubmission('form-1', 'R-0001', T0)).toEqual({ claimed: true });
        expect(await store.claimSubmission('form-1', 'R-0002', at(1))).toEqual({
          claimed: false,
          holder: 'R-0001',
        });
        const raw = await t.rawItem({ PK: 'SUBMISSION#form-1', SK: 'SUBMISSION' });
        expect(raw).toMatchObject({ referralId: 'R-0001', at: T0, entity: 'submission' });
        expect(raw?.[TIME_TO_LIVE_ATTRIBUTE]).toBe(epochSeconds(T0) + 24 * 3600);
      });

      it('of ten concurrent claims exactly one wins, and the others name the winner', async () => {
        const results = await all(10, (i) => store.claimSubmission('form-2', `R-${i}`, T0));
        const winners = results.flatMap((r, i) => (r.claimed ? [`R-${i}`] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) if (!r.claimed) expect(r.holder).toBe(winners[0]);
      });

      it('only the holder releases it; then the key is free', async () => {
        await store.claimSubmission('form-3', 'R-0001', T0);
        await store.releaseSubmission('form-3', 'R-0002');
        expect(await store.claimSubmission('form-3', 'R-0002', T0)).toMatchObject({ claimed: false });
        await store.releaseSubmission('form-3', 'R-0001');
        expect(await store.claimSubmission('form-3', 'R-0002', T0)).toEqual({ claimed: true });
      });
    });

    describe('send limits (countRequest)', () => {
      it('counts concurrent requests in a window exactly, each window apart, expiring with its window', async () => {
        const counts = await all(5, () => store.countRequest('sign-in#h1#15m#7', '2027-03-01T08:15:00.000Z'));
        expect([...counts].sort()).toEqual([1, 2, 3, 4, 5]);
        expect(await store.countRequest('sign-in#h1#15m#8', '2027-03-01T08:30:00.000Z')).toBe(1);
        expect(await store.countRequest('sign-in#h2#15m#7', '2027-03-01T08:15:00.000Z')).toBe(1);
        const raw = await t.rawItem({ PK: 'SENDLIMIT#sign-in#h1#15m#7', SK: 'COUNT' });
        expect(raw).toMatchObject({ count: 5, entity: 'send-limit' });
        // The window's end, set by the first request and kept by the others.
        expect(raw?.[TIME_TO_LIVE_ATTRIBUTE]).toBe(Date.parse('2027-03-01T08:15:00.000Z') / 1000);
      });
    });

    describe('the child lock (claimChild, takeOverChild, releaseChild)', () => {
      it('of ten concurrent claims exactly one wins; the others name it and how long it has been held', async () => {
        const results = await all(10, (i) => store.claimChild('child-1', `R-${i}`));
        const winners = results.flatMap((r, i) => (r.claimed ? [`R-${i}`] : []));
        expect(winners).toHaveLength(1);
        for (const r of results)
          if (!r.claimed) {
            expect(r.holder).toBe(winners[0]);
            expect(r.heldForMs).toBeGreaterThanOrEqual(0);
            expect(r.heldForMs).toBeLessThan(60_000);
          }
        // The holder claiming again still holds it; the lock has no TTL.
        expect(await store.claimChild('child-1', winners[0]!)).toEqual({ claimed: true });
        const raw = await t.rawItem({ PK: 'CHILD#child-1', SK: 'ACTIVE' });
        expect(raw).toMatchObject({ referralId: winners[0], entity: 'child-lock' });
        expect(typeof raw?.claimedAt).toBe('number');
        expect(raw).not.toHaveProperty(TIME_TO_LIVE_ATTRIBUTE);
      });

      it('a lock written before claimedAt existed counts as held for ever by its first contested claim', async () => {
        await t.putRawItem({ PK: 'CHILD#child-2', SK: 'ACTIVE', entity: 'child-lock', referralId: 'R-OLD' });
        expect(await store.claimChild('child-2', 'R-NEW')).toEqual({
          claimed: false,
          holder: 'R-OLD',
          heldForMs: Infinity,
        });
        // The refused claim changed nothing but the lease's start: the holder is the same.
        expect(await t.rawItem({ PK: 'CHILD#child-2', SK: 'ACTIVE' })).toMatchObject({ referralId: 'R-OLD' });
      });

      it('a takeover from the holder moves the lock and restarts its time; from anyone else it is refused', async () => {
        await t.putRawItem({ PK: 'CHILD#child-3', SK: 'ACTIVE', referralId: 'R-A', claimedAt: 1 });
        expect(await store.takeOverChild('child-3', 'R-X', 'R-B')).toBe(false);
        expect(await store.claimChild('child-3', 'R-B')).toMatchObject({ claimed: false, holder: 'R-A' });
        expect(await store.takeOverChild('child-3', 'R-A', 'R-B')).toBe(true);
        const claim = await store.claimChild('child-3', 'R-C');
        expect(claim).toMatchObject({ claimed: false, holder: 'R-B' });
        expect(claim.claimed === false && claim.heldForMs).toBeLessThan(60_000);
        expect(await store.claimChild('child-3', 'R-B')).toEqual({ claimed: true });
        expect(await store.takeOverChild('no-such-child', 'R-A', 'R-B')).toBe(false);
        expect(await t.rawItem({ PK: 'CHILD#no-such-child', SK: 'ACTIVE' })).toBeUndefined();
      });

      it('of ten concurrent takeovers from the same holder exactly one wins', async () => {
        await store.claimChild('child-4', 'R-GONE');
        const results = await all(10, (i) => store.takeOverChild('child-4', 'R-GONE', `R-${i}`));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = `R-${results.indexOf(true)}`;
        expect(await store.claimChild('child-4', 'R-OTHER')).toMatchObject({
          claimed: false,
          holder: winner,
        });
      });

      it('only the holder releases it', async () => {
        await store.claimChild('child-5', 'R-A');
        await store.releaseChild('child-5', 'R-B');
        expect(await store.claimChild('child-5', 'R-B')).toMatchObject({ claimed: false, holder: 'R-A' });
        await store.releaseChild('child-5', 'R-A');
        expect(await store.claimChild('child-5', 'R-B')).toEqual({ claimed: true });
      });
    });

    describe('referrals (createReferral, getReferral, updateReferral)', () => {
      it('getReferrals reads several in the order asked, undefined for one not stored, more than a request holds', async () => {
        const ids = Array.from({ length: 130 }, (_, i) => `R-${String(i).padStart(4, '0')}`);
        for (const id of ids.filter((_, i) => i % 3 !== 1)) await store.createReferral(referral(id));
        const asked = [...ids].reverse().concat('R-0000', 'R-NONE');
        const read = await store.getReferrals(asked);
        expect(read).toHaveLength(asked.length);
        asked.forEach((id, i) => {
          const n = Number(id.slice(2));
          expect(read[i], id).toEqual(id !== 'R-NONE' && n % 3 !== 1 ? referral(id) : undefined);
        });
        expect(await store.getReferrals([])).toEqual([]);
      });

      it('creates once: a second referral with the id writes nothing; concurrent creates, one wins', async () => {
        expect(await store.createReferral(referral('R-0001'))).toBe(true);
        expect(await store.createReferral(referral('R-0001', { district: 'Bromma' }))).toBe(false);
        expect(await store.getReferral('R-0001')).toEqual(referral('R-0001'));
        const results = await all(5, (i) =>
          store.createReferral(referral('R-0002', { phase: 'intake', district: `D${i}` })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.getReferral('R-0002'))?.district).toBe(`D${results.indexOf(true)}`);
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });

      it('keeps the referral item with its index keys; undefined fields are not stored', async () => {
        await store.createReferral(referral('R-0001', { outcome: undefined }));
        const raw = await t.rawItem({ PK: 'REFERRAL#R-0001', SK: 'REFERRAL' });
        expect(raw).toMatchObject({
          entity: 'referral',
          GSI1PK: 'DISTRICT#Farsta',
          GSI1SK: `${T0}#R-0001`,
          GSI2PK: 'STATUS#active',
          GSI2SK: 'R-0001',
        });
        expect(raw).not.toHaveProperty('outcome');
        expect(raw).not.toHaveProperty(TIME_TO_LIVE_ATTRIBUTE);
      });

      it('returns copies, and keeps its own copy of what it was given', async () => {
        const given = referral('R-0001');
        await store.createReferral(given);
        given.custodians[0]!.name = 'changed by the caller';
        const read = (await store.getReferral('R-0001'))!;
        read.child.firstName = 'changed';
        read.custodians.pop();
        expect(await store.getReferral('R-0001')).toEqual(referral('R-0001'));
      });

      it('updates the fields given, ignores undefined ones, and moves the status index with the status', async () => {
        await store.createReferral(referral('R-0001', { outcome: 'declined' }));
        await store.updateReferral('R-0001', {
          phase: 'group-assignment',
          outcome: undefined,
          updatedAt: at(5),
        });
        expect(await store.getReferral('R-0001')).toEqual(
          referral('R-0001', { outcome: 'declined', phase: 'group-assignment', updatedAt: at(5) }),
        );
        await store.updateReferral('R-0001', { status: 'needs-attention' });
        expect((await store.listReferralsByStatus('active')).map((r) => r.referralId)).toEqual([]);
        expect((await store.listReferralsByStatus('needs-attention')).map((r) => r.referralId)).toEqual([
          'R-0001',
        ]);
      });

      it('updateReferralReading: the referral as written, in the same request; none stored is refused', async () => {
        await store.createReferral(referral('R-0001'));
        const group = { groupId: 'g-7-9-1', name: 'Stödhelg' };
        const read = await store.updateReferralReading('R-0001', { group, updatedAt: at(7) });
        expect(read).toEqual(referral('R-0001', { group, updatedAt: at(7) }));
        expect(await store.getReferral('R-0001')).toEqual(read);
        await expectConditionFailure(store.updateReferralReading('R-NONE', { updatedAt: at(7) }));
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });

      it('refuses to update a referral that does not exist (and creates nothing)', async () => {
        await expectConditionFailure(store.updateReferral('R-NONE', { phase: 'closed' }));
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });

      it('refuses an update with nothing to set', async () => {
        await store.createReferral(referral('R-0001'));
        await expect(store.updateReferral('R-0001', { outcome: undefined })).rejects.toThrow();
      });
    });

    describe('listing referrals (listReferralsByStatus, listReferralsByDistrict)', () => {
      it('by status: highest id first, at most `limit`', async () => {
        for (const id of ['R-0002', 'R-0004', 'R-0001', 'R-0003']) await store.createReferral(referral(id));
        await store.createReferral(referral('R-0009', { status: 'closed' }));
        const active = await store.listReferralsByStatus('active');
        expect(active.map((r) => r.referralId)).toEqual(['R-0004', 'R-0003', 'R-0002', 'R-0001']);
        expect(active[0]).toEqual(referral('R-0004'));
        expect((await store.listReferralsByStatus('active', 2)).map((r) => r.referralId)).toEqual([
          'R-0004',
          'R-0003',
        ]);
        expect((await store.listReferralsByStatus('closed')).map((r) => r.referralId)).toEqual(['R-0009']);
      });

      it('by district: newest first, created in [from, to), only that district', async () => {
        await store.createReferral(referral('R-0001', { createdAt: at(1) }));
        await store.createReferral(referral('R-0002', { createdAt: at(2) }));
        await store.createReferral(referral('R-0003', { createdAt: at(3) }));
        await store.createReferral(referral('R-0004', { createdAt: at(2), district: 'Älvsjö' }));
        const ids = (items: Record<string, unknown>[]) => items.map((i) => i.referralId);
        expect(ids(await store.listReferralsByDistrict('Farsta'))).toEqual(['R-0003', 'R-0002', 'R-0001']);
        expect(ids(await store.listReferralsByDistrict('Farsta', at(2), at(3)))).toEqual(['R-0002']);
        expect(ids(await store.listReferralsByDistrict('Älvsjö'))).toEqual(['R-0004']);
        const [first] = await store.listReferralsByDistrict('Älvsjö');
        expect(first).toEqual(referral('R-0004', { createdAt: at(2), district: 'Älvsjö' }));
      });
    });

    describe('notifications (claimNotification, markNotificationSent, releaseNotification)', () => {
      it('the first claim sends; later ones see it sending, then sent; a released claim can be made again', async () => {
        expect(await store.claimNotification('R-0001', 'consent-request', T0)).toEqual({
          claimed: true,
          sent: false,
          at: T0,
        });
        expect(await store.claimNotification('R-0001', 'consent-request', at(1))).toEqual({
          claimed: false,
          sent: false,
          at: T0,
        });
        await store.markNotificationSent('R-0001', 'consent-request');
        expect(await store.claimNotification('R-0001', 'consent-request', at(2))).toEqual({
          claimed: false,
          sent: true,
          at: T0,
        });
        await store.releaseNotification('R-0001', 'consent-request');
        expect(await store.claimNotification('R-0001', 'consent-request', at(3))).toMatchObject({
          claimed: true,
        });
        // Keys are per referral and per key.
        expect(await store.claimNotification('R-0002', 'consent-request', T0)).toMatchObject({
          claimed: true,
        });
      });

      it('of ten concurrent claims exactly one sends', async () => {
        const results = await all(10, (i) => store.claimNotification('R-0001', 'reminder-1', at(i)));
        expect(results.filter((r) => r.claimed)).toHaveLength(1);
        const winner = results.find((r) => r.claimed)!;
        for (const r of results) expect(r.at).toBe(winner.at);
      });

      it('a marker without a state (older versions wrote it after sending) counts as sent', async () => {
        await t.putRawItem({ PK: 'REFERRAL#R-0001', SK: 'NOTIFY#closed', entity: 'notification', at: T0 });
        expect(await store.claimNotification('R-0001', 'closed', at(1))).toEqual({
          claimed: false,
          sent: true,
          at: T0,
        });
      });

      it('wasNotified: a marker marked sent (or without a state) is sent; a claim still sending is not', async () => {
        expect(await store.wasNotified('R-0001', 'placed')).toBe(false);
        await store.claimNotification('R-0001', 'placed', T0);
        expect(await store.wasNotified('R-0001', 'placed')).toBe(false);
        await store.markNotificationSent('R-0001', 'placed');
        expect(await store.wasNotified('R-0001', 'placed')).toBe(true);
        await store.markNotificationSent('R-0001', 'never-claimed');
        expect(await store.wasNotified('R-0001', 'never-claimed')).toBe(true);
        await t.putRawItem({ PK: 'REFERRAL#R-0001', SK: 'NOTIFY#closed', entity: 'notification', at: T0 });
        expect(await store.wasNotified('R-0001', 'closed')).toBe(true);
        expect(await store.wasNotified('R-0002', 'placed')).toBe(false);
        // The marker of every item under the referral has its entity (erasure's raw read relies on it).
        expect((await store.rawReferralItems('R-0001')).every((i) => i.entity === 'notification')).toBe(true);
      });

      it('getReferralNotified reads the referral and its markers in one request, as getReferral and wasNotified read them', async () => {
        await store.createReferral(referral('R-0001'));
        await store.markNotificationSent('R-0001', 'closed');
        await store.claimNotification('R-0001', 'placed', T0);
        await store.appendAudit(
          { referralId: 'R-0001', at: T0, actor: { role: 'system' }, action: 'intake-accepted' },
          'notify-intake-received',
        );
        const asked = [
          { key: 'closed' },
          { key: 'placed' },
          { key: 'intake-received', auditOnceKey: 'notify-intake-received' },
          { key: 'consent-complete' },
          { key: 'closed', auditOnceKey: 'notify-closed' },
        ];
        const read = await store.getReferralNotified('R-0001', asked);
        expect(read.referral).toEqual(await store.getReferral('R-0001'));
        expect(read.notified).toEqual([true, false, true, false, false]);
        for (const [i, n] of asked.entries())
          expect(await store.wasNotified('R-0001', n.key, n.auditOnceKey)).toBe(read.notified[i]);
        expect(await store.getReferralNotified('R-0009', [{ key: 'closed' }])).toEqual({
          referral: undefined,
          notified: [false],
        });
        expect((await store.getReferralNotified('R-0001', [])).notified).toEqual([]);
      });

      it('wereNotified reads many markers at once, in order, as wasNotified reads each', async () => {
        await store.claimNotification('R-0001', 'reminder-g-1', T0);
        await store.markNotificationSent('R-0001', 'reminder-g-1');
        await store.claimNotification('R-0002', 'reminder-g-1', T0);
        await store.markNotificationSent('R-0003', 'reminder-g-1-custodian-1');
        const asked = ['R-0001', 'R-0002', 'R-0003', 'R-0004'].flatMap((referralId) => [
          { referralId, key: 'reminder-g-1' },
          { referralId, key: 'reminder-g-1-custodian-1' },
        ]);
        expect(await store.wereNotified(asked)).toEqual([
          true,
          false,
          false,
          false,
          false,
          true,
          false,
          false,
        ]);
        expect(await store.wereNotified([])).toEqual([]);
      });

      it('markNotificationsSent marks many at once, more than one request holds, as markNotificationSent does', async () => {
        const marked = Array.from({ length: 30 }, (_, i) => ({
          referralId: `R-${String(i).padStart(4, '0')}`,
          key: 'reminder-g-1',
        }));
        await store.markNotificationsSent([...marked, marked[0]!]);
        await store.markNotificationsSent([]);
        const asked = [...marked, { referralId: 'R-0000', key: 'reminder-g-2' }];
        expect(await store.wereNotified(asked)).toEqual([...marked.map(() => true), false]);
        expect(await store.wasNotified('R-0029', 'reminder-g-1')).toBe(true);
        expect(await store.claimNotification('R-0029', 'reminder-g-1', T0)).toMatchObject({
          claimed: false,
          sent: true,
        });
      });

      it('wasNotified with an audit key: the once-only audit event is the marker', async () => {
        await store.markNotificationSent('R-0001', 'consent-reminder-1');
        expect(await store.wasNotified('R-0001', 'consent-reminder-1', 'notify-consent-reminder-1')).toBe(
          false,
        );
        await store.appendAudit(event('R-0001', 1, 'consent-reminder-sent'), 'notify-consent-reminder-1');
        expect(await store.wasNotified('R-0001', 'consent-reminder-1', 'notify-consent-reminder-1')).toBe(
          true,
        );
        expect(await store.wasNotified('R-0002', 'consent-reminder-1', 'notify-consent-reminder-1')).toBe(
          false,
        );
      });

      it('marking a notification sent that was never claimed records it as sent', async () => {
        await store.markNotificationSent('R-0001', 'unclaimed');
        expect(await store.claimNotification('R-0001', 'unclaimed', at(1))).toEqual({
          claimed: false,
          sent: true,
          at: at(1),
        });
      });
    });

    describe('partnerships (putPartnership, getPartnership)', () => {
      it('reads back what was written, validated; a broken item is an error, a missing one undefined', async () => {
        const p = readPartnershipFile(PARTNERSHIP_FILE);
        await store.putPartnership(p);
        expect(await store.getPartnership(p.id)).toEqual(p);
        expect(await store.getPartnership('none')).toBeUndefined();
        await t.putRawItem({ PK: 'PARTNERSHIP#broken', SK: 'PARTNERSHIP', id: 'broken', name: 'x' });
        await expect(store.getPartnership('broken')).rejects.toThrow(/partnership broken in the table/);
      });
    });

    describe('groups (putGroup, getGroup, listGroups, updateGroup)', () => {
      it('lists the groups of one partnership in id order; reads one; hides the seat bookkeeping', async () => {
        await store.putGroup(group('g-b'));
        await store.putGroup(group('g-a'));
        await store.putGroup(group('g-c', { partnershipId: 'other' }));
        await store.joinGroup(P, 'g-a', 'R-0001', T0);
        expect((await store.listGroups(P)).map((g) => g.groupId)).toEqual(['g-a', 'g-b']);
        expect(await store.getGroup(P, 'g-a')).toEqual(group('g-a', { memberCount: 1 }));
        expect((await store.listGroups(P))[0]).toEqual(group('g-a', { memberCount: 1 }));
        expect(await store.getGroup(P, 'g-c')).toBeUndefined();
        expect(await store.getGroup('other', 'g-c')).toEqual(group('g-c', { partnershipId: 'other' }));
      });

      it('updates the fields given and keeps the seats; refuses an unknown group', async () => {
        await store.putGroup(group('g-a'));
        await store.joinGroup(P, 'g-a', 'R-0001', T0);
        await store.updateGroup(P, 'g-a', { status: 'running', startDate: '2027-01-11', name: undefined });
        expect(await store.getGroup(P, 'g-a')).toEqual(
          group('g-a', { status: 'running', startDate: '2027-01-11', memberCount: 1 }),
        );
        expect(await store.joinGroup(P, 'g-a', 'R-0001', T0)).toBe('already-member');
        await expectConditionFailure(store.updateGroup(P, 'g-none', { status: 'running' }));
        expect(await store.getGroup(P, 'g-none')).toBeUndefined();
      });
    });

    describe('joining and leaving groups (joinGroup, leaveGroup, listGroupMembers)', () => {
      it('never seats more than the capacity: 3 seats, 12 concurrent joins', async () => {
        await store.putGroup(group('g-a', { capacity: 3 }));
        const results = await all(12, (i) =>
          store.joinGroup(P, 'g-a', `R-${String(i).padStart(2, '0')}`, T0),
        );
        expect(results.filter((r) => r === 'joined')).toHaveLength(3);
        expect(results.filter((r) => r === 'full')).toHaveLength(9);
        expect((await store.getGroup(P, 'g-a'))?.memberCount).toBe(3);
        const joined = results.flatMap((r, i) => (r === 'joined' ? [`R-${String(i).padStart(2, '0')}`] : []));
        expect(await store.listGroupMembers('g-a')).toEqual(joined.sort());
        // A child told "full" was not left placed: it can join another group.
        await store.putGroup(group('g-b'));
        const refused = `R-${String(results.indexOf('full')).padStart(2, '0')}`;
        expect(await store.joinGroup(P, 'g-b', refused, T0)).toBe('joined');
      });

      it('the same child joining five times at once takes one seat', async () => {
        await store.putGroup(group('g-a'));
        const results = await all(5, () => store.joinGroup(P, 'g-a', 'R-0001', T0));
        expect(results.filter((r) => r === 'joined')).toHaveLength(1);
        expect(results.filter((r) => r === 'already-member')).toHaveLength(4);
        expect((await store.getGroup(P, 'g-a'))?.memberCount).toBe(1);
        expect(await store.listGroupMembers('g-a')).toEqual(['R-0001']);
      });

      it('a child is placed in one group: two groups at once, one takes it, the other hears placed-elsewhere', async () => {
        await store.putGroup(group('g-a'));
        await store.putGroup(group('g-b'));
        const results = await Promise.all([
          store.joinGroup(P, 'g-a', 'R-0001', T0),
          store.joinGroup(P, 'g-b', 'R-0001', T0),
        ]);
        expect([...results].sort()).toEqual(['joined', 'placed-elsewhere']);
        const counts = [
          (await store.getGroup(P, 'g-a'))!.memberCount,
          (await store.getGroup(P, 'g-b'))!.memberCount,
        ];
        expect(counts.sort()).toEqual([0, 1]);
        const raw = await t.rawItem({ PK: 'REFERRAL#R-0001', SK: 'PLACEMENT' });
        expect(raw).toMatchObject({
          entity: 'placement',
          groupId: results[0] === 'joined' ? 'g-a' : 'g-b',
          at: T0,
        });
      });

      it('a completed or cancelled group takes nobody (full); a running one takes a child for a free seat', async () => {
        await store.putGroup(group('g-done', { status: 'completed' }));
        await store.putGroup(group('g-off', { status: 'cancelled' }));
        await store.putGroup(group('g-run', { status: 'running', memberCount: 7 }));
        expect(await store.joinGroup(P, 'g-done', 'R-0001', T0)).toBe('full');
        expect(await store.joinGroup(P, 'g-off', 'R-0001', T0)).toBe('full');
        expect(await store.joinGroup(P, 'g-run', 'R-0001', T0)).toBe('joined');
        expect(await store.joinGroup(P, 'g-run', 'R-0002', T0)).toBe('full');
      });

      it('an unknown group: unknown-group, and the child stays free to join another', async () => {
        expect(await store.joinGroup(P, 'g-none', 'R-0001', T0)).toBe('unknown-group');
        expect(await t.rawItem({ PK: 'REFERRAL#R-0001', SK: 'PLACEMENT' })).toBeUndefined();
        await store.putGroup(group('g-a'));
        expect(await store.joinGroup(P, 'g-a', 'R-0001', T0)).toBe('joined');
      });

      it('leaving gives the seat back once; a second leave frees nothing', async () => {
        await store.putGroup(group('g-a', { capacity: 1 }));
        await store.joinGroup(P, 'g-a', 'R-0001', T0);
        expect(await store.joinGroup(P, 'g-a', 'R-0002', T0)).toBe('full');
        const leaves = await all(3, () => store.leaveGroup(P, 'g-a', 'R-0001'));
        expect(leaves.filter(Boolean)).toHaveLength(1);
        expect(await store.leaveGroup(P, 'g-a', 'R-0001')).toBe(false);
        expect((await store.getGroup(P, 'g-a'))?.memberCount).toBe(0);
        expect(await store.listGroupMembers('g-a')).toEqual([]);
        expect(await store.joinGroup(P, 'g-a', 'R-0002', T0)).toBe('joined');
        expect(await store.leaveGroup(P, 'g-none', 'R-0001')).toBe(false);
      });

      it('the placement outlives leaving: the child may come back to that group, not join another', async () => {
        await store.putGroup(group('g-a'));
        await store.putGroup(group('g-b'));
        await store.joinGroup(P, 'g-a', 'R-0001', T0);
        await store.leaveGroup(P, 'g-a', 'R-0001');
        expect(await store.joinGroup(P, 'g-b', 'R-0001', T0)).toBe('placed-elsewhere');
        expect(await store.joinGroup(P, 'g-a', 'R-0001', T0)).toBe('joined');
      });

      it('a leave whose seat was already given back still reports it freed while the member item remains', async () => {
        await store.putGroup(group('g-a'));
        await store.joinGroup(P, 'g-a', 'R-0001', T0);
        // A put replaces the whole group item, seat bookkeeping included: as if the seat had been freed by a
        // leave that was cut off before it removed the member item.
        await store.putGroup(group('g-a', { memberCount: 0 }));
        expect(await store.listGroupMembers('g-a')).toEqual(['R-0001']);
        expect(await store.leaveGroup(P, 'g-a', 'R-0001')).toBe(true);
        expect((await store.getGroup(P, 'g-a'))?.memberCount).toBe(0);
        expect(await store.listGroupMembers('g-a')).toEqual([]);
      });
    });

    describe('steps (putStep, getStep, listSteps, markStepEmailSent)', () => {
      it('one record per step and custodian, listed in key order; a put replaces it', async () => {
        await store.putStep({ referralId: 'R-0001', step: 'screening', linkHash: 'h-s', enteredAt: T0 });
        await store.putStep({
          referralId: 'R-0001',
          step: 'consent',
          custodian: 2,
          linkHash: 'h-c2',
          enteredAt: T0,
        });
        await store.putStep({
          referralId: 'R-0001',
          step: 'consent',
          custodian: 1,
          linkHash: 'h-c1',
          enteredAt: T0,
        });
        await store.putStep({
          referralId: 'R-0001',
          step: 'consent',
          custodian: 1,
          linkHash: 'h-c1b',
          enteredAt: at(1),
          entry: 'e2',
        });
        await store.putStep({ referralId: 'R-0002', step: 'screening', linkHash: 'h-x', enteredAt: T0 });
        expect(await store.getStep('R-0001', 'consent', 1)).toEqual({
          referralId: 'R-0001',
          step: 'consent',
          custodian: 1,
          linkHash: 'h-c1b',
          enteredAt: at(1),
          entry: 'e2',
        });
        expect(await store.getStep('R-0001', 'consent')).toBeUndefined();
        expect(await store.getStep('R-0001', 'sessions')).toBeUndefined();
        expect((await store.listSteps('R-0001')).map((s) => s.linkHash)).toEqual(['h-c1b', 'h-c2', 'h-s']);
      });

      it('writes a step with its new links (and an event) in one go: each link as putLink stores it', async () => {
        const step = {
          referralId: 'R-LINK-0001',
          step: 'consent' as const,
          custodian: 1,
          linkHash: 'h-1',
          enteredAt: T0,
        };
        await store.putStep(step, undefined, [link('h-1'), link('h-w', { step: 'withdrawal' })]);
        expect(await store.getStep('R-LINK-0001', 'consent', 1)).toEqual(step);
        expect(await store.getLinks(['h-1', 'h-w'])).toEqual([
          link('h-1'),
          link('h-w', { step: 'withdrawal' }),
        ]);
        expect((await store.listLinks('R-LINK-0001')).map((l) => l.linkHash).sort()).toEqual(['h-1', 'h-w']);
        expect(await t.rawItem({ PK: 'LINK#h-1', SK: 'LINK' })).toMatchObject({
          entity: 'link',
          GSI2PK: 'LINKS#R-LINK-0001',
          GSI2SK: 'h-1',
        });
        const event = {
          referralId: 'R-LINK-0001',
          at: at(1),
          actor: { role: 'system' as const },
          action: 'step-requested' as const,
        };
        await store.putStep({ ...step, linkHash: 'h-2' }, event, [link('h-2')]);
        expect((await store.getStep('R-LINK-0001', 'consent', 1))?.linkHash).toBe('h-2');
        expect(await store.getLink('h-2')).toEqual(link('h-2'));
        expect((await store.listAudit('R-LINK-0001')).map((e) => e.action)).toEqual(['step-requested']);
      });

      it('reads a referral with one of its steps (either may be missing)', async () => {
        const step = {
          referralId: 'R-0001',
          step: 'consent' as const,
          custodian: 2,
          linkHash: 'h',
          enteredAt: T0,
        };
        expect(await store.getReferralWithStep('R-0001', 'consent', 2)).toEqual({
          referral: undefined,
          step: undefined,
        });
        await store.createReferral(referral('R-0001'));
        expect(await store.getReferralWithStep('R-0001', 'consent', 2)).toEqual({
          referral: referral('R-0001'),
          step: undefined,
        });
        await store.putStep(step);
        expect(await store.getReferralWithStep('R-0001', 'consent', 2)).toEqual({
          referral: referral('R-0001'),
          step,
        });
        expect((await store.getReferralWithStep('R-0001', 'consent', 1)).step).toBeUndefined();
      });

      it('marks the email of a step sent, keeping the rest of the record', async () => {
        const step = {
          referralId: 'R-0001',
          step: 'screening' as const,
          linkHash: 'h',
          enteredAt: T0,
          entry: 'e1',
          emailKind: 'request',
        };
        await store.putStep(step);
        await store.markStepEmailSent('R-0001', 'screening', undefined, at(1));
        expect(await store.getStep('R-0001', 'screening')).toEqual({ ...step, emailSentAt: at(1) });
        await store.putStep({ ...step, step: 'consent', custodian: 2 });
        await store.markStepEmailSent('R-0001', 'consent', 2, at(2));
        expect((await store.getStep('R-0001', 'consent', 2))?.emailSentAt).toBe(at(2));
      });

      it('writes a step with the audit event that records it; written again, the step is replaced', async () => {
        const step = { referralId: 'R-0001', step: 'screening' as const, linkHash: 'h', enteredAt: T0 };
        const event = {
          referralId: 'R-0001',
          at: at(1),
          actor: { role: 'system' as const },
          action: 'step-requested' as const,
          phase: 'screening' as const,
          detail: { step: 'screening', recipientRole: 'coordinator' },
        };
        await store.putStep(step, event);
        expect(await store.getStep('R-0001', 'screening')).toEqual(step);
        expect(await store.listAudit('R-0001')).toEqual([event]);
        await store.putStep({ ...step, emailSentAt: at(2) }, { ...event, at: at(2) });
        expect(await store.getStep('R-0001', 'screening')).toEqual({ ...step, emailSentAt: at(2) });
        expect((await store.listAudit('R-0001')).map((e) => e.at)).toEqual([at(1), at(2)]);
      });
    });

    describe('custodians (recordCustodianConsent, clearCustodianConsent, setCustodianReminders)', () => {
      it('records an answer once; both custodians answering at once both count', async () => {
        await store.createReferral(referral('R-0001'));
        const [first, second] = await Promise.all([
          store.recordCustodianConsent('R-0001', 0, consent(1)),
          store.recordCustodianConsent('R-0001', 1, consent(2)),
        ]);
        expect([first, second]).toEqual([true, true]);
        expect(await store.recordCustodianConsent('R-0001', 0, { ...consent(3), given: false })).toBe(false);
        const r = (await store.getReferral('R-0001'))!;
        expect(r.custodians.map((c) => c.consent)).toEqual([consent(1), consent(2)]);
        expect([at(1), at(2)]).toContain(r.updatedAt);
        expect(r.custodians[0]!.name).toBe('Anna Andersson');
      });

      it('of five concurrent answers of one custodian exactly one is recorded', async () => {
        await store.createReferral(referral('R-0001'));
        const results = await all(5, (i) => store.recordCustodianConsent('R-0001', 0, consent(i)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.getReferral('R-0001'))!.custodians[0]!.consent).toEqual(
          consent(results.indexOf(true)),
        );
      });

      it('refuses an answer for a custodian or referral that does not exist', async () => {
        await store.createReferral(referral('R-0001', { custodians: [referral('x').custodians[0]!] }));
        expect(await store.recordCustodianConsent('R-0001', 1, consent(1))).toBe(false);
        expect(await store.recordCustodianConsent('R-NONE', 0, consent(1))).toBe(false);
        expect(await store.getReferral('R-NONE')).toBeUndefined();
        expect((await store.getReferral('R-0001'))!.custodians).toHaveLength(1);
      });

      it('takes an answer back, after which it can be given again; refuses a missing custodian', async () => {
        await store.createReferral(referral('R-0001'));
        await store.recordCustodianConsent('R-0001', 1, consent(1));
        await store.clearCustodianConsent('R-0001', 1);
        expect((await store.getReferral('R-0001'))!.custodians[1]).not.toHaveProperty('consent');
        expect(await store.recordCustodianConsent('R-0001', 1, consent(2))).toBe(true);
        await expectConditionFailure(store.clearCustodianConsent('R-0001', 2));
        await expectConditionFailure(store.clearCustodianConsent('R-NONE', 0));
      });

      it('sets a custodian reminder count; refuses a missing custodian', async () => {
        await store.createReferral(referral('R-0001'));
        await store.setCustodianReminders('R-0001', 1, 2);
        const r = (await store.getReferral('R-0001'))!;
        expect(r.custodians.map((c) => c.remindersSent)).toEqual([undefined, 2]);
        await expectConditionFailure(store.setCustodianReminders('R-0001', 2, 1));
        await expectConditionFailure(store.setCustodianReminders('R-NONE', 0, 1));
      });
    });

    describe('the home visit (recordHomeVisit)', () => {
      const visit = (minutes: number, outcome: 'done' | 'declined' = 'done') => ({
        offeredTimes: [at(100)],
        outcome,
        recordedAt: at(minutes),
        recordedBy: { role: 'group-leader' as const, name: 'Lea Ledare' },
      });

      it('records one outcome per wait: of five at once one wins; one from before `since` is replaced', async () => {
        await store.createReferral(referral('R-0001'));
        const results = await all(5, (i) => store.recordHomeVisit('R-0001', visit(i + 1), at(0)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const i = results.indexOf(true);
        const r = (await store.getReferral('R-0001'))!;
        expect(r.homeVisit).toEqual(visit(i + 1));
        expect(r.updatedAt).toBe(at(i + 1));
        expect(await store.recordHomeVisit('R-0001', visit(9, 'declined'), at(0))).toBe(false);
        // A later wait's link, made after that outcome: its answer is recorded.
        expect(await store.recordHomeVisit('R-0001', visit(20, 'declined'), at(10))).toBe(true);
        expect((await store.getReferral('R-0001'))!.homeVisit).toEqual(visit(20, 'declined'));
      });

      it('records where there is no outcome (times offered, or taken back); refuses a missing referral', async () => {
        await store.createReferral(referral('R-0001', { homeVisit: { offeredTimes: [at(100)] } }));
        expect(await store.recordHomeVisit('R-0001', visit(1), at(0))).toBe(true);
        await store.updateReferral('R-0001', { homeVisit: { offeredTimes: [at(100)] } });
        expect(await store.recordHomeVisit('R-0001', visit(2), at(0))).toBe(true);
        expect(await store.recordHomeVisit('R-NONE', visit(1), at(0))).toBe(false);
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });
    });

    describe('withdrawal (markWithdrawn)', () => {
      const withdrawal = (minutes: number) => ({
        at: at(minutes),
        by: { role: 'custodian' as const, name: 'Anna Andersson' },
        reason: `reason ${minutes}`,
      });

      it('is recorded once: of five at once one wins, and the referral carries it', async () => {
        await store.createReferral(referral('R-0001'));
        const results = await all(5, (i) => store.markWithdrawn('R-0001', withdrawal(i + 1)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const i = results.indexOf(true);
        const r = (await store.getReferral('R-0001'))!;
        expect(r.withdrawal).toEqual(withdrawal(i + 1));
        expect(r.updatedAt).toBe(at(i + 1));
        expect(await store.markWithdrawn('R-0001', withdrawal(9))).toBe(false);
      });

      it('is refused on a closed referral and on one that does not exist', async () => {
        await store.createReferral(referral('R-0001', { status: 'closed' }));
        expect(await store.markWithdrawn('R-0001', withdrawal(1))).toBe(false);
        expect(await store.getReferral('R-0001')).not.toHaveProperty('withdrawal');
        expect(await store.markWithdrawn('R-NONE', withdrawal(1))).toBe(false);
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });
    });

    describe('entering a phase (enterPhase)', () => {
      it('moves the phase and status (and the status index), and reads the referral back as it is after', async () => {
        await store.createReferral(referral('R-0001', { status: 'needs-attention', phase: 'consent' }));
        const after = await store.enterPhase('R-0001', 'group-assignment', at(5));
        expect(after).toEqual({
          ...referral('R-0001'),
          phase: 'group-assignment',
          status: 'active',
          updatedAt: at(5),
        });
        expect(await store.getReferral('R-0001')).toEqual(after);
        expect((await store.listReferralsByStatus('active')).map((r) => r.referralId)).toEqual(['R-0001']);
        // Where nothing moves, updatedAt stays.
        expect((await store.enterPhase('R-0001', 'group-assignment'))?.updatedAt).toBe(at(5));
      });

      it('leaves a withdrawn referral as it is and reads it; none stored: undefined', async () => {
        await store.createReferral(referral('R-0001'));
        const withdrawal = { at: at(1), by: { role: 'custodian' as const, name: 'Anna' }, reason: 'r' };
        await store.markWithdrawn('R-0001', withdrawal);
        const read = await store.enterPhase('R-0001', 'group-assignment', at(2));
        expect(read).toEqual({ ...referral('R-0001'), withdrawal, updatedAt: at(1) });
        expect(await store.getReferral('R-0001')).toEqual(read);
        expect(await store.enterPhase('R-NONE', 'group-assignment', at(2))).toBeUndefined();
        expect(await store.getReferral('R-NONE')).toBeUndefined();
      });
    });

    describe('the pool (putPoolEntry, removePoolEntry, listPool)', () => {
      const entry = (referralId: string, ageBand: string, minutes = 0) => ({
        referralId,
        ageBand,
        district: 'Farsta',
        waitingSince: at(minutes),
      });

      it('the first entry keeps its time; listed by age band then id (key order); one band; removal', async () => {
        await store.putPoolEntry(P, entry('R-0002', '10-12', 1));
        await store.putPoolEntry(P, entry('R-0002', '10-12', 9));
        await store.putPoolEntry(P, entry('R-0001', '7-9'));
        await store.putPoolEntry(P, entry('R-0003', '10-12', 2));
        await store.putPoolEntry(P, { ...entry('R-0004', '13-15'), needs: { noWeekdays: true } });
        await store.putPoolEntry('other', entry('R-0005', '10-12'));
        expect(await store.listPool(P)).toEqual([
          entry('R-0002', '10-12', 1),
          entry('R-0003', '10-12', 2),
          { ...entry('R-0004', '13-15'), needs: { noWeekdays: true } },
          entry('R-0001', '7-9'),
        ]);
        expect((await store.listPool(P, '10-12')).map((e) => e.referralId)).toEqual(['R-0002', 'R-0003']);
        await store.removePoolEntry(P, '10-12', 'R-0002');
        await store.removePoolEntry(P, '10-12', 'R-NONE');
        expect((await store.listPool(P, '10-12')).map((e) => e.referralId)).toEqual(['R-0003']);
        expect(await store.listPool('nobody')).toEqual([]);
      });

      it('putPoolEntry says whether the entry is new; the consent history keeps band and instant, no id', async () => {
        expect(await store.putPoolEntry(P, entry('R-0001', '10-12', 1))).toBe(true);
        expect(await store.putPoolEntry(P, entry('R-0001', '10-12', 9))).toBe(false);
        expect(await store.consentHistory(P)).toBeUndefined();
        await store.recordConsent(P, { ageBand: '10-12', at: at(1) });
        await store.recordConsent(P, { ageBand: '10-12', at: at(1) });
        await store.recordConsent(P, { ageBand: '13-15', at: at(5) });
        await store.recordConsent('other', { ageBand: '7-9', at: at(2) });
        const history = (await store.consentHistory(P))!;
        expect(history.since).toBe(at(1));
        expect(history.consents).toEqual([
          { ageBand: '10-12', at: at(1) },
          { ageBand: '10-12', at: at(1) },
          { ageBand: '13-15', at: at(5) },
        ]);
        // When recording began is an item of its own; the pool's Query never sees the history.
        const raw = await t.rawItem({ PK: `CONSENTS#${P}`, SK: 'SINCE' });
        expect(raw).toMatchObject({ since: at(1) });
        expect(await store.listPool(P)).toEqual([entry('R-0001', '10-12', 1)]);
      });

      it('sorts keys by their UTF-8 bytes, as DynamoDB does', async () => {
        // U+FF21 (3 bytes in UTF-8) sorts before U+1F600 (4 bytes), though not in UTF-16 code units.
        await store.putPoolEntry(P, entry('R-\u{1F600}', '10-12'));
        await store.putPoolEntry(P, entry('R-\uFF21', '10-12'));
        await store.putPoolEntry(P, entry('R-Ö', '10-12'));
        await store.putPoolEntry(P, entry('R-z', '10-12'));
        expect((await store.listPool(P, '10-12')).map((e) => e.referralId)).toEqual([
          'R-z',
          'R-Ö',
          'R-\uFF21',
          'R-\u{1F600}',
        ]);
      });
    });

    describe("an age band's proposal clock (getProposalClock, startProposalClock, updateProposalClock)", () => {
      const clock = (minutes: number) => ({ ageBand: '10-12', since: at(minutes) });

      it('starts once: a second start finds the first; beside the groups, never listed with them', async () => {
        expect(await store.getProposalClock(P, '10-12')).toBeUndefined();
        expect(await store.startProposalClock(P, clock(1))).toEqual(clock(1));
        // Two children's waits at the same moment: the one that came second gets the first one's clock.
        expect(await store.startProposalClock(P, clock(2))).toEqual(clock(1));
        expect(await store.getProposalClock(P, '10-12')).toEqual(clock(1));
        expect(await store.getProposalClock(P, '7-9')).toBeUndefined();
        expect(await store.getProposalClock('other', '10-12')).toBeUndefined();
        expect(await store.listGroups(P)).toEqual([]);
        expect(await t.rawItem({ PK: `PARTNERSHIP#${P}`, SK: 'PROPOSAL#10-12' })).toMatchObject({
          entity: 'proposal-clock',
          since: at(1),
        });
      });

      it('updates only the clock it names; a new clock replaces the one it names, and no other', async () => {
        await store.startProposalClock(P, clock(1));
        expect(await store.updateProposalClock(P, '10-12', at(1), { reminderLink: 'h1' })).toBe(true);
        const stopped = { at: at(5), shown: ['weekly:R-0001', 'weekly:R-0002'] };
        expect(await store.updateProposalClock(P, '10-12', at(1), { stopped })).toBe(true);
        // Both fields kept: an update sets its own fields only.
        expect(await store.getProposalClock(P, '10-12')).toEqual({
          ...clock(1),
          reminderLink: 'h1',
          stopped,
        });
        expect(await store.updateProposalClock(P, '10-12', at(0), { reminderLink: 'h2' })).toBe(false);
        expect(await store.updateProposalClock(P, '7-9', at(1), { reminderLink: 'h2' })).toBe(false);
        expect(await store.getProposalClock(P, '7-9')).toBeUndefined();

        // Replacing an older clock than the stored one changes nothing: the stored one is returned.
        expect(await store.startProposalClock(P, clock(9), at(0))).toMatchObject(clock(1));
        // The new clock takes the named one's place, with nothing of it left (no stop, no reminder link).
        expect(await store.startProposalClock(P, clock(9), at(1))).toEqual(clock(9));
        expect(await store.getProposalClock(P, '10-12')).toEqual(clock(9));
        expect(await store.updateProposalClock(P, '10-12', at(1), { reminderLink: 'h3' })).toBe(false);
      });
    });

    describe('attendance (recordAttendance, listAttendance)', () => {
      const record = (meeting: number, referralId: string, present: boolean) => ({
        groupId: 'g-a',
        meeting,
        referralId,
        present,
        at: at(meeting),
        recordedBy: 'Gunilla Gruppledare',
      });
      const entry = (r: ReturnType<typeof record>): AttendanceEntry => ({
        record: r,
        event: {
          referralId: r.referralId,
          at: r.at,
          actor: { role: 'group-leader', name: r.recordedBy },
          action: 'attendance-recorded',
          phase: 'sessions',
          detail: { meeting: String(r.meeting), present: String(r.present) },
        },
        onceKey: `attendance-${r.groupId}-${r.meeting}`,
      });

      it('one record per meeting and child (a repeat replaces it), by meeting number then child', async () => {
        const recordOne = (r: ReturnType<typeof record>) => store.recordAttendance([entry(r)]);
        await recordOne(record(10, 'R-0001', true));
        await recordOne(record(2, 'R-0002', true));
        await recordOne(record(2, 'R-0001', true));
        await recordOne(record(2, 'R-0001', false));
        await recordOne({ ...record(1, 'R-0001', true), groupId: 'g-b' });
        expect(await store.listAttendance('g-a')).toEqual([
          record(2, 'R-0001', false),
          record(2, 'R-0002', true),
          record(10, 'R-0001', true),
        ]);
        // Attendance and members share the group's partition without mixing.
        expect(await store.listGroupMembers('g-a')).toEqual([]);
      });

      it("writes each child's record with its timeline event, more than one request holds; a repeat replaces both", async () => {
        const children = Array.from({ length: 14 }, (_, i) => `R-${String(i).padStart(4, '0')}`);
        await store.recordAttendance(children.map((id) => entry(record(3, id, true))));
        expect(await store.listAttendance('g-a')).toEqual(children.map((id) => record(3, id, true)));
        for (const id of children)
          expect(await store.listAudit(id)).toEqual([entry(record(3, id, true)).event]);
        // The form sent again (the link was not yet used): the record and its event say the same.
        await store.recordAttendance([entry({ ...record(3, 'R-0001', false), at: at(4) })]);
        expect(await store.listAudit('R-0001')).toEqual([
          entry({ ...record(3, 'R-0001', false), at: at(4) }).event,
        ]);
        expect((await store.listAttendance('g-a')).find((a) => a.referralId === 'R-0001')?.present).toBe(
          false,
        );
      });
    });

    describe('evaluations (putEvaluation, listEvaluations)', () => {
      it('one answer per round and respondent: a second is refused and changes nothing', async () => {
        const answer = (round: 'first' | 'later', respondent: 'child' | 'carer', score: number) => ({
          round,
          respondent,
          scores: { q1: score },
          freeText: 'Bra',
          at: T0,
        });
        expect(await store.putEvaluation('R-0001', answer('later', 'child', 4))).toBe(true);
        expect(await store.putEvaluation('R-0001', answer('first', 'child', 3))).toBe(true);
        expect(await store.putEvaluation('R-0001', answer('first', 'carer', 5))).toBe(true);
        expect(await store.putEvaluation('R-0001', answer('first', 'child', 1))).toBe(false);
        const results = await all(4, (i) => store.putEvaluation('R-0002', answer('first', 'child', i + 1)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listEvaluations('R-0001')).toEqual([
          answer('first', 'carer', 5),
          answer('first', 'child', 3),
          answer('later', 'child', 4),
        ]);
      });

      it('getReferralWithAnswers reads the referral and its answers at once, as getReferral and listEvaluations read them', async () => {
        await store.createReferral(referral('R-0001'));
        const answer = (round: 'first' | 'later', respondent: 'child' | 'carer') => ({
          round,
          respondent,
          scores: { q1: 3 },
          at: T0,
        });
        expect(await store.getReferralWithAnswers('R-0001')).toEqual({
          referral: await store.getReferral('R-0001'),
          answers: [],
          notified: [],
        });
        await store.putEvaluation('R-0001', answer('later', 'carer'));
        await store.putEvaluation('R-0001', answer('first', 'child'));
        await store.putEvaluation('R-0001', answer('later', 'child'));
        await store.putEvaluation('R-0001', answer('first', 'carer'));
        const read = await store.getReferralWithAnswers('R-0001');
        expect(read.referral).toEqual(await store.getReferral('R-0001'));
        expect(read.answers).toEqual(await store.listEvaluations('R-0001'));
        expect(read.answers).toHaveLength(4);
        expect(await store.getReferralWithAnswers('R-0009')).toEqual({
          referral: undefined,
          answers: [],
          notified: [],
        });
        // Its notifications' markers too, as getReferralNotified reads them.
        await store.markNotificationSent('R-0001', 'closed');
        await store.appendAudit(
          { referralId: 'R-0001', at: T0, actor: { role: 'system' }, action: 'summary-sent' },
          'notify-follow-up-summary',
        );
        const asked = [
          { key: 'closed' },
          { key: 'follow-up-summary', auditOnceKey: 'notify-follow-up-summary' },
          { key: 'evaluation-later', auditOnceKey: 'notify-evaluation-later' },
        ];
        const withMarkers = await store.getReferralWithAnswers('R-0001', asked);
        expect(withMarkers.notified).toEqual([true, true, false]);
        expect(withMarkers.notified).toEqual((await store.getReferralNotified('R-0001', asked)).notified);
        expect(withMarkers.answers).toEqual(read.answers);
      });
    });

    describe('sessions (putSession, getSession, deleteSession)', () => {
      it('stores a session with a TTL at its expiry, replaces it, deletes it', async () => {
        const session = {
          email: 'k@bris.se',
          name: 'Karin Koordinator',
          role: 'coordinator' as const,
          expiresAt: at(480),
        };
        await store.putSession('s-1', session);
        expect(await store.getSession('s-1')).toEqual(session);
        expect((await t.rawItem({ PK: 'SESSION#s-1', SK: 'SESSION' }))?.[TIME_TO_LIVE_ATTRIBUTE]).toBe(
          epochSeconds(at(480)),
        );
        await store.putSession('s-1', { ...session, district: 'Farsta' });
        expect(await store.getSession('s-1')).toEqual({ ...session, district: 'Farsta' });
        await store.deleteSession('s-1');
        await store.deleteSession('s-none');
        expect(await store.getSession('s-1')).toBeUndefined();
      });
    });

    describe('links (putLink, getLink, bindLinkToken, useLink, reopenLink, setLinkStatus)', () => {
      it("stores a new link in one item, in its referral's links index; no TTL on a referral link", async () => {
        expect(await store.putLink(link('h-1'))).toEqual(link('h-1'));
        expect(await store.getLink('h-1')).toEqual(link('h-1'));
        expect(await store.getLink('h-none')).toBeUndefined();
        const raw = await t.rawItem({ PK: 'LINK#h-1', SK: 'LINK' });
        expect(raw).toMatchObject({ entity: 'link', GSI2PK: 'LINKS#R-LINK-0001', GSI2SK: 'h-1' });
        expect(raw).not.toHaveProperty(TIME_TO_LIVE_ATTRIBUTE);
        // Nothing under the referral: erasure finds the link through the index.
        expect(await store.rawReferralItems('R-LINK-0001')).toEqual([]);
      });

      it('a sign-in link expires from the table a day after the link', async () => {
        const signIn = link('h-s', {
          step: 'sign-in',
          referralId: 'staff',
          custodian: undefined,
          expiresAt: at(15),
        });
        await store.putLink(signIn);
        const ttl = epochSeconds(at(15)) + 24 * 3600;
        expect((await t.rawItem({ PK: 'LINK#h-s', SK: 'LINK' }))?.[TIME_TO_LIVE_ATTRIBUTE]).toBe(ttl);
      });

      it("listLinks reads a referral's links (by its links index) as stored, none of another referral's", async () => {
        await store.putLink(link('h-b'));
        await store.putLink(link('h-a'));
        await store.putLink(link('h-other', { referralId: 'R-LINK-0002' }));
        await store.setLinkStatus('h-b', 'superseded');
        const listed = await store.listLinks('R-LINK-0001');
        expect(listed.map((l) => l.linkHash).sort()).toEqual(['h-a', 'h-b']);
        expect(listed.find((l) => l.linkHash === 'h-b')).toEqual(link('h-b', { status: 'superseded' }));
        expect(await store.listLinks('R-LINK-none')).toEqual([]);
      });

      it("a pool claim is read with the pool's entries in one query, never as an entry, and removed", async () => {
        const claim = {
          groupId: 'g-10-12-abcdef',
          members: ['R-A', 'R-B'],
          until: '2030-01-01T00:10:00.000Z',
        };
        await store.putPoolClaim('p-claims', claim);
        expect(await store.listPool('p-claims')).toEqual([]);
        expect(await store.listPoolWithClaims('p-claims')).toEqual({ entries: [], claims: [claim] });
        // Alone: the claims, none of the entries beside them.
        await store.putPoolEntry('p-claims', {
          referralId: 'R-C',
          ageBand: '10-12',
          district: 'Farsta',
          waitingSince: '2030-01-01T00:00:00.000Z',
        });
        expect(await store.listPoolClaims('p-claims')).toEqual([claim]);
        await store.removePoolClaim('p-claims', claim.groupId);
        expect(await store.listPoolClaims('p-claims')).toEqual([]);
        expect((await store.listPoolWithClaims('p-claims')).claims).toEqual([]);
      });

      it('setLinkStatus onlyIfOpen closes an open link and leaves a used one used', async () => {
        await store.putLink(link('h-open'));
        await store.putLink(link('h-used'));
        expect(await store.useLink('h-used', '2020-01-01T00:00:00.000Z', 'approve')).toBe('ok');
        await store.setLinkStatus('h-open', 'closed', { onlyIfOpen: true });
        await store.setLinkStatus('h-used', 'closed', { onlyIfOpen: true });
        expect((await store.getLink('h-open'))?.status).toBe('closed');
        expect((await store.getLink('h-used'))?.status).toBe('used');
        // Without the option the status is set whatever it was.
        await store.setLinkStatus('h-used', 'closed');
        expect((await store.getLink('h-used'))?.status).toBe('closed');
      });

      it('getLinks reads several in the order asked, undefined for one not stored, more than a request holds', async () => {
        const hashes = Array.from({ length: 130 }, (_, i) => `h-${String(i).padStart(4, '0')}`);
        for (const h of hashes.filter((_, i) => i % 3 !== 1)) await store.putLink(link(h));
        await store.setLinkStatus('h-0000', 'closed');
        const asked = [...hashes].reverse().concat('h-0000', 'h-none');
        const read = await store.getLinks(asked);
        expect(read).toHaveLength(asked.length);
        asked.forEach((h, i) => {
          const n = Number(h.slice(2));
          const stored = h !== 'h-none' && n % 3 !== 1;
          expect(read[i], h).toEqual(stored ? link(h, n === 0 ? { status: 'closed' } : {}) : undefined);
        });
        expect(await store.getLinks([])).toEqual([]);
      });

      it('putting a link again returns the stored one unchanged: a used link is not reopened', async () => {
        await store.putLink(link('h-1'));
        expect(await store.useLink('h-1', at(1), 'approve')).toBe('ok');
        const again = await store.putLink(link('h-1', { expiresAt: at(999) }));
        expect(again).toEqual({ ...link('h-1'), status: 'used', usedAt: at(1), usedAction: 'approve' });
        expect(await store.getLink('h-1')).toEqual(again);
      });

      it('of ten concurrent uses exactly one is ok; the rest are not-open; the use is recorded', async () => {
        await store.putLink(link('h-1'));
        const results = await all(10, (i) => store.useLink('h-1', at(1), `action-${i}`));
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        expect(results.filter((r) => r === 'not-open')).toHaveLength(9);
        expect(await store.getLink('h-1')).toMatchObject({
          status: 'used',
          usedAt: at(1),
          usedAction: `action-${results.indexOf('ok')}`,
        });
      });

      it('putUsedLink: stored used when absent; of concurrent puts one is ok; a used link is refused', async () => {
        const inbox = link('h-inbox', { referralId: 'R-LINK-0002', step: 'group-proposal', ageBand: '7-9' });
        const results = await all(5, (i) => store.putUsedLink(inbox, at(1), `confirm:g-${i}`));
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        expect(results.filter((r) => r === 'not-open')).toHaveLength(4);
        expect(await store.getLink('h-inbox')).toEqual({
          ...inbox,
          status: 'used',
          usedAt: at(1),
          usedAction: `confirm:g-${results.indexOf('ok')}`,
        });
        expect(await store.putUsedLink(inbox, at(2), 'postpone')).toBe('not-open');
        // In its referral's links index, as putLink stores a link: erasure finds it.
        expect((await store.listLinks('R-LINK-0002')).map((l) => l.linkHash)).toEqual(['h-inbox']);
        // A stored link still open is used as useLink uses it, an expired one refused.
        await store.putLink(link('h-open', { expiresAt: at(60) }));
        expect(await store.putUsedLink(link('h-open'), at(60), 'approve')).toBe('expired');
        expect(await store.putUsedLink(link('h-open'), at(59), 'approve')).toBe('ok');
        expect(await store.getLink('h-open')).toMatchObject({ status: 'used', usedAction: 'approve' });
      });

      it('a link is expired at its expiry instant; an unknown link is not-open', async () => {
        await store.putLink(link('h-1', { expiresAt: at(60) }));
        expect(await store.useLink('h-1', at(60), 'approve')).toBe('expired');
        expect(await store.useLink('h-1', at(61), 'approve')).toBe('expired');
        expect((await store.getLink('h-1'))?.status).toBe('open');
        expect(await store.useLink('h-none', at(1), 'approve')).toBe('not-open');
        expect(await store.useLink('h-1', at(59), 'approve')).toBe('ok');
      });

      it('binds a task token to an open link only', async () => {
        await store.putLink(link('h-1'));
        expect(await store.bindLinkToken('h-1', 'token-1')).toBe(true);
        expect((await store.getLink('h-1'))?.taskToken).toBe('token-1');
        await store.useLink('h-1', at(1), 'approve');
        expect(await store.bindLinkToken('h-1', 'token-2')).toBe(false);
        expect((await store.getLink('h-1'))?.taskToken).toBe('token-1');
        expect(await store.bindLinkToken('h-none', 'token-1')).toBe(false);
        expect(await store.getLink('h-none')).toBeUndefined();
      });

      it('reopens a used link (forgetting the use), and only a used one', async () => {
        await store.putLink(link('h-1'));
        await expectConditionFailure(store.reopenLink('h-1'));
        await store.useLink('h-1', at(1), 'approve');
        await store.reopenLink('h-1');
        expect(await store.getLink('h-1')).toEqual(link('h-1'));
        expect(await store.useLink('h-1', at(2), 'decline')).toBe('ok');
        await store.setLinkStatus('h-1', 'closed');
        await expectConditionFailure(store.reopenLink('h-1'));
        await expectConditionFailure(store.reopenLink('h-none'));
      });

      it('a use with its redemption records the event: the audit trail shows it while used, not once given back or closed', async () => {
        const redemption = {
          at: at(1),
          actor: { role: 'custodian' as const, name: 'Anna Andersson' },
          phase: 'consent' as const,
          detail: { step: 'consent', outcome: 'consent', custodian: '1' },
        };
        const event = { referralId: 'R-LINK-0001', action: 'link-redeemed', ...redemption };
        await store.putLink(link('h-1'));
        await store.putLink(link('h-2'));
        await store.appendAudit({ ...event, at: at(2), action: 'consent-given', detail: {} });
        // Of two uses at once, only the winner's event is recorded.
        const results = await Promise.all([
          store.useLink('h-1', at(1), 'consent', redemption),
          store.useLink('h-1', at(1), 'decline', { ...redemption, detail: { outcome: 'decline' } }),
        ]);
        expect([...results].sort()).toEqual(['not-open', 'ok']);
        expect(await store.useLink('h-2', at(1), 'resumed')).toBe('ok');
        expect((await store.listAudit('R-LINK-0001')).map((e) => [e.action, e.at])).toEqual([
          ['link-redeemed', at(1)],
          ['consent-given', at(2)],
        ]);
        const recorded = (await store.listAudit('R-LINK-0001'))[0]!;
        expect(recorded).toEqual(results[0] === 'ok' ? event : { ...event, detail: { outcome: 'decline' } });
        await store.reopenLink('h-1');
        expect((await store.getLink('h-1'))?.redemption).toBeUndefined();
        expect((await store.listAudit('R-LINK-0001')).map((e) => e.action)).toEqual(['consent-given']);
        await store.useLink('h-1', at(3), 'consent', redemption);
        await store.setLinkStatus('h-1', 'closed');
        expect((await store.listAudit('R-LINK-0001')).map((e) => e.action)).toEqual(['consent-given']);
      });

      it('a superseded or closed link can be neither used nor bound', async () => {
        await store.putLink(link('h-1'));
        await store.putLink(link('h-2'));
        await store.setLinkStatus('h-1', 'superseded');
        await store.setLinkStatus('h-2', 'closed');
        for (const h of ['h-1', 'h-2']) {
          expect(await store.useLink(h, at(1), 'approve')).toBe('not-open');
          expect(await store.bindLinkToken(h, 'token')).toBe(false);
        }
        expect(await store.getLink('h-1')).toEqual(link('h-1', { status: 'superseded' }));
      });

      it('returns copies', async () => {
        const given = link('h-1');
        const returned = await store.putLink(given);
        returned.recipient.name = 'changed';
        given.recipient.email = 'changed@example.se';
        (await store.getLink('h-1'))!.recipient.language = 'en';
        expect(await store.getLink('h-1')).toEqual(link('h-1'));
      });
    });

    describe('the audit trail (appendAudit, listAudit, appendLinkAudit, listLinkAudit)', () => {
      it('lists in time order; events of one instant in the order written', async () => {
        await store.appendAudit(event('R-0001', 5, 'late'));
        await store.appendAudit(event('R-0001', 1, 'early'));
        for (const action of ['same-1', 'same-2', 'same-3', 'same-4'])
          await store.appendAudit(event('R-0001', 3, action));
        await store.appendAudit(event('R-0002', 2, 'other referral'));
        expect((await store.listAudit('R-0001')).map((e) => e.action)).toEqual([
          'early',
          'same-1',
          'same-2',
          'same-3',
          'same-4',
          'late',
        ]);
        expect(await store.listAudit('R-0002')).toEqual([event('R-0002', 2, 'other referral')]);
      });

      it('an event with a once-key is recorded once, the first write standing, in time order', async () => {
        await store.appendAudit(event('R-0001', 2, 'consent-given'), 'consent#1');
        await store.appendAudit(event('R-0001', 4, 'consent-given again'), 'consent#1');
        await all(5, (i) => store.appendAudit(event('R-0001', 1 + i, 'closed'), 'closed'));
        await store.appendAudit(event('R-0001', 3, 'plain'));
        const listed = await store.listAudit('R-0001');
        expect(listed.filter((e) => e.action.startsWith('consent-given'))).toEqual([
          event('R-0001', 2, 'consent-given'),
        ]);
        expect(listed.filter((e) => (e.action as string) === 'closed')).toHaveLength(1);
        expect(listed.map((e) => e.at)).toEqual([...listed.map((e) => e.at)].sort());
        expect(await t.rawItem({ PK: 'REFERRAL#R-0001', SK: 'AUDIT#once#consent#1' })).toMatchObject({
          action: 'consent-given',
          entity: 'audit',
        });
      });

      it('once-keyed events recorded together: each once, a repeat writing its own copy over it', async () => {
        const events = (minute: number) => [
          { event: event('R-0001', minute, 'referral-submitted'), onceKey: 'submitted' },
          { event: event('R-0001', minute, 'child-wish-recorded'), onceKey: 'submitted-child-wish' },
        ];
        await store.recordEvents(events(2));
        await store.recordEvents(events(3));
        await store.appendAudit(event('R-0001', 1, 'earlier'));
        expect(await store.listAudit('R-0001')).toEqual([
          event('R-0001', 1, 'earlier'),
          event('R-0001', 3, 'referral-submitted'),
          event('R-0001', 3, 'child-wish-recorded'),
        ]);
        expect(await t.rawItem({ PK: 'REFERRAL#R-0001', SK: 'AUDIT#once#submitted' })).toMatchObject({
          action: 'referral-submitted',
          entity: 'audit',
        });
      });

      it('refused link redemptions by UTC day, in time order', async () => {
        const refused = (when: string) => ({
          at: when,
          actor: { role: 'unknown' as const },
          action: 'link-redeemed' as const,
          linkHashPrefix: 'abcd',
        });
        await store.appendLinkAudit(refused('2026-11-23T23:59:59.000Z'));
        await store.appendLinkAudit(refused('2026-11-23T00:00:00.000Z'));
        await store.appendLinkAudit(refused('2026-11-24T00:00:00.000Z'));
        expect(await store.listLinkAudit('2026-11-23')).toEqual([
          refused('2026-11-23T00:00:00.000Z'),
          refused('2026-11-23T23:59:59.000Z'),
        ]);
        expect(await store.listLinkAudit('2026-11-22')).toEqual([]);
      });
    });

    describe('erasure (rawReferralItems, eraseReferral)', () => {
      async function fullReferral(id: string) {
        await store.createReferral(referral(id, { createdAt: at(1) }));
        await store.putStep({
          referralId: id,
          step: 'consent',
          custodian: 1,
          linkHash: `${id}-h1`,
          enteredAt: T0,
        });
        await store.putLink(link(`${id}-h1`, { referralId: id }));
        await store.putLink(link(`${id}-h2`, { referralId: id, step: 'withdrawal' }));
        await store.claimNotification(id, 'consent-request', T0);
        await store.putEvaluation(id, {
          round: 'first',
          respondent: 'child',
          scores: { q1: 4 },
          freeText: 'Jag tyckte om det',
          at: T0,
        });
        await store.putGroup(group('g-a'));
        await store.joinGroup(P, 'g-a', id, T0);
        await store.appendAudit(
          event(id, 2, 'consent-given', {
            phase: 'consent',
            detail: { custodian: '1', comment: 'Anna skrev något', step: 'consent' },
          }),
        );
        await store.appendAudit(event(id, 3, 'closed', { actor: { role: 'system' } }), 'closed');
      }

      it('lists every item under the referral key, raw, in key order', async () => {
        await fullReferral('R-0001');
        const raw = await store.rawReferralItems('R-0001');
        const sks = raw.map((i) => String(i.SK));
        expect(sks).toEqual([...sks].sort());
        expect(sks.map((sk) => sk.split('#')[0])).toEqual([
          'AUDIT',
          'AUDIT',
          'EVALUATION',
          'NOTIFY',
          'PLACEMENT',
          'REFERRAL',
          'STEP',
        ]);
        expect(raw.every((i) => i.PK === 'REFERRAL#R-0001' && typeof i.entity === 'string')).toBe(true);
      });

      it('makes the anonymised record from the referral and answers it reads, once; none stored: nothing written', async () => {
        await fullReferral('R-0001');
        const seen: { referral: Referral; answers: EvaluationAnswer[] }[] = [];
        const anonymise = async (r: Referral, answers: EvaluationAnswer[]) => {
          seen.push({ referral: r, answers });
          return anonymised('R-0001');
        };
        const before = await store.getReferral('R-0001');
        const answers = await store.listEvaluations('R-0001');
        expect(await store.eraseReferral('R-0001', anonymise)).toBe('erased');
        expect(seen).toEqual([{ referral: before, answers }]);
        expect(await store.getReferral('R-0001')).toEqual({ ...anonymised('R-0001'), status: 'erased' });
        expect(await store.listEvaluations('R-0001')).toEqual([]);
        // Erased already: finished as it is, the record not made again.
        expect(await store.eraseReferral('R-0001', anonymise)).toBe('was-erased');
        expect(seen).toHaveLength(1);
        expect(await store.eraseReferral('R-NONE', anonymise)).toBe('no-referral');
        expect(await store.rawReferralItems('R-NONE')).toEqual([]);
      });

      it('replaces the referral with its anonymised record and removes or scrubs everything personal', async () => {
        await fullReferral('R-0001');
        await fullReferral('R-0002');
        await store.eraseReferral('R-0001', anonymised('R-0001'));

        expect(await store.getReferral('R-0001')).toEqual({ ...anonymised('R-0001'), status: 'erased' });
        expect((await store.listReferralsByStatus('erased')).map((r) => r.referralId)).toEqual(['R-0001']);
        expect((await store.listReferralsByStatus('active')).map((r) => r.referralId)).toEqual(['R-0002']);
        // Still counted in its district by its creation time.
        expect((await store.listReferralsByDistrict('Farsta')).map((r) => r.referralId).sort()).toEqual([
          'R-0001',
          'R-0002',
        ]);

        expect(await store.getLink('R-0001-h1')).toBeUndefined();
        expect(await store.getLink('R-0001-h2')).toBeUndefined();
        expect(await store.listSteps('R-0001')).toEqual([]);
        expect(await store.listEvaluations('R-0001')).toEqual([]);
        const left = (await store.rawReferralItems('R-0001')).map((i) => String(i.SK).split('#')[0]);
        expect(left).toEqual(['AUDIT', 'AUDIT', 'REFERRAL']);
        expect(await store.claimNotification('R-0001', 'consent-request', at(9))).toMatchObject({
          claimed: true,
        });

        expect(await store.listAudit('R-0001')).toEqual([
          {
            ...event('R-0001', 2, 'consent-given', { phase: 'consent' }),
            actor: { role: 'custodian' },
            detail: { custodian: '1', step: 'consent' },
          },
          { ...event('R-0001', 3, 'closed'), actor: { role: 'system' }, detail: {} },
        ]);
        // The other referral is untouched.
        expect(await store.getLink('R-0002-h1')).toEqual(link('R-0002-h1', { referralId: 'R-0002' }));
        expect(await store.listSteps('R-0002')).toHaveLength(1);
        expect((await store.listAudit('R-0002'))[0]?.detail).toHaveProperty('comment');
      });

      it("keeps a used link's redemption event, role-only, once the link is gone (a second run writes it once)", async () => {
        await fullReferral('R-0001');
        const redemption = {
          at: at(1),
          actor: { role: 'custodian' as const, name: 'Anna Andersson' },
          phase: 'consent' as const,
          detail: { step: 'consent', outcome: 'consent', custodian: '1', comment: 'Anna skrev' },
        };
        expect(await store.useLink('R-0001-h1', at(1), 'consent', redemption)).toBe('ok');
        const kept = {
          referralId: 'R-0001',
          at: at(1),
          actor: { role: 'custodian' },
          action: 'link-redeemed',
          phase: 'consent',
          detail: { step: 'consent', outcome: 'consent', custodian: '1' },
        };
        await store.eraseReferral('R-0001', anonymised('R-0001'));
        expect(await store.getLink('R-0001-h1')).toBeUndefined();
        expect((await store.listAudit('R-0001')).map((e) => e.action)).toEqual([
          'link-redeemed',
          'consent-given',
          'closed',
        ]);
        expect((await store.listAudit('R-0001'))[0]).toEqual(kept);
        await store.eraseReferral('R-0001');
        expect((await store.listAudit('R-0001')).filter((e) => e.action === 'link-redeemed')).toEqual([kept]);
      });

      it('deletes links written before the links index through their references under the referral', async () => {
        await fullReferral('R-0001');
        await t.putRawItem({
          ...link('R-0001-old', { referralId: 'R-0001' }),
          PK: 'LINK#R-0001-old',
          SK: 'LINK',
          entity: 'link',
        });
        await t.putRawItem({
          PK: 'REFERRAL#R-0001',
          SK: 'LINKREF#R-0001-old',
          entity: 'link-ref',
          linkHash: 'R-0001-old',
        });
        expect(await store.getLink('R-0001-old')).toBeDefined();
        await store.eraseReferral('R-0001', anonymised('R-0001'));
        expect(await store.getLink('R-0001-old')).toBeUndefined();
        expect(await store.getLink('R-0001-h1')).toBeUndefined();
        const left = (await store.rawReferralItems('R-0001')).map((i) => String(i.SK).split('#')[0]);
        expect(left).toEqual(['AUDIT', 'AUDIT', 'REFERRAL']);
      });

      it('finishes an erasure left part-done, keeping the anonymised record as it is; refuses to start one without it', async () => {
        await fullReferral('R-0001');
        await store.eraseReferral('R-0001', anonymised('R-0001'));
        // What a run cut off before its last writes leaves beside the record: a step and a link.
        await store.putStep({
          referralId: 'R-0001',
          step: 'screening',
          linkHash: 'R-0001-h3',
          enteredAt: T0,
        });
        await store.putLink(link('R-0001-h3', { referralId: 'R-0001', step: 'screening' }));

        await store.eraseReferral('R-0001');

        expect(await store.getReferral('R-0001')).toEqual({ ...anonymised('R-0001'), status: 'erased' });
        expect(await store.getLink('R-0001-h3')).toBeUndefined();
        const left = (await store.rawReferralItems('R-0001')).map((i) => String(i.SK).split('#')[0]);
        expect(left).toEqual(['AUDIT', 'AUDIT', 'REFERRAL']);

        await fullReferral('R-0002');
        await expect(store.eraseReferral('R-0002')).rejects.toThrow(/not erased yet/);
        expect((await store.getReferral('R-0002'))?.status).toBe('active');
        expect(await store.listSteps('R-0002')).toHaveLength(1);
      });
    });

    describe('due erasures (putDueErasure, listDueErasures, removeDueErasure)', () => {
      const due = (referralId: string, minutes: number) => ({ referralId, eraseAt: at(minutes) });

      it('lists what is due by an instant (inclusive), earliest first; a repeat is the same record', async () => {
        await store.putDueErasure(due('R-0003', 3));
        await store.putDueErasure(due('R-0001', 1));
        await store.putDueErasure(due('R-0002', 3));
        await store.putDueErasure(due('R-0001', 1));
        await store.putDueErasure(due('R-0004', 4));
        expect(await store.listDueErasures(at(3), { limit: 10 })).toEqual([
          due('R-0001', 1),
          due('R-0002', 3),
          due('R-0003', 3),
        ]);
        expect(await store.listDueErasures(at(0), { limit: 10 })).toEqual([]);
        const raw = await t.rawItem({ PK: 'ERASURE', SK: `${at(1)}#R-0001` });
        expect(raw).toEqual({
          PK: 'ERASURE',
          SK: `${at(1)}#R-0001`,
          entity: 'due-erasure',
          referralId: 'R-0001',
          eraseAt: at(1),
        });
      });

      it("with `leavesPool`: the same record, and the referral out of its band's pool, repeatably", async () => {
        const waiting = { referralId: 'R-0001', ageBand: '7-9', district: 'Farsta', waitingSince: at(0) };
        await store.putPoolEntry(P, waiting);
        await store.putPoolEntry(P, { ...waiting, referralId: 'R-0002' });
        await store.putDueErasure(due('R-0001', 1), { partnershipId: P, ageBand: '7-9' });
        await store.putDueErasure(due('R-0001', 1), { partnershipId: P, ageBand: '7-9' });
        expect(await store.listDueErasures(at(1), { limit: 10 })).toEqual([due('R-0001', 1)]);
        expect((await store.listPool(P)).map((e) => e.referralId)).toEqual(['R-0002']);
      });

      it('pages: each one once, in order, continuing after the last even when it was removed', async () => {
        const expected = Array.from({ length: 7 }, (_, i) => due(`R-${i}`, i));
        for (const d of [...expected].reverse()) await store.putDueErasure(d);
        const seen: { referralId: string; eraseAt: string }[] = [];
        let page = await store.listDueErasures(at(100), { limit: 3 });
        while (page.length > 0) {
          expect(page.length).toBeLessThanOrEqual(3);
          seen.push(...page);
          // Erasing what was listed, as the sweep does, before asking for the next page.
          for (const d of page) await store.removeDueErasure(d);
          page = await store.listDueErasures(at(100), { limit: 3, after: page[page.length - 1] });
        }
        expect(seen).toEqual(expected);
        expect(await store.listDueErasures(at(100), { limit: 10 })).toEqual([]);
        await store.removeDueErasure(due('R-NONE', 1));
      });

      it('a page after an instant that is still recorded starts after it', async () => {
        for (const d of [due('R-0001', 1), due('R-0002', 2), due('R-0003', 3)]) await store.putDueErasure(d);
        expect(await store.listDueErasures(at(3), { limit: 5, after: due('R-0001', 1) })).toEqual([
          due('R-0002', 2),
          due('R-0003', 3),
        ]);
        expect(await store.listDueErasures(at(3), { limit: 1, after: due('R-0000', 2) })).toEqual([
          due('R-0002', 2),
        ]);
      });
    });
  });
}
