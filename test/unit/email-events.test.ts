/**
 * Bounces and complaints: the SNS/SES event shape the handler accepts (anything else is skipped, never
 * thrown), and the use case on the in-memory store: the recipient is marked by role and number, the
 * timeline has it in words without the address, the coordinator and the social worker are told (no
 * address in their email), and a custodian's consent link moves to the social worker, bound to the same
 * waiting task; her new address asks the custodian anew on the same task.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { emailEventOf, handler } from '../../functions/email-events/handler';
import { provideDependencies } from '../../functions/shared/dependencies';
import type { Context } from 'aws-lambda';
import { recordEmailEvent } from '../../functions/kernel/undeliverable-email';
import { issueStepLink } from '../../functions/kernel/step-links';
import { consentStep } from '../../functions/phases/consent/consent-step';
import { askSocialWorkerForCustodian } from '../../functions/phases/consent/undeliverable-consent';
import { stepLinkModule } from '../../functions/kernel/step-answers';
import { describeDetail, ACTION_LABELS } from '../../functions/web/audit-labels';
import { EmfMetrics } from '../../functions/adapters/metrics';
import { METRICS } from '../../functions/shared/metric-names';
import { memoryDependencies } from '../support/memory-deps';

const NOW = Date.parse('2027-05-10T08:00:00Z');
const referral: Referral = {
  referralId: 'R-BNCE-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(NOW).toISOString(),
  updatedAt: new Date(NOW).toISOString(),
  phase: 'consent',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'd'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [
    { number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' },
    { number: 2, name: 'Per', email: 'per@example.org', language: 'sv' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(NOW).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};

async function setUp() {
  const { deps, store, sent, callbacks } = await memoryDependencies({
    start: NOW,
    referrals: [referral],
    metrics: new EmfMetrics(),
  });
  const reload = async () => (await store.getReferral(referral.referralId))!;
  return { deps, store, sent, callbacks, reload };
}

const sesBounce = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventType: 'Bounce',
    mail: {
      messageId: '0100018f-aaaa',
      destination: ['per@example.org'],
      tags: { template: ['consent-request'], referral: ['R-BNCE-0001'] },
    },
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'per@example.org', status: '5.1.1' }],
    },
    ...over,
  });

describe('the SES event shape the email-events handler accepts', () => {
  it('reads a permanent bounce: the addresses, the send id and the referral and template tags', () => {
    expect(emailEventOf(sesBounce())).toEqual({
      kind: 'bounce',
      messageId: '0100018f-aaaa',
      recipients: ['per@example.org'],
      referralId: 'R-BNCE-0001',
      template: 'consent-request',
    });
  });

  it('reads a complaint', () => {
    const complaint = JSON.stringify({
      eventType: 'Complaint',
      mail: { messageId: 'm-2', tags: { referral: ['R-BNCE-0001'] } },
      complaint: { complainedRecipients: [{ emailAddress: 'vera@example.org' }] },
    });
    expect(emailEventOf(complaint)).toMatchObject({ kind: 'complaint', recipients: ['vera@example.org'] });
  });

  it('skips, without throwing, a transient bounce, a delivery, a broken message and a foreign tag', () => {
    expect(
      emailEventOf(
        sesBounce({ bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@b.se' }] } }),
      ),
    ).toEqual({ skipped: 'transient-bounce' });
    expect(emailEventOf(JSON.stringify({ eventType: 'Delivery', mail: { messageId: 'x' } }))).toEqual({
      skipped: 'not-a-bounce-or-complaint',
    });
    expect(emailEventOf('{not json')).toEqual({ skipped: 'not-json' });
    expect(emailEventOf(sesBounce({ bounce: { bounceType: 'Permanent', bouncedRecipients: [] } }))).toEqual({
      skipped: 'not-a-bounce-or-complaint',
    });
    const foreign = JSON.parse(sesBounce());
    foreign.mail.tags.referral = ['../../etc'];
    expect(emailEventOf(JSON.stringify(foreign))).toMatchObject({ referralId: undefined });
  });
});

describe('a bounced email on the memory store', () => {
  it("marks custodian 2, records it in words without her address, tells the coordinator and the social worker, and gives the social worker the custodian's link on the same task", async () => {
    const { deps, sent, reload, store } = await setUp();
    // Custodian 2 was asked; the wait holds task token "wait-2".
    const asked = await issueStepLink(
      deps,
      referral,
      consentStep,
      await consentStep.recipient(deps, referral, 2),
      'wait-2',
      'request',
      2,
    );
    sent.length = 0;

    const event = emailEventOf(sesBounce());
    if ('skipped' in event) throw new Error('parsed');
    expect(await recordEmailEvent(deps, event, askSocialWorkerForCustodian)).toBe('marked');

    const r = await reload();
    expect(r.undeliverable).toEqual({
      'custodian-2': {
        role: 'custodian',
        custodian: 2,
        kind: 'bounce',
        at: new Date(NOW).toISOString(),
        template: 'consent-request',
      },
    });
    expect(JSON.stringify(r.undeliverable)).not.toContain('@');
    const events = (await store.listAudit(referral.referralId)).filter(
      (e) => e.action === 'email-undeliverable',
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain('per@example.org');
    expect(ACTION_LABELS['email-undeliverable'].sv).toContain('kunde inte levereras');
    expect(describeDetail(events[0]!, 'sv')).toEqual(['till vårdnadshavare 2', 'studsade']);

    const coordinator = (await deps.store.getPartnership('stockholm-bris'))!.coordinator.email;
    expect(sent.map((m) => `${m.template} → ${m.to}`).sort()).toEqual(
      [
        'consent-request-paper → siv@farsta.example',
        `email-undeliverable → ${coordinator}`,
        'email-undeliverable → siv@farsta.example',
      ].sort(),
    );
    for (const m of sent.filter((x) => x.template === 'email-undeliverable')) {
      expect(m.text).toContain('E-post till vårdnadshavare 2');
      expect(m.text).not.toContain('per@example.org');
    }
    // The custodian's link is superseded; the social worker's is bound to the same wait.
    expect((await store.getLink(asked.linkHash))!.status).toBe('superseded');
    const step = await store.getStep(referral.referralId, 'consent', 2);
    const swLink = (await store.getLink(step!.linkHash))!;
    expect(swLink.recipient.role).toBe('social-worker');
    expect(swLink.taskToken).toBe('wait-2');

    // The same SNS message again: nothing new.
    sent.length = 0;
    expect(await recordEmailEvent(deps, event, askSocialWorkerForCustodian)).toBe('already-marked');
    expect(sent).toEqual([]);
    expect(
      (await store.listAudit(referral.referralId)).filter((e) => e.action === 'email-undeliverable'),
    ).toHaveLength(1);
  });

  it('with a new address from the social worker, asks the custodian anew on the same task, and resumes nothing yet', async () => {
    const { deps, sent, callbacks, reload, store } = await setUp();
    await issueStepLink(
      deps,
      referral,
      consentStep,
      await consentStep.recipient(deps, referral, 2),
      'wait-2',
      'request',
      2,
    );
    const event = emailEventOf(sesBounce());
    if ('skipped' in event) throw new Error('parsed');
    await recordEmailEvent(deps, event, askSocialWorkerForCustodian);
    const swLink = (await store.getLink((await store.getStep(referral.referralId, 'consent', 2))!.linkHash))!;
    const module = stepLinkModule(consentStep);
    const schema = module.answer!.schema({ link: swLink } as never);
    expect(schema.safeParse({ action: 'new-address', email: 'inte en adress' }).success).toBe(false);
    const answer = schema.parse({ action: 'new-address', email: 'per.ny@example.org' });
    expect(
      consentStep.answer!.check!(
        deps,
        { link: swLink, referral: await reload() },
        { action: 'new-address', email: 'PER@example.org' },
      ),
    ).toHaveProperty('email');
    sent.length = 0;
    await store.useLink(swLink.linkHash, new Date(NOW).toISOString(), 'new-address');
    expect(
      await module.answer!.apply(
        deps,
        { kind: 'open', link: swLink, referral: await reload() } as never,
        answer,
        new Date(NOW).toISOString(),
      ),
    ).toBe('done');

    const r = await reload();
    expect(r.custodians[1]!.email).toBe('per.ny@example.org');
    expect(r.undeliverable).toEqual({});
    expect(callbacks).toEqual([]);
    expect(sent.map((m) => `${m.template} → ${m.to}`)).toEqual(['consent-request → per.ny@example.org']);
    const custodianLink = (await store.getLink(
      (await store.getStep(referral.referralId, 'consent', 2))!.linkHash,
    ))!;
    expect(custodianLink.recipient).toMatchObject({ role: 'custodian', email: 'per.ny@example.org' });
    expect(custodianLink.taskToken).toBe('wait-2');
    expect((await store.listAudit(referral.referralId)).map((e) => e.action)).toContain(
      'custodian-email-replaced',
    );
  });

  it("a bounce of the social worker's own email tells the coordinator only; an unknown referral is skipped", async () => {
    const { deps, sent, reload } = await setUp();
    const swBounce = emailEventOf(
      sesBounce({
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Siv@Farsta.example' }] },
      }),
    );
    if ('skipped' in swBounce) throw new Error('parsed');
    expect(await recordEmailEvent(deps, swBounce, askSocialWorkerForCustodian)).toBe('marked');
    expect((await reload()).undeliverable).toHaveProperty('social-worker');
    expect(sent.map((m) => m.template)).toEqual(['email-undeliverable']);
    expect(sent[0]!.to).not.toBe('siv@farsta.example');
    expect(await recordEmailEvent(deps, { ...swBounce, referralId: 'R-NONE-0000' })).toBe('no-referral');
    expect(await recordEmailEvent(deps, { ...swBounce, referralId: undefined })).toBe('no-referral');
  });
});

describe('the email-events handler', () => {
  afterEach(() => provideDependencies(undefined));
  const invoke = (event: unknown) => handler(event, {} as Context);
  const sns = (...messages: string[]) => ({
    Records: messages.map((Message, i) => ({ EventSource: 'aws:sns', Sns: { MessageId: `m${i}`, Message } })),
  });

  it('skips what is not an SNS event or not a bounce, without throwing; records the bounce beside them', async () => {
    const { deps, reload } = await setUp();
    const warned: string[] = [];
    provideDependencies({
      ...deps,
      log: {
        ...deps.log,
        warn: (_m: string, f?: Record<string, unknown>) => void warned.push(String(f?.reason)),
      },
    });
    expect(await invoke({ hello: 'world' })).toEqual(['skipped']);
    expect(
      await invoke(sns('{', JSON.stringify({ eventType: 'Send', mail: { messageId: 'x' } }), sesBounce())),
    ).toEqual(['not-json', 'not-a-bounce-or-complaint', 'marked']);
    expect(warned).toEqual(['not-an-sns-event', 'not-json', 'not-a-bounce-or-complaint']);
    expect((await reload()).undeliverable).toHaveProperty('custodian-2');
    // Only the real bounce is counted, for the EmailsBounced alarm.
    expect(deps.metrics).toBeInstanceOf(EmfMetrics);
    expect((deps.metrics as EmfMetrics).totals.get(METRICS.emailsBounced)).toBe(1);
  });

  it('lets a failure while recording through, so that Lambda runs the event again', async () => {
    const { deps } = await setUp();
    const failing = Object.assign(Object.create(Object.getPrototypeOf(deps.store)), deps.store, {
      getReferral: async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      },
    });
    provideDependencies({ ...deps, store: failing });
    await expect(invoke(sns(sesBounce()))).rejects.toThrow('throttled');
  });
});
