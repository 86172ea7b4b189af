/**
 * The information request at screening, on the real state machine with the fast-forward clock: the
 * coordinator asks the social worker for more, her email names only what is asked, her answer brings
 * screening back to the coordinator in a round of its own, and approval continues in the next execution
 * at consent. Silent, she is reminded on days 3 and 7, the coordinator is told on day 10 (and can screen
 * from her inbox), and on day 14 screening is asked anew: nothing needs attention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { auditActions, childId, get, onlyLink, postForm, submitReferral } from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';
const NOTE = 'Finns syskon placerade i samma familjehem?';
const ANSWER = 'Ett syskon bor i samma familjehem och går i en annan grupp.';

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

/** Moves the clock `days` on and waits for the email it should bring. */
async function after(days: number, template: string, to: string, about: string): Promise<MailboxMessage> {
  const mark = lastId();
  system.clock.advance(days * DAY);
  return mail(template, to, about, mark);
}

async function signIn(email: string): Promise<string> {
  const mark = lastId();
  await postForm(`${system.url}/staff/sign-in`, { email });
  const sent = await mail('staff-sign-in', email, '', mark);
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(sent.text)![0];
  const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

/** A referral screened by the coordinator, who asks for the placement and everyday life, with a note. */
async function referralAskedAbout(socialWorkerEmail: string, custodianEmail: string) {
  const id = await submitReferral(system, {
    identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60 }),
    childFirstName: 'Ingrid',
    custodian1Email: custodianEmail,
    socialWorkerEmail,
  });
  const screening = await mail('screening-request', COORDINATOR, id);
  await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
  // Nothing ticked: the field is named, and nothing happens.
  const empty = await postForm(onlyLink(screening), { action: 'request-information', note: NOTE });
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('<a href="#items">Kryssa i minst en uppgift som saknas.</a>');
  const asked = await postForm(onlyLink(screening), {
    action: 'request-information',
    'item-placement': 'on',
    'item-everyday-life': 'on',
    note: NOTE,
  });
  expect(asked.status).toBe(200);
  const request = await mail('information-request', socialWorkerEmail, id);
  await expect.poll(() => system.engine.waitingState(id)).toBe('InformationRequest');
  return { id, request };
}

describe('an information request at screening', () => {
  it('the social worker answers, the coordinator is asked anew and approves, and consent starts in the next execution', async () => {
    const sw = 'sw-info@kommun.example';
    const { id, request } = await referralAskedAbout(sw, 'info-parent@example.org');
    // The email names what is asked, in words, and never the note or the child.
    expect(request.text).toContain('Placeringen');
    expect(request.text).toContain('Skola och vardag');
    expect(request.text).not.toContain('syskon');
    expect(request.html).not.toContain('syskon');
    expect(request.text).not.toContain('Ingrid');
    const page = await get(onlyLink(request));
    expect(page.status).toBe(200);
    expect(page.text).toContain(NOTE);

    expect((await postForm(onlyLink(request), { action: 'add-information', answer: ANSWER })).status).toBe(
      200,
    );
    // A second answer through the same link is refused.
    expect((await postForm(onlyLink(request), { action: 'cannot-add' })).status).toBe(409);
    const again = await mail('screening-request-again', COORDINATOR, id);
    expect(again.text).not.toContain('syskon');
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    const screeningPage = await get(onlyLink(again));
    expect(screeningPage.text).toContain(NOTE);
    expect(screeningPage.text).toContain(ANSWER);
    expect((await postForm(onlyLink(again), { action: 'approve' })).status).toBe(200);

    await mail('consent-request', 'info-parent@example.org', '');
    const execution = system.engine.execution(id)!;
    expect(execution.executions).toBe(2);
    expect(execution.states).toEqual(
      expect.arrayContaining(['InformationRequest', 'ContinueToConsent', 'PlanConsent']),
    );
    const actions = await auditActions(system, id);
    expect(actions).toEqual(
      expect.arrayContaining([
        'information-requested',
        'link-redeemed:request-information',
        'information-provided',
        'link-redeemed:approve',
      ]),
    );
    expect(JSON.stringify(await system.deps.store.listAudit(id))).not.toContain('syskon');
  });

  it('a silent social worker is reminded on days 3 and 7, the coordinator told on day 10, and on day 14 screening is asked anew', async () => {
    const sw = 'sw-silent-info@kommun.example';
    const { id, request } = await referralAskedAbout(sw, 'silent-info-parent@example.org');

    const first = await after(3, 'information-request-reminder', sw, id);
    expect(first.subject).toMatch(/^Påminnelse/);
    // The reminder's link replaces the request's.
    expect((await get(onlyLink(request))).status).toBe(410);
    await expect.poll(() => system.engine.waitingState(id)).toBe('InformationRequest');
    const second = await after(4, 'information-request-reminder', sw, id);
    await expect.poll(() => system.engine.waitingState(id)).toBe('InformationRequest');

    const overdue = await after(3, 'information-request-overdue', COORDINATOR, id);
    expect(overdue.text).toContain('Du kan bedöma anmälan med de uppgifter som finns');
    expect(overdue.text).not.toContain('syskon');
    expect(overdue.text).not.toContain('Ingrid');
    // The coordinator can screen with what she has, from her inbox.
    const cookie = await signIn(COORDINATOR);
    const inbox = await fetch(`${system.url}/staff/tasks`, { headers: { cookie } }).then((r) => r.text());
    expect(inbox).toContain('Försenad komplettering: bedöm anmälan med de uppgifter som finns');
    expect(inbox).toContain(`href="/staff/tasks/step/${id}/information-request"`);
    expect((await system.deps.store.getReferral(id))?.status).toBe('active');

    const again = await after(4, 'screening-request-again', COORDINATOR, id);
    expect(again.text).toContain('har inte svarat på begäran om komplettering');
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    expect(await system.deps.store.getReferral(id)).toMatchObject({
      status: 'active',
      phase: 'screening',
      informationRequests: [expect.objectContaining({ outcome: 'no-answer' })],
    });
    // The last reminder no longer works; nothing needed attention.
    expect((await postForm(onlyLink(second), { action: 'cannot-add' })).status).toBe(410);
    const actions = await auditActions(system, id);
    expect(actions.filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
    expect(actions).toEqual(
      expect.arrayContaining(['step-escalated', 'step-deadline-passed', 'information-request-unanswered']),
    );
    expect(actions).not.toContain('step-failed');
    // Each email once.
    const templates = system.mailbox
      .list()
      .filter((m) => m.text.includes(id))
      .map((m) => m.template);
    expect(templates.filter((t) => t === 'information-request-reminder')).toHaveLength(2);
    expect(templates.filter((t) => t === 'information-request-overdue')).toHaveLength(1);
    expect(templates.filter((t) => t === 'screening-request-again')).toHaveLength(1);
  });
});
