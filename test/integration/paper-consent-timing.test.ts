/**
 * Paper consent is the consent step answered by the social worker for a custodian without email. Her
 * silence runs the same clock as a custodian's: reminders on the consent round's days, then at the
 * deadline she is asked to decide (extend, committee decision or close) — never needs-attention.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { auditActions, childId, get, onlyLink, postForm, submitReferral } from '../support/local';

let system: LocalSystem;
const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';
const SOCIAL_WORKER = 'sw-paper-silent@kommun.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;
const mail = (template: string, to: string, afterId = 0) =>
  system.mailbox.waitFor((m) => m.template === template && m.to.includes(to), { afterId });

it('a silent social worker is reminded on days 3 and 7, and at the deadline asked to decide', async () => {
  const id = await submitReferral(system, {
    identityNumber: childId(10, system.clock.now()),
    socialWorkerEmail: SOCIAL_WORKER,
    custodian1Name: 'Mamma Utan Epost',
    custodian1Contact: 'paper',
    custodian1Email: '',
  });
  const screening = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.to.includes(COORDINATOR) && m.text.includes(id),
  );
  expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);
  const paper = await mail('consent-request-paper', SOCIAL_WORKER);
  await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');

  const reminders = [];
  for (const days of [3, 4]) {
    const mark = lastId();
    system.clock.advance(days * DAY);
    reminders.push(await mail('consent-reminder-paper', SOCIAL_WORKER, mark));
  }
  // Each reminder's link replaces the one before.
  expect((await get(onlyLink(paper))).status).toBe(410);
  expect((await get(onlyLink(reminders[0]!))).status).toBe(410);

  const mark = lastId();
  system.clock.advance(7 * DAY); // day 14: the round's deadline
  const escalation = await mail('consent-escalation', SOCIAL_WORKER, mark);
  expect((await get(onlyLink(reminders[1]!))).status).toBe(410);
  expect(await system.deps.store.getReferral(id)).toMatchObject({ status: 'active' });

  expect((await postForm(onlyLink(escalation), { action: 'close' })).status).toBe(200);
  await mail('closed-consent-not-obtained', SOCIAL_WORKER);
  expect(await system.deps.store.getReferral(id)).toMatchObject({
    status: 'closed',
    outcome: 'consent-not-obtained',
  });
  const actions = await auditActions(system, id);
  expect(actions.filter((a) => a === 'consent-reminder-sent')).toHaveLength(2);
  expect(actions).toContain('consent-deadline-passed');
  expect(actions).not.toContain('step-failed');
  expect((await system.deps.store.getReferral(id))?.status).not.toBe('needs-attention');
});
