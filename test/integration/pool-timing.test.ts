/**
 * The group proposal's clock, on the real state machine with the fast-forward clock: the coordinator
 * who does nothing with the planner's proposal is reminded on the configured days, the partnership's
 * follow-up is told, and she can still confirm from /staff/tasks, after which the reminder's link is
 * refused. A band that never forms a group ends as it always has: at maxPoolDays the referral closes as
 * no-group, explained on the timeline and in the social worker's email, never needing attention.
 * Defaults (partnership `stepTiming['group-assignment']`): reminders on days 3 and 7, escalation on day
 * 10, counted from the proposal; the partnership here lets two children of a district form a weekly group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  completeHomeVisits,
  auditActions,
  childId,
  closedAndRetained,
  consentedChild,
  get,
  nameFor,
  onlyLink,
  poolEmail,
  postForm,
  staffSessionCookie,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';
const FOLLOW_UP = 'uppfoljning@stockholm.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  const p = (await system.deps.store.getPartnership('stockholm-bris'))!;
  await system.deps.store.putPartnership({
    ...p,
    groups: { ...p.groups, grouping: { ...p.groups.grouping, minGroupSize: 2, targetGroupSize: 2 } },
  });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;
const mailsOf = (template: string) => system.mailbox.list().filter((m) => m.template === template);

/** Moves the clock `days` on and waits for the email it should bring. */
async function after(days: number, template: string, to: string): Promise<MailboxMessage> {
  const mark = lastId();
  system.clock.advance(days * DAY);
  return system.mailbox.waitFor((m) => m.template === template && m.to.includes(to), { afterId: mark });
}

/** Signs in by the emailed link; resolves with the session cookie. */
async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

