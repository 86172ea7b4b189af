/**
 * Attendance's timing policy as use cases, on the in-memory store (which passes the DynamoDB store's
 * contract) with a clock the test moves: milliseconds, no state machine. The leader asked after a
 * meeting is reminded on days 1 and 3 with a fresh link, the coordinator is told on day 5 (no child named),
 * and on day 10 the link closes and each member's timeline says attendance was not recorded. The
 * coordinator acting from the inbox is the link's action, after which the leader's link is refused.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashLinkToken, KeyedLinkTokens } from '../../functions/adapters/link-tokens';
import {
  DEFAULT_STEP_TIMING,
  PARTNERSHIP_LIMITS as L,
  partnershipProblems,
  partnershipSchema,
  type Group,
} from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { linksIn } from '../../infra/local/mailbox';
import { attendanceClock } from '../../functions/phases/groups/attendance-clock';
import { redeemAttendanceLink } from '../../functions/phases/groups/group-links';
import { requestAttendance } from '../../functions/phases/groups/groups';
import { actOnStep, listTasks } from '../../functions/phases/staff/tasks';
import type { Dependencies, EmailMessage, StaffSession } from '../../functions/ports';
import { describeDetail, actionLabel } from '../../functions/web/audit-labels';
import { GROUP_TIMING_BOUNDS, LOOP_LIMITS } from '../../workflows/execution-bounds';
import { GROUP_STATES as G } from '../../workflows/group-states';
import { MemoryReferralStore } from '../fakes/memory-store';

const DAY = 86_400_000;
/** Meeting 1 ends at START: the group workflow asks the leader then. */
const START = Date.parse('2027-03-02T18:00:00Z');
const GROUP_ID = 'g-7-9-a1b2c3';
const LEADER = { name: 'Lea Ledare', email: 'ledare@bris.example' };
const COORDINATOR = 'samordnare@bris.example';
const partnershipFile = JSON.parse(
  readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8'),
);

const child = (n: number, firstName: string): Referral => ({
  referralId: `R-ATTE-000${n}`,
  partnershipId: 'stockholm-bris',
  district: 'Bromma',
  createdAt: new Date(START - 60 * DAY).toISOString(),
  updatedAt: new Date(START - 60 * DAY).toISOString(),
  phase: 'sessions',
  status: 'active',
  child: {
    firstName,
    birthDate: '2019-01-12',
    ageAtReferral: 8,
    ageBand: '7-9',
    protectedIdentity: false,
  },
  identityHash: String(n).repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@bromma.example' },
  custodians: [{ number: 1, name: 'Vera', email: `vera${n}@example.org`, language: 'sv' }],
  carer: { name: 'Fia', email: `fia${n}@example.org` },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START - 60 * DAY).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
  group: { groupId: GROUP_ID, name: 'Veckogrupp Bromma 7-9 år' },
  // In the group: the leader's home visit confirmed the seat (attendance is for confirmed seats).
  homeVisit: { outcome: 'done', recordedAt: new Date(START - 20 * DAY).toISOString() },
});
const MEMBERS = [child(1, 'Alva'), child(2, 'Bruno')];

const group: Group = {
  partnershipId: 'stockholm-bris',
  groupId: GROUP_ID,
  name: 'Veckogrupp Bromma 7-9 år, start 2027-03-02',
  format: 'weekly',
  ageBand: '7-9',
  status: 'forming',
  capacity: 8,
  memberCount: 0,
  meetings: [1, 2].map((index) => ({
    index,
    kind: 'weekly' as const,
    startsAt: new Date(START - 2 * 3_600_000 + (index - 1) * 7 * DAY).toISOString(),
    endsAt: new Date(START + (index - 1) * 7 * DAY).toISOString(),
  })),
  leader: LEADER,
};

