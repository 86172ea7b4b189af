/**
 * Attendance after a meeting has a timing policy, on the real group state machine with the fast-forward
 * clock (defaults, partnership `stepTiming.attendance`, counted from when the leader is asked as the
 * meeting ends): the leader is reminded on days 1 and 3 with a fresh link, the coordinator is told on day 5
 * and can record it from /staff/tasks, and on day 10 the meeting is recorded as "attendance not recorded"
 * on each member's timeline while the group goes on. Nobody's silence makes the group need attention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Group } from '../../functions/domain/partnership';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  auditActions,
  childId,
  confirmGroup,
  consentedChild,
  get,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  staffSessionCookie,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;

/** Moves the clock `days` on and waits for the email it should bring. */
async function after(days: number, template: string, to: string, about: string): Promise<MailboxMessage> {
  const mark = lastId();
  system.clock.advance(days * DAY);
  return system.mailbox.waitFor(
    (m) => m.template === template && m.to.includes(to) && m.subject.includes(about),
    { afterId: mark },
  );
}

async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

async function staff(path: string, cookie: string, form?: Record<string, string>) {
  const res = await fetch(`${system.url}${path}`, {
    redirect: 'manual',
    ...(form
      ? {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }
      : { headers: { cookie } }),
  });
  return { status: res.status, text: await res.text() };
}

/**
 * A child of `age` consented and placed alone in a support weekend led by `leader`; resolves when the
 * leader has been asked for meeting 1's attendance (the clock moved past the meeting's end).
 */
async function groupAtFirstAttendance(n: number, age: number, leader: Group['leader']) {
  const id = await consentedChild(system, n, {
    identityNumber: childId(age, system.clock.now(), { minDaysToBirthday: 90 }),
  });
  const confirmed = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id]);
  expect(confirmed.status).toBe(200);
  const groupId = confirmed.groupId;
  await system.deps.store.updateGroup('stockholm-bris', groupId, { leader });
  const group = (await system.deps.store.getGroup('stockholm-bris', groupId))!;
  const ended = Date.parse(group.meetings![0]!.endsAt);
  const request = await after(
    (ended - system.clock.now().getTime() + 60_000) / DAY,
    'attendance-request',
    leader!.email,
    `träff 1: ${group.name}`,
  );
  await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');
  const referral = (await system.deps.store.getReferral(id))!;
  return { id, groupId, group, request, childName: referral.child.firstName };
}

