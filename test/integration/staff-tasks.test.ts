/**
 * The staff task inbox (/staff/tasks): a lost, expired or scanned link never strands a step. Acting from the
 * inbox is the emailed link's action (same schema, same single-use guard, same workflow callback), with the
 * signed-in person as the actor; afterwards the emailed link is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../functions/ports';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { renewalOf } from '../../infra/local/mailbox';
import {
  completeHomeVisits,
  auditActions,
  childId,
  consentedChild,
  get,
  onlyLink,
  poolEmail,
  postForm,
  submitReferral,
} from '../support/local';

const DAY = 86_400_000;
let system: LocalSystem;
/** A second coordinator, so that an audit event naming the signed-in person cannot be the partnership's own. */
const CORA = { email: 'cora@bris.example', name: 'Cora Kollega', role: 'coordinator' as const };

beforeAll(async () => {
  // Ports of this worktree's range (44000–44999) rather than any free one.
  system = await startLocalSystem({ port: 0, quiet: true });
  const p = (await system.deps.store.getPartnership('stockholm-bris'))!;
  await system.deps.store.putPartnership({ ...p, staff: [...p.staff, CORA] });
});
afterAll(async () => {
  await system?.stop();
});

async function request(path: string, cookie: string, init: RequestInit = {}) {
  const res = await fetch(`${system.url}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { cookie, ...(init.headers ?? {}) },
  });
  return { status: res.status, text: await res.text() };
}

async function post(path: string, cookie: string, fields: Record<string, string>, headers = {}) {
  return request(path, cookie, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signIn(email: string): Promise<string> {
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

const inboxEvents = async (referralId: string): Promise<AuditEvent[]> =>
  (await system.deps.store.listAudit(referralId)).filter((e) => e.detail?.via === 'staff-inbox');

/** The rows of the inbox page: each row's text, and its link. */
function rows(page: string): { text: string; href: string }[] {
  return [...page.matchAll(/<tr data-testid="task">([\s\S]*?)<\/tr>/g)].map((m) => ({
    text: m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '),
    href: /href="([^"]+)"/.exec(m[1]!)![1]!.replaceAll('&amp;', '&'),
  }));
}

describe('the pool of an age band', () => {
  it('the pool link expired and lost: the coordinator confirms a group from /staff/tasks; the old link is refused', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 3; n++)
      ids.push(
        await consentedChild(system, 100 + n, {
          identityNumber: childId(11, system.clock.now()),
          district: 'Bromma',
        }),
      );
    const lost = onlyLink(await poolEmail(system, ids[2]!));
    expect((await get(lost)).status).toBe(200);
    // The link expires (14 days) while the children wait; the email is lost.
    system.clock.advance(15 * DAY);
    expect((await get(lost)).status).toBe(410);

    const cookie = await signIn(CORA.email);
    const inbox = await request('/staff/tasks', cookie);
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('Mina uppgifter');
    const pool = rows(inbox.text).find((r) => r.text.includes('Bilda grupp 10–12 år'));
    expect(pool?.href).toBe('/staff/tasks/pool/10-12');
    expect(pool!.text).toContain('3 barn väntar');

    const form = await request(pool!.href, cookie);
    expect(form.status).toBe(200);
    for (const id of ids) expect(form.text).toContain(id);
    expect(form.text).toContain('action="/staff/tasks/pool/10-12"');
    expect(form.text).not.toContain('/links/');
    const formId = /name="formId" value="([A-Za-z0-9_-]+)"/.exec(form.text)![1]!;
    const fields: Record<string, string> = {
      action: 'confirm',
      format: 'weekend',
      slot: '2-17:00',
      startDate: new Date(system.clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10),
      formId,
    };
    for (const id of ids) fields[`member-${id}`] = 'on';

    const confirmed = await post(pool!.href, cookie, fields);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Gruppen är bekräftad med 3 barn');
    // Each seat is confirmed by the leader's home visit before the child's sessions begin.
    await completeHomeVisits(system, ids);
    const groups = new Set<string>();
    for (const id of ids) {
      await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('sessions');
      groups.add((await system.deps.store.getReferral(id))!.group!.groupId);
      const events = await system.deps.store.listAudit(id);
      expect(events.find((e) => e.action === 'group-confirmed')?.actor).toEqual({
        role: 'coordinator',
        name: CORA.name,
      });
      expect(await inboxEvents(id)).toEqual([
        expect.objectContaining({
          action: 'link-redeemed',
          actor: { role: 'coordinator', name: CORA.name },
          detail: expect.objectContaining({ step: 'group-proposal', outcome: 'confirm' }),
        }),
      ]);
    }
    expect(groups.size).toBe(1);
    const [groupId] = [...groups];
    expect((await system.deps.store.getGroup('stockholm-bris', groupId!))?.memberCount).toBe(3);
    const groupCount = (await system.deps.store.listGroups('stockholm-bris')).length;

    // The same form again (a double click): one confirmation per form, nothing more happens.
    expect((await post(pool!.href, cookie, fields)).status).toBe(409);
    // The same POST through the old pool link is refused, and places nobody anywhere else.
    const old = await postForm(lost, fields);
    expect(old.status).toBe(410);
    expect((await system.deps.store.listGroups('stockholm-bris')).length).toBe(groupCount);
    for (const id of ids) expect((await system.deps.store.getReferral(id))?.group?.groupId).toBe(groupId);
    // The band's pool is empty now: no pool task for it.
    expect(rows((await request('/staff/tasks', cookie)).text).some((r) => r.text.includes('10–12'))).toBe(
      false,
    );
  });
});

describe('screening from the inbox', () => {
  it('approved from /staff/tasks: the emailed link then answers "used"; the audit names the signed-in coordinator', async () => {
    const id = await submitReferral(system, { identityNumber: childId(14, system.clock.now()) });
    const email = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    const cookie = await signIn(CORA.email);
    const task = rows((await request('/staff/tasks', cookie)).text).find((r) => r.text.includes(id));
    expect(task?.text).toContain('Bedöm anmälan');
    expect(task?.text).toContain('Sam'); // the child's first name, as on the other staff pages
    expect(task?.href).toBe(`/staff/tasks/step/${id}/screening`);

    const form = await request(task!.href, cookie);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`Bedöm anmälan ${id}`);
    expect(form.text).toContain(`action="${task!.href}"`);
    // Opening the form acts on nothing: the emailed link still works.
    expect((await get(onlyLink(email))).status).toBe(200);

    // The same schema as the link: a decline needs a reason.
    const invalid = await post(task!.href, cookie, { action: 'decline', reason: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('Skriv ett skäl till beslutet');

    // Not from another site, even with the session cookie.
    const crossSite = await post(
      task!.href,
      cookie,
      { action: 'approve' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect((await system.deps.store.getReferral(id))?.screening).toBeUndefined();

    const approved = await post(task!.href, cookie, { action: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.text).toContain('Anmälan är godkänd');
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('consent');

    const viaLink = await get(onlyLink(email));
    expect(viaLink.status).toBe(409);
    expect(viaLink.text).toContain('Länken är redan använd');
    expect((await postForm(onlyLink(email), { action: 'decline', reason: 'Ett annat svar' })).status).toBe(
      409,
    );
    expect((await system.deps.store.getReferral(id))?.screening?.decision).toBe('approved');
    expect((await post(task!.href, cookie, { action: 'approve' })).status).toBe(409);

    expect(await inboxEvents(id)).toEqual([
      expect.objectContaining({
        action: 'link-redeemed',
        actor: { role: 'coordinator', name: CORA.name },
        detail: expect.objectContaining({ step: 'screening', outcome: 'approve', via: 'staff-inbox' }),
      }),
    ]);
    // The staff timeline says so in words.
    const timeline = await request(`/staff/referrals/${id}`, cookie);
    expect(timeline.text).toContain('från Mina uppgifter');
    expect(rows((await request('/staff/tasks', cookie)).text).some((r) => r.text.includes(id))).toBe(false);
  });

  it('a screening whose link expired is answered from the inbox without reviving the old link', async () => {
    const id = await submitReferral(system, { identityNumber: childId(15, system.clock.now()) });
    const email = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    system.clock.advance(15 * DAY);
    // Reminders (days 3, 7) and the escalation (day 10) have gone out; the step waits again.
    await expect
      .poll(async () => (await auditActions(system, id)).filter((a) => a === 'step-escalated').length)
      .toBe(1);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    expect((await get(onlyLink(email))).status).toBe(410);
    const cookie = await signIn(CORA.email);
    const task = rows((await request('/staff/tasks', cookie)).text).find((r) => r.text.includes(id));
    expect(task?.text).toContain('(försenad)');
    const approved = await post(task!.href, cookie, { action: 'approve' });
    expect(approved.status).toBe(200);
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('consent');
    // The old token stays dead: neither answered nor renewed.
    expect((await postForm(onlyLink(email), { action: 'approve' })).status).toBe(410);
    expect((await postForm(renewalOf(onlyLink(email)), {})).status).toBe(410);
  });
});

describe('a social worker', () => {
  it("sees only her district's tasks, and records a paper consent from the inbox", async () => {
    const paper = (district: string, sw: string) =>
      submitReferral(system, {
        identityNumber: childId(9, system.clock.now()),
        district,
        socialWorkerName: sw === 'siv@farsta.example' ? 'Siv Socialsekreterare' : 'Sara Socialsekreterare',
        socialWorkerEmail: sw,
        custodian1Contact: 'paper',
        custodian1Email: '',
      });
    const farsta = await paper('Farsta', 'siv@farsta.example');
    const skarpnack = await paper('Skarpnäck', 'sara@skarpnack.example');
    for (const id of [farsta, skarpnack]) {
      const s = await system.mailbox.waitFor(
        (m) => m.template === 'screening-request' && m.text.includes(id),
      );
      await postForm(onlyLink(s), { action: 'approve' });
    }
    for (const sw of ['siv@farsta.example', 'sara@skarpnack.example'])
      await system.mailbox.waitFor((m) => m.template === 'consent-request-paper' && m.to.includes(sw));

    const siv = await signIn('siv@farsta.example');
    const sivRows = rows((await request('/staff/tasks', siv)).text);
    const mine = sivRows.find((r) => r.text.includes(farsta));
    expect(mine?.text).toContain('Registrera samtycke från blankett (vårdnadshavare 1)');
    expect(sivRows.some((r) => r.text.includes(skarpnack))).toBe(false);
    expect(sivRows.some((r) => r.text.includes('Bilda grupp'))).toBe(false);
    // Not even by its address.
    expect((await request(`/staff/tasks/step/${skarpnack}/consent-1`, siv)).status).toBe(403);

    const sara = await signIn('sara@skarpnack.example');
    const saraRows = rows((await request('/staff/tasks', sara)).text);
    expect(saraRows.some((r) => r.text.includes(skarpnack))).toBe(true);
    expect(saraRows.some((r) => r.text.includes(farsta))).toBe(false);
    // The coordinator does not answer for a custodian.
    const cora = await signIn(CORA.email);
    expect(rows((await request('/staff/tasks', cora)).text).some((r) => r.text.includes(farsta))).toBe(false);

    const done = await post(mine!.href, siv, { action: 'consent', paperReference: 'Dok 2026-0999' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Vårdnadshavarens svar är registrerat');
    await expect
      .poll(async () => (await system.deps.store.getReferral(farsta))?.custodians[0]?.consent)
      .toMatchObject({
        given: true,
        paperReference: 'Dok 2026-0999',
        recordedBy: { role: 'social-worker', name: 'Siv Socialsekreterare' },
      });
    const paperLink = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request-paper' && m.to.includes('siv@farsta.example'),
    );
    expect((await get(onlyLink(paperLink))).status).toBe(409);
  });
});