async function setUp() {
  const store = new MemoryReferralStore();
  await store.putPartnership(partnershipSchema.parse(partnershipFile));
  await store.putGroup(group);
  for (const r of MEMBERS) {
    await store.createReferral(r);
    await store.joinGroup('stockholm-bris', GROUP_ID, r.referralId, new Date(START - 30 * DAY).toISOString());
  }
  await store.updateGroup('stockholm-bris', GROUP_ID, { status: 'running' });
  let now = START;
  const sent: EmailMessage[] = [];
  const callbacks: string[] = [];
  const clock = { now: () => new Date(now) };
  const deps = {
    config: {
      publicBaseUrl: 'https://stodgrupper.example',
      linkTtlDays: 14,
      partnershipId: 'stockholm-bris',
    },
    store,
    email: { send: async (m: EmailMessage) => void sent.push(m) },
    workflow: {
      sendTaskSuccess: async (t: string) => void callbacks.push(`success ${t}`),
      sendTaskFailure: async (t: string, e: string) => void callbacks.push(`failure ${t} ${e}`),
    },
    clock,
    wallClock: clock,
    identity: { hash: async (s: string) => s },
    linkTokens: new KeyedLinkTokens(async () => 'test-secret'),
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {}, flush() {} },
  } as unknown as Dependencies;
  const clockOf = (op: 'schedule' | 'elapsed') =>
    attendanceClock({ groupId: GROUP_ID, meeting: 1, op }, deps);
  /** The link an email carries, as the link engine finds it: by the hash of its token. */
  const linkOf = async (m: EmailMessage) => {
    const token = new URL(linksIn(m)[0]!).pathname.split('/').pop()!;
    return (await store.getLink(hashLinkToken(token)))!;
  };
  return { deps, store, sent, callbacks, clockOf, linkOf, at: (days: number) => (now = START + days * DAY) };
}

const coordinator: StaffSession = {
  email: COORDINATOR,
  name: 'Samordnare Bris',
  role: 'coordinator',
  expiresAt: '2099-01-01T00:00:00Z',
};
const allPresent = {
  action: 'record',
  ...Object.fromEntries(MEMBERS.map((m) => [`present-${m.referralId}`, 'present'])),
};

