/**
 * No human step ends in needs-attention because a person did not act: on the real state machine with the
 * fast-forward clock, a silent owner is reminded on the configured days, the person above is told, and
 * the final deadline ends the step with a recorded, explained outcome.
 * Defaults (partnership `stepTiming`): screening — reminders on days 3 and 7, escalation to the
 * partnership's follow-up on day 10, closed as not screened on day 21; the social worker's answer to a
 * consent escalation — reminders on days 3 and 7, Bris's coordinator told on day 10, consent not obtained
 * on day 14.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  auditActions,
  childId,
  closedAndRetained,
  get,
  onlyLink,
  postForm,
  submitReferral,
  staffSessionCookie,
} from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';
const FOLLOW_UP = 'uppfoljning@stockholm.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;
const mail = (template: string, to: string, about: string, afterId = 0): Promise<MailboxMessage> =>
  system.mailbox.waitFor((m) => m.template === template && m.to.includes(to) && m.text.includes(about), {
    afterId,
  });
const mailsAbout = (id: string) => system.mailbox.list().filter((m) => m.text.includes(id));

/** Signs in by the emailed link; resolves with the session cookie. */
async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

/** Moves the clock `days` on and waits for the email it should bring. */
async function after(days: number, template: string, to: string, about: string): Promise<MailboxMessage> {
  const mark = lastId();
  system.clock.advance(days * DAY);
  return mail(template, to, about, mark);
}

describe('a silent coordinator at screening', () => {
  it('is reminded on days 3 and 7, the follow-up is told on day 10, and on day 21 the referral closes as not screened', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 40 }),
      childFirstName: 'Ingvar',
      custodian1Email: 'silent-screening@example.org',
      socialWorkerEmail: 'sw-silent@kommun.example',
    });
    const request = await mail('screening-request', COORDINATOR, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');

    const first = await after(3, 'screening-request-reminder', COORDINATOR, id);
    expect(first.subject).toMatch(/^Påminnelse/);
    // The reminder's link replaces the request's.
    expect((await get(onlyLink(request))).status).toBe(410);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    const second = await after(4, 'screening-request-reminder', COORDINATOR, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');

    const overdue = await after(3, 'screening-overdue', FOLLOW_UP, id);
    expect(overdue.text).toContain(id);
    expect(overdue.text).not.toContain('Ingvar'); // no child's name in an escalation
    // The follow-up cannot open referrals: it is told whom to contact, with no link to the referral.
    expect(overdue.text).toContain('Kontakta Bris samordnare');
    expect(overdue.text).not.toContain('/staff/referrals/');
    expect((await system.deps.store.getReferral(id))?.status).toBe('active');

    const closed = await after(11, 'closed-not-screened', 'sw-silent@kommun.example', id);
    expect(closed.text).toContain('inom tidsfristen');
    const execution = await closedAndRetained(system, id);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(await system.deps.store.getReferral(id)).toMatchObject({
      status: 'closed',
      outcome: 'not-screened',
    });
    // The last reminder no longer works; nothing needed attention.
    expect((await postForm(onlyLink(second), { action: 'approve' })).status).toBe(410);
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
    expect(actions).toEqual(expect.arrayContaining(['step-escalated', 'step-deadline-passed']));
    expect(actions).not.toContain('step-failed');
    // Each of these emails once.
    const templates = mailsAbout(id).map((m) => m.template);
    expect(templates.filter((t) => t === 'screening-request-reminder')).toHaveLength(2);
    expect(templates.filter((t) => t === 'screening-overdue')).toHaveLength(1);
  });

  it('an answer after a reminder goes through, and no escalation follows', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 40 }),
      custodian1Email: 'late-screening@example.org',
    });
    await mail('screening-request', COORDINATOR, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    const reminder = await after(3, 'screening-request-reminder', COORDINATOR, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    expect((await postForm(onlyLink(reminder), { action: 'approve' })).status).toBe(200);
    await mail('consent-request', 'late-screening@example.org', '');
    const mark = lastId();
    system.clock.advance(8 * DAY);
    await new Promise((r) => setTimeout(r, 500));
    expect(system.mailbox.list().filter((m) => m.id > mark && m.template === 'screening-overdue')).toEqual(
      [],
    );
  });
});

describe('a silent social worker at a consent escalation', () => {
  it('is reminded, Bris is told on day 10, and on day 14 the referral closes as consent not obtained', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60 }),
      custodian1Email: 'quiet-parent@example.org',
      socialWorkerEmail: 'sw-quiet@kommun.example',
    });
    expect(
      (await postForm(onlyLink(await mail('screening-request', COORDINATOR, id)), { action: 'approve' }))
        .status,
    ).toBe(200);
    await mail('consent-request', 'quiet-parent@example.org', '');
    // The custodian stays silent to the consent deadline (day 14): the social worker is asked.
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
    const mark = lastId();
    system.clock.advance(14 * DAY + 60_000);
    await mail('consent-escalation', 'sw-quiet@kommun.example', id, mark);
    await expect.poll(() => system.engine.waitingState(id)).toBe('ConsentEscalation');

    await after(3, 'consent-escalation-reminder', 'sw-quiet@kommun.example', id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('ConsentEscalation');
    await after(4, 'consent-escalation-reminder', 'sw-quiet@kommun.example', id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('ConsentEscalation');
    const overdue = await after(3, 'consent-escalation-overdue', COORDINATOR, id);
    expect(overdue.subject).toContain(id);
    // Escalated to Bris: the overdue answer is in the coordinator's inbox, linking to the referral.
    const cookie = await signIn(COORDINATOR);
    const inbox = await fetch(`${system.url}/staff/tasks`, { headers: { cookie } }).then((r) => r.text());
    expect(inbox).toContain('Försenat hos socialsekreteraren');
    expect(inbox).toContain(`href="/staff/referrals/${id}"`);

    await after(4, 'closed-consent-not-obtained', 'sw-quiet@kommun.example', id);
    await closedAndRetained(system, id);
    expect(await system.deps.store.getReferral(id)).toMatchObject({
      status: 'closed',
      outcome: 'consent-not-obtained',
    });
    const actions = await auditActions(system, id);
    expect(actions).toEqual(expect.arrayContaining(['step-escalated', 'step-deadline-passed']));
    expect(actions).not.toContain('step-failed');
  });
});
