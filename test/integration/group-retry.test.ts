/**
 * A failed group execution is retried from the staff pages, on the real group state machine: a meeting's
 * reminder fails, the group is recorded as needing attention at that meeting and the coordinator is told
 * once; the overview shows it with "Försök igen"; the retry starts a new execution at that meeting (the
 * schedule is not sent again, the meetings before it are not reminded again) and the group completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../functions/ports';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  confirmGroup,
  consentedChild,
  onlyLink,
  poolEmail,
  runGroup,
  staffSessionCookie,
} from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

async function staff(path: string, cookie: string, method: 'GET' | 'POST' = 'GET') {
  const res = await fetch(`${system.url}${path}`, { method, redirect: 'manual', headers: { cookie } });
  return { status: res.status, text: await res.text() };
}

describe('a group whose meeting failed', () => {
  it('needs attention at that meeting, is retried by the coordinator and goes on to completion', async () => {
    const n = 501;
    const carer = `carer${n}@familjehem.example`;
    const id = await consentedChild(system, n, {
      identityNumber: childId(8, system.clock.now(), { minDaysToBirthday: 90 }),
    });
    const confirmed = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id]);
    expect(confirmed.status).toBe(200);
    const groupId = confirmed.groupId;
    const group = (await system.deps.store.getGroup('stockholm-bris', groupId))!;
    const cookie = await signIn(COORDINATOR);

    // Not failed: the retry is refused, and so is one for a group that does not exist; never a 5xx.
    const early = await staff(`/staff/groups/${groupId}/retry`, cookie, 'POST');
    expect(early.status).toBe(409);
    expect(early.text).toContain('Gruppen behöver ingen åtgärd.');
    expect((await staff('/staff/groups/g-9-9-abcdef/retry', cookie, 'POST')).status).toBe(404);

    // The reminder of meeting 2 cannot be sent (a non-transient error): the meeting's task fails.
    const email = system.deps.email;
    const send = email.send.bind(email);
    let broken = true;
    email.send = async (m: EmailMessage) => {
      if (broken && m.template === 'meeting-reminder' && m.to.includes(carer) && m.text.includes('träff 2 '))
        throw new Error('mailbox rejected');
      return send(m);
    };
    try {
      await runGroup(system, groupId, {}, 1, 1);
      const failed = await system.engine.waitUntil(groupId, (e) => e?.status !== 'RUNNING');
      expect(failed?.status).toBe('FAILED');
      expect(failed?.states).toContain('RecordGroupFailure');
      expect((await system.deps.store.getGroup('stockholm-bris', groupId))?.failure).toMatchObject({
        step: 'meetings',
        meeting: 2,
        // The meeting's own error stays in its task's log; the iteration ends with a name of ours.
        error: 'Group.MeetingFailed',
      });
      const told = await system.mailbox.waitFor(
        (m) => m.template === 'group-needs-attention' && m.to.includes(COORDINATOR),
      );
      expect(told.subject).toBe(`Gruppen behöver åtgärd: ${group.name}`);
      expect(told.text).toContain('stannade vid träff 2');
      expect(told.text).not.toContain(`Barn${n}`);

      const overview = await staff('/staff', cookie);
      expect(overview.text).toContain('Grupper som behöver åtgärd');
      expect(overview.text).toContain(
        `Gruppen ${group.name} stannade vid träff 2 på grund av ett tekniskt fel`,
      );
      expect(overview.text).toContain(`action="/staff/groups/${groupId}/retry"`);
      expect(overview.text).toContain('Försök igen');

      broken = false;
      const retried = await staff(`/staff/groups/${groupId}/retry`, cookie, 'POST');
      expect(retried.status).toBe(200);
      expect(retried.text).toContain('Gruppen fortsätter från steget som misslyckades.');
      expect(retried.text).not.toContain('Grupper som behöver åtgärd');
      // A second click finds nothing to retry.
      expect((await staff(`/staff/groups/${groupId}/retry`, cookie, 'POST')).status).toBe(409);

      await runGroup(system, groupId, {}, 2);
      const done = await system.engine.waitUntil(groupId, (e) => e?.status !== 'RUNNING');
      expect(done?.status).toBe('SUCCEEDED');
      // The retry started at meeting 2: no schedule again, meeting 1 not gone through again.
      expect(done?.states[0]).toBe('ResumeSchedule');
      expect(done?.states.filter((state) => state === 'RemindCarers')).toHaveLength(
        group.meetings!.length - 1,
      );
      expect(done?.states).not.toContain('SendSchedule');
      expect((await system.deps.store.getGroup('stockholm-bris', groupId))?.status).toBe('completed');
      await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('follow-up');
      const events = await system.deps.store.listAudit(groupId);
      expect(events.find((e) => e.action === 'retry-requested')).toMatchObject({
        actor: { role: 'coordinator' },
        detail: { attempt: '1', groupStep: 'meetings' },
      });
    } finally {
      email.send = send;
    }

    // No email went out twice: one schedule, one reminder and one attendance request per meeting, one notice.
    const mails = system.mailbox.list();
    const count = (template: string, to: string, text = '') =>
      mails.filter((m) => m.template === template && m.to.includes(to) && m.text.includes(text)).length;
    expect(count('group-schedule-carer', carer)).toBe(1);
    expect(count('group-needs-attention', COORDINATOR)).toBe(1);
    for (const m of group.meetings!) {
      expect(count('meeting-reminder', carer, `träff ${m.index} `), `reminder ${m.index}`).toBe(1);
      expect(
        mails.filter((x) => x.template === 'attendance-request' && x.subject.includes(`träff ${m.index}:`))
          .length,
        `attendance ${m.index}`,
      ).toBe(1);
    }
  });
});