describe("a meeting's attendance clock (defaults: reminders days 1 and 3, coordinator day 5, deadline day 10)", () => {
  it('waits until each event in turn, and never past the deadline', async () => {
    const { deps, at, clockOf } = await setUp();
    expect(await clockOf('schedule')).toEqual({ seconds: DAY / 1000, due: 'reminder' });
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't1' }, deps);
    at(1);
    await clockOf('elapsed');
    expect(await clockOf('schedule')).toEqual({ seconds: (2 * DAY) / 1000, due: 'reminder' });
    at(4);
    expect(await clockOf('schedule')).toEqual({ seconds: DAY / 1000, due: 'escalation' });
    at(9.5);
    expect(await clockOf('schedule')).toEqual({ seconds: DAY / 2000, due: 'deadline' });
    at(30);
    expect(await clockOf('schedule')).toEqual({ seconds: 1, due: 'deadline' });
  });

  it('a silent leader: reminded twice with a fresh link, the coordinator told, and at the deadline every member\'s timeline says "not recorded"', async () => {
    const { deps, store, sent, at, clockOf, linkOf } = await setUp();
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't1' }, deps);
    expect(sent.map((m) => [m.template, m.to])).toEqual([['attendance-request', LEADER.email]]);
    at(1);
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: false });
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: false }); // run twice: one email
    expect(sent.map((m) => [m.template, m.to])).toEqual([
      ['attendance-request', LEADER.email],
      ['attendance-request-reminder', LEADER.email],
    ]);
    expect(sent[1]!.subject).toBe(`Påminnelse: Närvaro träff 1: ${group.name}`);
    // The reminder's link replaces the request's.
    expect((await linkOf(sent[0]!)).status).toBe('superseded');
    expect((await linkOf(sent[1]!)).status).toBe('open');
    at(3);
    await clockOf('elapsed');
    at(5);
    await clockOf('elapsed');
    expect(sent.slice(2).map((m) => [m.template, m.to])).toEqual([
      ['attendance-request-reminder', LEADER.email],
      ['attendance-overdue', COORDINATOR],
    ]);
    const overdue = sent[3]!;
    expect(overdue.subject).toBe(`Försenat: närvaro för träff 1 i ${group.name}`);
    expect(overdue.text).toContain('https://stodgrupper.example/staff/tasks');
    expect(linksIn(overdue)).toEqual([]); // a page behind sign-in, no capability
    for (const m of MEMBERS) {
      expect(overdue.text).not.toContain(m.child.firstName);
      expect(overdue.text).not.toContain(m.referralId);
    }
    // In the coordinator's inbox, overdue since the escalation.
    const [task] = await listTasks(coordinator, deps);
    expect(task).toMatchObject({
      kind: 'attendance',
      reference: group.name,
      dueAt: new Date(START + 5 * DAY).toISOString(),
      overdue: true,
    });
    at(10);
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: true });
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: true }); // run twice: recorded once
    expect(sent).toHaveLength(4);
    expect((await linkOf(sent[2]!)).status).toBe('closed');
    expect(await listTasks(coordinator, deps)).toEqual([]);
    for (const m of MEMBERS) {
      const events = (await store.listAudit(m.referralId)).filter(
        (e) => e.action === 'attendance-not-recorded',
      );
      expect(events).toHaveLength(1);
      expect(actionLabel(events[0]!.action, 'sv')).toBe(
        'Närvaron registrerades inte i tid; gruppen fortsatte',
      );
      expect(describeDetail(events[0]!, 'sv')).toEqual(['träff 1']);
    }
    const groupEvents = (await store.listAudit(GROUP_ID)).map((e) => e.action);
    expect(groupEvents.filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
    expect(groupEvents.filter((a) => a === 'step-escalated')).toHaveLength(1);
    expect(groupEvents.filter((a) => a === 'step-deadline-passed')).toHaveLength(1);
    // The closed link no longer records anything.
    expect(await redeemAttendanceLink(await linkOf(sent[2]!), allPresent, deps)).toMatchObject({
      kind: 'refused',
      reason: 'closed',
    });
  });

  it("the coordinator records it from the inbox: the wait resumes, the leader's reminder link is refused, nothing more is sent", async () => {
    const { deps, store, sent, callbacks, at, clockOf, linkOf } = await setUp();
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't1' }, deps);
    at(3);
    await clockOf('elapsed'); // both reminders are due: one email each
    expect(sent.map((m) => m.template)).toEqual([
      'attendance-request',
      'attendance-request-reminder',
      'attendance-request-reminder',
    ]);
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't2' }, deps); // the next wait
    const [task] = await listTasks(coordinator, deps);
    expect(task!.href).toBe(`/staff/tasks/step/${GROUP_ID}/attendance-1`);
    const missing = await actOnStep(coordinator, GROUP_ID, 'attendance-1', { action: 'record' }, deps);
    expect(missing).toMatchObject({ kind: 'group', result: { status: 400 } });
    const done = await actOnStep(coordinator, GROUP_ID, 'attendance-1', allPresent, deps);
    expect(done).toMatchObject({ kind: 'group', result: { kind: 'group-done' } });
    expect(callbacks).toEqual(['success t2']);
    expect(
      (await store.listAttendance(GROUP_ID)).map((a) => [a.referralId, a.present, a.recordedBy]),
    ).toEqual(MEMBERS.map((m) => [m.referralId, true, 'Samordnare Bris']));
    // Single use: the leader's latest link answers that it is used, and the inbox has nothing left.
    expect(await redeemAttendanceLink(await linkOf(sent[2]!), allPresent, deps)).toMatchObject({
      kind: 'refused',
      reason: 'used',
    });
    expect(await actOnStep(coordinator, GROUP_ID, 'attendance-1', allPresent, deps)).toEqual({
      kind: 'gone',
      reason: 'used',
    });
    const inbox = (await store.listAudit(GROUP_ID)).filter((e) => e.detail?.via === 'staff-inbox');
    expect(inbox.map((e) => [e.action, e.actor.name, e.detail?.outcome])).toEqual([
      ['link-redeemed', 'Samordnare Bris', 'record'],
    ]);
    // The clock finds the step answered: no escalation, no "not recorded".
    at(10);
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: false });
    expect(sent).toHaveLength(3);
    for (const m of MEMBERS)
      expect((await store.listAudit(m.referralId)).map((e) => e.action)).not.toContain(
        'attendance-not-recorded',
      );
  });

  it('an answer on a reminder link between two waits is kept, and the next wait goes on at once', async () => {
    const { deps, sent, callbacks, at, clockOf, linkOf } = await setUp();
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't1' }, deps);
    at(1);
    await clockOf('elapsed');
    // No wait holds a token right now: nothing to resume, and no call with an empty token.
    expect(await redeemAttendanceLink(await linkOf(sent[1]!), allPresent, deps)).toMatchObject({
      kind: 'group-done',
    });
    expect(callbacks).toEqual([]);
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't2' }, deps);
    expect(callbacks).toEqual(['success t2']);
    expect(sent).toHaveLength(2);
  });
});