async function staffPost(path: string, cookie: string, fields: Record<string, string>) {
  const res = await fetch(`${system.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text() };
}

const inGroupAssignment = (id: string) =>
  expect.poll(() => system.engine.waitingState(id)).toBe('GroupAssignment');

describe('a silent coordinator with a group proposal', () => {
  it('is reminded on days 3 and 7, the follow-up is told on day 10, and a confirmation from the inbox refuses the reminder link', async () => {
    const ids: string[] = [];
    for (const n of [201, 202])
      ids.push(
        await consentedChild(system, n, {
          identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60 }),
          district: 'Bromma',
        }),
      );
    // The planner proposes a weekly group of the two: the coordinator gets the proposal.
    const proposal = await poolEmail(system, ids[1]!);
    expect(proposal.template).toBe('group-proposal');
    for (const id of ids) await inGroupAssignment(id);

    const first = await after(3, 'pool-proposal-reminder', COORDINATOR);
    expect(first.subject).toBe('Påminnelse: gruppförslag för 10–12 år väntar på ditt beslut');
    expect(first.text).toContain('en veckogrupp i Bromma med 2 barn');
    expect(first.text).toContain('/staff/tasks/pool/10-12');
    expect((await get(onlyLink(first))).status).toBe(200);
    for (const id of ids) await inGroupAssignment(id);

    const second = await after(4, 'pool-proposal-reminder', COORDINATOR);
    // The second reminder's link replaces the first's.
    expect((await get(onlyLink(first))).status).toBe(410);
    expect((await get(onlyLink(second))).status).toBe(200);
    for (const id of ids) await inGroupAssignment(id);

    const overdue = await after(3, 'pool-proposal-overdue', FOLLOW_UP);
    expect(overdue.subject).toBe('Försenat: gruppförslag för 10–12 år');
    expect(overdue.text).toContain('påmints 2 gånger');
    // The follow-up cannot act on the pool: it is told whom to contact; no child is named or referred to.
    expect(overdue.text).toContain('Kontakta Bris samordnare Samordnare Bris (samordnare@bris.example)');
    expect(overdue.text).not.toContain('/staff/');
    for (const n of [201, 202]) expect(overdue.text).not.toContain(nameFor('Barn', n));
    for (const id of ids) expect(overdue.text).not.toContain(id);
    // Both children's waits ran on the one clock of their band: each email went out once.
    expect(mailsOf('pool-proposal-reminder')).toHaveLength(2);
    expect(mailsOf('pool-proposal-overdue')).toHaveLength(1);
    for (const id of ids) await inGroupAssignment(id);

    // Overdue in the coordinator's inbox; she confirms the group from there.
    const cookie = await signIn(COORDINATOR);
    const inbox = await fetch(`${system.url}/staff/tasks`, { headers: { cookie } }).then((r) => r.text());
    const row = [...inbox.matchAll(/<tr data-testid="task">([\s\S]*?)<\/tr>/g)]
      .map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '))
      .find((text) => text.includes('Bilda grupp 10–12 år'));
    expect(row).toContain('2 barn väntar');
    expect(row).toContain('(försenad)');
    const form = await fetch(`${system.url}/staff/tasks/pool/10-12`, { headers: { cookie } }).then((r) =>
      r.text(),
    );
    const fields: Record<string, string> = {
      action: 'confirm',
      format: 'weekly',
      slot: '2-17:00',
      startDate: new Date(system.clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10),
      formId: /name="formId" value="([A-Za-z0-9_-]+)"/.exec(form)![1]!,
    };
    for (const id of ids) fields[`member-${id}`] = 'on';
    const confirmed = await staffPost('/staff/tasks/pool/10-12', cookie, fields);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Gruppen är bekräftad med 2 barn');
    // Each seat is confirmed by the leader's home visit before the child's sessions begin.
    await completeHomeVisits(system, ids);
    for (const id of ids)
      await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('sessions');

    // The reminder's link is refused now, and places nobody anywhere.
    expect((await get(onlyLink(second))).status).toBe(410);
    const groups = (await system.deps.store.listGroups('stockholm-bris')).length;
    expect((await postForm(onlyLink(second), fields)).status).toBe(410);
    expect((await system.deps.store.listGroups('stockholm-bris')).length).toBe(groups);

    for (const id of ids) {
      const actions = await auditActions(system, id);
      expect(actions.filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
      expect(actions.filter((a) => a === 'step-escalated')).toHaveLength(1);
      expect(actions).not.toContain('step-failed');
      expect((await system.deps.store.getReferral(id))?.status).toBe('active');
    }
    // The proposal is answered: its clock has stopped, so no reminder follows.
    expect((await system.deps.store.getProposalClock('stockholm-bris', '10-12'))?.stopped).toBeDefined();
  });
});

describe('a band that never forms a group', () => {
  it('closes the waiting child as no-group at maxPoolDays: explained on the timeline and to the social worker, never needing attention', async () => {
    // Alone in its band: two children form no weekly group, three no support weekend.
    const id = await consentedChild(system, 301, {
      identityNumber: childId(16, system.clock.now(), { minDaysToBirthday: 200 }),
      district: 'Skarpnäck',
      socialWorkerEmail: 'sara@skarpnack.example',
    });
    await poolEmail(system, id);
    await inGroupAssignment(id);
    const p = (await system.deps.store.getPartnership('stockholm-bris'))!;
    expect(p.groups.grouping.maxPoolDays).toBe(180);

    // Six weeks on the child is still waiting: the planner looked weekly, nothing ended the wait.
    system.clock.advance(42 * DAY);
    await expect.poll(() => system.engine.waitingState(id)).toBe('GroupAssignment');
    expect((await system.deps.store.getReferral(id))?.status).toBe('active');

    const closed = await after(139, 'closed-no-group', 'sara@skarpnack.example');
    expect(closed.text).toContain(id);
    expect(closed.text).toContain('inom den längsta väntetiden');
    const execution = await closedAndRetained(system, id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(await system.deps.store.getReferral(id)).toMatchObject({ status: 'closed', outcome: 'no-group' });
    const actions = await auditActions(system, id);
    expect(actions).toEqual(expect.arrayContaining(['no-group-in-time', 'referral-closed:no-group']));
    expect(actions).not.toContain('step-failed');
    expect(actions).not.toContain('step-reminder-sent'); // nothing was proposed, so nobody was reminded

    // The staff timeline says it in words.
    const cookie = await signIn(COORDINATOR);
    const page = await fetch(`${system.url}/staff/referrals/${id}`, { headers: { cookie } }).then((r) =>
      r.text(),
    );
    expect(page).toContain('Ingen grupp inom den längsta väntetiden');
    expect(page).toContain('efter 180 dagar i kön');
    expect(page).toContain('ingen grupp kunde erbjudas');
    expect(page).not.toContain('Behöver åtgärd');
  });
});