describe('a silent group leader after a meeting', () => {
  it("is reminded on days 1 and 3, the coordinator is told on day 5 and records it from /staff/tasks; the leader's link is then refused", async () => {
    const leader = { name: 'Lea Ledare', email: 'lea.ledare@bris.example' };
    const { id, groupId, group, request, childName } = await groupAtFirstAttendance(301, 8, leader);
    const about = `träff 1: ${group.name}`;

    const first = await after(1, 'attendance-request-reminder', leader.email, about);
    expect(first.subject).toBe(`Påminnelse: Närvaro ${about}`);
    // The reminder's link replaces the request's.
    expect((await get(onlyLink(request))).status).toBe(410);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');
    const second = await after(2, 'attendance-request-reminder', leader.email, about);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');

    const overdue = await after(2, 'attendance-overdue', COORDINATOR, `träff 1 i ${group.name}`);
    expect(overdue.text).not.toContain(childName); // no child's name in an escalation
    expect(overdue.text).not.toContain(id);
    expect(overdue.text).toContain(`${system.url}/staff/tasks`);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');

    // The coordinator signs in and records attendance from the inbox: the same action as the link.
    const cookie = await signIn(COORDINATOR);
    const inbox = await staff('/staff/tasks', cookie);
    const href = `/staff/tasks/step/${groupId}/attendance-1`;
    expect(inbox.text).toContain(`href="${href}"`);
    expect(inbox.text).toContain('Registrera närvaro, träff 1');
    expect((await staff(href, cookie)).text).toContain(`present-${id}`);
    const incomplete = await staff(href, cookie, { action: 'record' });
    expect(incomplete.status).toBe(400);
    const done = await staff(href, cookie, { action: 'record', [`present-${id}`]: 'present' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Närvaron för träff 1 är registrerad');

    // Single use: the leader's latest link, and the inbox task, are refused now.
    expect((await postForm(onlyLink(second), { action: 'record', [`present-${id}`]: 'absent' })).status).toBe(
      409,
    );
    expect((await get(onlyLink(second))).status).toBe(409);
    expect((await staff(href, cookie)).status).toBe(409);
    expect((await staff('/staff/tasks', cookie)).text).not.toContain(`href="${href}"`);
    expect(await system.deps.store.listAttendance(groupId)).toMatchObject([
      { meeting: 1, referralId: id, present: true, recordedBy: 'Samordnare Bris' },
    ]);
    // The timeline says who recorded it, in her own role.
    const recorded = (await system.deps.store.listAudit(id)).find((e) => e.action === 'attendance-recorded');
    expect(recorded?.actor).toEqual({ role: 'coordinator', name: 'Samordnare Bris' });

    // The group goes on with meeting 2 and runs to its end; meeting 1 is not "not recorded".
    await runGroup(system, groupId, {}, 2);
    await system.engine.waitUntil(groupId, (e) => !!e && e.status !== 'RUNNING');
    expect(system.engine.execution(groupId)?.status).toBe('SUCCEEDED');
    const actions = await auditActions(system, id);
    expect(actions).not.toContain('attendance-not-recorded');
    expect(actions.filter((a) => a === 'attendance-recorded')).toHaveLength(group.meetings!.length);
    const mails = system.mailbox.list().filter((m) => m.subject.includes(group.name));
    expect(mails.filter((m) => m.template === 'attendance-overdue')).toHaveLength(1);
    expect(mails.filter((m) => m.template === 'attendance-request-reminder')).toHaveLength(2);
  });
});

describe('a meeting whose attendance nobody records', () => {
  it('is "attendance not recorded" on the timeline at day 10; the next meeting goes on and the group completes', async () => {
    const leader = { name: 'Tyra Tyst', email: 'tyra.tyst@bris.example' };
    const { id, groupId, group } = await groupAtFirstAttendance(302, 11, leader);
    const about = `träff 1: ${group.name}`;
    await after(1, 'attendance-request-reminder', leader.email, about);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');
    const last = await after(2, 'attendance-request-reminder', leader.email, about);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');
    await after(2, 'attendance-overdue', COORDINATOR, `träff 1 i ${group.name}`);
    await expect.poll(() => system.engine.waitingState(groupId)).toBe('RecordAttendance');

    // Day 10: the window ends; the group asks for meeting 2 (which has ended meanwhile) at once.
    const mark = lastId();
    system.clock.advance(5 * DAY);
    await system.mailbox.waitFor(
      (m) => m.template === 'attendance-request' && m.subject.includes(`träff 2: ${group.name}`),
      { afterId: mark },
    );
    expect(await auditActions(system, id)).toContain('attendance-not-recorded');
    expect(system.engine.execution(groupId)?.path).toContain('AttendanceNotRecorded');
    // The late answer is refused: the step is over.
    expect((await postForm(onlyLink(last), { action: 'record', [`present-${id}`]: 'present' })).status).toBe(
      410,
    );

    await runGroup(system, groupId, {}, 2);
    await system.engine.waitUntil(groupId, (e) => !!e && e.status !== 'RUNNING');
    expect(system.engine.execution(groupId)?.status).toBe('SUCCEEDED');
    expect((await system.deps.store.getGroup('stockholm-bris', groupId))?.status).toBe('completed');
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('follow-up');
    expect((await system.deps.store.getReferral(id))?.status).toBe('active');
    const attendance = await system.deps.store.listAttendance(groupId);
    expect(attendance.map((a) => a.meeting)).toEqual(group.meetings!.slice(1).map((m) => m.index));
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'attendance-not-recorded')).toHaveLength(1);
    expect(actions).not.toContain('step-failed');
    expect((await system.deps.store.listAudit(groupId)).map((e) => e.action)).not.toContain(
      'group-step-failed',
    );

    // The timeline says it in words.
    const cookie = await signIn(COORDINATOR);
    const timeline = await staff(`/staff/referrals/${id}`, cookie);
    expect(timeline.text).toContain('Närvaron registrerades inte i tid; gruppen fortsatte');
    expect(timeline.text).not.toContain('attendance-not-recorded');
  });
});