describe('the partnership sets the policy, within the limit the group execution is proven with', () => {
  const withTiming = (attendance: unknown) => ({ ...partnershipFile, stepTiming: { attendance } });

  it('accepts its own days, refuses a deadline past the limit and days out of order, naming the field', () => {
    expect(
      partnershipProblems(withTiming({ reminderDays: [2], escalationDays: 4, deadlineDays: 7 })),
    ).toEqual([]);
    expect(
      partnershipProblems(
        withTiming({ reminderDays: [1], escalationDays: 5, deadlineDays: L.attendanceDeadlineDays + 1 }),
      ),
    ).toEqual([
      `stepTiming.attendance.deadlineDays: at most ${L.attendanceDeadlineDays} days: the workflow's waits are proven to fit AWS's one-year limit with it`,
    ]);
    expect(
      partnershipProblems(withTiming({ reminderDays: [6], escalationDays: 5, deadlineDays: 10 })),
    ).toEqual(['stepTiming.attendance.reminderDays: every reminder must come before escalationDays 5']);
  });

  it('follows the partnership: no reminders, the coordinator on day 2, the deadline on day 4', async () => {
    const { deps, store, sent, at, clockOf } = await setUp();
    await store.putPartnership(
      partnershipSchema.parse(withTiming({ reminderDays: [], escalationDays: 2, deadlineDays: 4 })),
    );
    await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't1' }, deps);
    expect(await clockOf('schedule')).toEqual({ seconds: (2 * DAY) / 1000, due: 'escalation' });
    at(4);
    expect(await clockOf('elapsed')).toEqual({ deadlinePassed: true });
    expect(sent.map((m) => m.template)).toEqual(['attendance-request', 'attendance-overdue']);
  });

  it('never waits longer than the declared bound, and ends by the deadline within the round limit', async () => {
    expect(DEFAULT_STEP_TIMING.attendance).toEqual({
      reminderDays: [1, 3],
      escalationDays: 5,
      deadlineDays: 10,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: L.attendanceDeadlineDays }),
        fc.uniqueArray(fc.integer({ min: 1, max: L.attendanceDeadlineDays }), { maxLength: L.stepReminders }),
        async (deadlineDays, days) => {
          const escalationDays = deadlineDays - 1;
          const reminderDays = days.filter((d) => d < escalationDays).sort((a, b) => a - b);
          const { deps, store, at, clockOf } = await setUp();
          await store.putPartnership(
            partnershipSchema.parse(withTiming({ reminderDays, escalationDays, deadlineDays })),
          );
          let elapsedDays = 0;
          for (let rounds = 1; ; rounds++) {
            expect(rounds).toBeLessThanOrEqual(LOOP_LIMITS.stepRounds);
            const timer = (await clockOf('schedule')) as { seconds: number };
            if (rounds === 1)
              await requestAttendance({ groupId: GROUP_ID, meeting: 1, taskToken: 't' }, deps);
            expect(timer.seconds).toBeLessThanOrEqual(GROUP_TIMING_BOUNDS[G.recordAttendance]!.seconds);
            elapsedDays += (timer.seconds * 1000) / DAY;
            at(elapsedDays); // the timer fires on time
            if (((await clockOf('elapsed')) as { deadlinePassed: boolean }).deadlinePassed) break;
          }
          expect(elapsedDays * DAY).toBeLessThanOrEqual(
            GROUP_TIMING_BOUNDS[G.attendanceWindow]!.seconds * 1000,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
