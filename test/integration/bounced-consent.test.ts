/**
 * A custodian's address that bounces, on the real state machine and the local runtime: the mailbox is
 * told to bounce it, the consent request goes out and comes back as SES would report it (the same SNS
 * event, the same email-events handler); the custodian is marked, the timeline says so in words, the
 * coordinator and the social worker are told at once (no address in either email), and the social worker
 * gets the custodian's link: she gives another address and the custodian consents with the fresh link,
 * on the same wait — days before the 14-day deadline.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { auditActions, childId, get, onlyLink, postForm, submitReferral } from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';
const SOCIAL_WORKER = 'sw-bounce@kommun.example';
const BOUNCING = 'finns-inte@example.org';
const NEW_ADDRESS = 'vera.ny@example.org';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string): Promise<string> {
  const mark = system.mailbox.lastId;
  await postForm(`${system.url}/staff/sign-in`, { email });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await fetch(`${system.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

it('a bounced consent request is marked, on the timeline, told to both, and asked anew at the address the social worker gives', async () => {
  system.mailbox.bounce(BOUNCING);
  const id = await submitReferral(system, {
    identityNumber: childId(10, system.clock.now()),
    socialWorkerEmail: SOCIAL_WORKER,
    custodian1Email: BOUNCING,
  });
  const screening = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.to.includes(COORDINATOR) && m.text.includes(id),
  );
  const askedAt = system.clock.now().getTime();
  expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);

  const request = await system.mailbox.waitFor(
    (m) => m.template === 'consent-request' && m.to.includes(BOUNCING),
  );
  expect(request.bounced).toBe(true);
  const told = (to: string) =>
    system.mailbox.waitFor(
      (m) => m.template === 'email-undeliverable' && m.to.includes(to) && m.text.includes(id),
    );
  const [toCoordinator, toSocialWorker] = await Promise.all([told(COORDINATOR), told(SOCIAL_WORKER)]);
  for (const m of [toCoordinator, toSocialWorker]) {
    expect(m.text).toContain('E-post till vårdnadshavare 1');
    expect(m.text).not.toContain(BOUNCING);
  }
  const referral = await system.deps.store.getReferral(id);
  expect(referral?.undeliverable?.['custodian-1']).toMatchObject({
    role: 'custodian',
    custodian: 1,
    kind: 'bounce',
  });
  expect(await auditActions(system, id)).toContain('email-undeliverable');

  // The timeline, in words, for the coordinator signed in.
  const cookie = await signIn(COORDINATOR);
  const page = await fetch(`${system.url}/staff/referrals/${id}`, { headers: { cookie } });
  const text = (await page.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  expect(text).toContain('E-post kunde inte levereras');
  expect(text).toContain('till vårdnadshavare 1');
  expect(text).not.toContain(BOUNCING);

  // The social worker holds the custodian's link now, on the same wait.
  const paper = await system.mailbox.waitFor(
    (m) => m.template === 'consent-request-paper' && m.to.includes(SOCIAL_WORKER) && m.subject.includes(id),
  );
  expect(paper.text).toContain('kunde inte levereras');
  expect((await get(onlyLink(request))).status).toBe(410);
  const form = await get(onlyLink(paper));
  expect(form.text).toContain('name="email"');
  // A bad address is refused with the field named; the link still works.
  const bad = await postForm(onlyLink(paper), { action: 'new-address', email: 'inte-en-adress' });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('vårdnadshavarens nya e-postadress');
  const mark = system.mailbox.lastId;
  expect((await postForm(onlyLink(paper), { action: 'new-address', email: NEW_ADDRESS })).status).toBe(200);

  const again = await system.mailbox.waitFor(
    (m) => m.template === 'consent-request' && m.to.includes(NEW_ADDRESS),
    {
      afterId: mark,
    },
  );
  expect(again.bounced).toBeUndefined();
  await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
  expect((await postForm(onlyLink(again), { action: 'consent' })).status).toBe(200);
  await system.mailbox.waitFor((m) => m.template === 'consent-complete' && m.to.includes(SOCIAL_WORKER));
  const after = await system.deps.store.getReferral(id);
  expect(after?.custodians[0]).toMatchObject({ email: NEW_ADDRESS, consent: { given: true } });
  expect(after?.undeliverable).toEqual({});
  expect(await auditActions(system, id)).toContain('custodian-email-replaced');
  // Nobody waited for the deadline: all of it happened before the first reminder was due.
  expect(system.clock.now().getTime() - askedAt).toBeLessThan(3 * 86_400_000);
});
