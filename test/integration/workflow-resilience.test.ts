/** Failures on the real state machine: retried transient errors, needs-attention, idempotent human steps. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import type { AuditEvent, EmailMessage, LinkRecord, StepRecord } from '../../functions/ports';
import { auditActions, childId, onlyLink, postForm, submitReferral } from '../support/local';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $retryable: { throttling: true },
  });

describe('a human step entered twice sends one email', () => {
  it('a retried Screening task re-binds its new token to the existing link', async () => {
    const store = system.deps.store;
    const original = store.putStep.bind(store);
    let failures = 0;
    // The first attempt sends the email and records it (the step marked sent, with its audit event), then
    // fails: the write went through but its answer was throttled away. Retry runs the task again.
    store.putStep = async (step: StepRecord, event?: AuditEvent, newLinks?: LinkRecord[]) => {
      await original(step, event, newLinks);
      if (event?.action === 'step-requested' && event.detail?.step === 'screening' && failures === 0) {
        failures += 1;
        throw throttled();
      }
    };
    try {
      const id = await submitReferral(system, {
        identityNumber: childId(16, system.clock.now()),
        custodian1Email: 'retry@example.org',
      });
      await system.engine.waitUntil(id, (_e, waiting) => waiting === 'Screening');
      await expect.poll(async () => auditActions(system, id)).toContain('step-resumed');
      const screeningEmails = system.mailbox
        .list()
        .filter((m) => m.template === 'screening-request' && m.text.includes(id));
      expect(failures).toBe(1);
      expect(screeningEmails).toHaveLength(1);

      // The one emailed link resumes the execution through the retried task's token.
      expect((await postForm(onlyLink(screeningEmails[0]!), { action: 'approve' })).status).toBe(200);
      await system.mailbox.waitFor(
        (m) => m.template === 'consent-request' && m.to.includes('retry@example.org'),
      );
      expect(system.engine.execution(id)?.states.filter((s) => s === 'Screening')).toHaveLength(2);
    } finally {
      store.putStep = original;
    }
  });
});

describe('a failing step is never silently lost', () => {
  it('a non-transient failure leaves the referral in needs-attention with the phase and error recorded', async () => {
    const email = system.deps.email;
    const original = email.send.bind(email);
    email.send = async (m: EmailMessage) => {
      if (m.template === 'intake-received' && m.to.includes('broken@farsta.example'))
        throw new Error('mailbox rejected');
      return original(m);
    };
    try {
      const id = await submitReferral(system, {
        identityNumber: childId(17, system.clock.now()),
        socialWorkerEmail: 'broken@farsta.example',
      });
      const execution = await system.engine.waitUntil(id, (e) => e?.status !== 'RUNNING');
      expect(execution?.status).toBe('FAILED');
      expect(execution?.states).toEqual(['Intake', 'RecordFailure']);
      const referral = await system.deps.store.getReferral(id);
      expect(referral).toMatchObject({
        status: 'needs-attention',
        phase: 'intake',
        failure: { phase: 'intake', error: 'Error' },
      });
      expect(await auditActions(system, id)).toEqual([
        'referral-submitted',
        'child-wish-recorded',
        'step-failed',
      ]);
      expect(
        (await system.deps.store.listReferralsByStatus('needs-attention')).map((r) => r.referralId),
      ).toContain(id);
    } finally {
      email.send = original;
    }
  });

  it('transient failures are retried and the referral goes on', async () => {
    const email = system.deps.email;
    const original = email.send.bind(email);
    let attempts = 0;
    email.send = async (m: EmailMessage) => {
      if (m.template === 'intake-received' && m.to.includes('flaky@farsta.example') && ++attempts <= 2)
        throw throttled();
      return original(m);
    };
    try {
      const id = await submitReferral(system, {
        identityNumber: childId(13, system.clock.now()),
        socialWorkerEmail: 'flaky@farsta.example',
      });
      await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(id));
      expect(attempts).toBe(3);
      expect(
        system.mailbox.list().filter((m) => m.template === 'intake-received' && m.text.includes(id)),
      ).toHaveLength(1);
      expect((await system.deps.store.getReferral(id))?.status).toBe('active');
    } finally {
      email.send = original;
    }
  });

  it('a protected child is not named in any email the workflow sends', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(9, system.clock.now()),
      childFirstName: 'Skyddadnamn',
      protectedIdentity: 'on',
      custodian1Email: 'protected@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'approve' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('protected@example.org'),
    );
    expect(consent.text).toContain(`barnet i ärende ${id}`);
    const page = await fetch(onlyLink(consent)).then((r) => r.text());
    expect(page).not.toContain('Skyddadnamn');
    for (const m of system.mailbox.list()) expect(m.text + m.html).not.toContain('Skyddadnamn');
  });
});
