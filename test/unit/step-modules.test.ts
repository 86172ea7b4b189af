/**
 * The human-step modules as use cases, on the in-memory store (which passes the DynamoDB store's
 * contract): what an answer does to the referral, what the workflow receives, how a recorded answer is
 * replayed to a new wait, and how an answer the workflow did not take is taken back. Milliseconds, no
 * state machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { partnershipSchema } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import type { OpenStep } from '../../functions/kernel/human-step';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { Dependencies, LinkRecord } from '../../functions/ports';
import { MemoryReferralStore } from '../fakes/memory-store';

const NOW = Date.parse('2027-05-10T08:00:00Z');

const base: Referral = {
  referralId: 'R-MODS-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(NOW).toISOString(),
  updatedAt: new Date(NOW).toISOString(),
  phase: 'screening',
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
    { number: 2, name: 'Per', language: 'sv' },
  ],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(NOW).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};

async function setUp(referral: Referral = base) {
  const store = new MemoryReferralStore();
  await store.putPartnership(
    partnershipSchema.parse(
      JSON.parse(readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8')),
    ),
  );
  await store.createReferral(referral);
  const clock = { now: () => new Date(NOW) };
  const deps = {
    config: { partnershipId: 'stockholm-bris' },
    store,
    clock,
    wallClock: clock,
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {}, flush() {} },
  } as unknown as Dependencies;
  const reload = async () => (await store.getReferral(referral.referralId))!;
  return { deps, reload };
}

const link = (
  step: LinkRecord['step'],
  role: LinkRecord['recipient']['role'],
  extra: Partial<LinkRecord> = {},
) =>
  ({
    linkHash: 'h',
    referralId: base.referralId,
    step,
    recipient: { role, name: 'Någon', email: 'x@example.org', language: 'sv' },
    status: 'used',
    taskToken: 't',
    createdAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + 86_400_000).toISOString(),
    ...extra,
  }) as LinkRecord;

describe('screening', () => {
  const step = HUMAN_STEP_MODULES.screening;

  it('an approval with a need is recorded and replayed; a decline ends the referral as declined', async () => {
    const { deps, reload } = await setUp();
    const open: OpenStep = { link: link('screening', 'coordinator'), referral: base };
    const approve = step.answer!.schema('coordinator').parse({ action: 'approve', noWeekdays: 'on' });
    await step.answer!.apply(deps, open, approve, new Date(NOW).toISOString());
    const after = await reload();
    expect(after.screening).toMatchObject({ decision: 'approved' });
    expect(after.needs).toEqual({ noWeekdays: true });
    expect(step.answer!.resolution(approve)).toEqual({ kind: 'success', output: { decision: 'approved' } });
    expect(await step.recordedAnswer(deps, after, open.link)).toEqual({
      kind: 'success',
      output: { decision: 'approved' },
    });
    const decline = step
      .answer!.schema('coordinator')
      .parse({ action: 'decline', reason: 'Utanför målgruppen.' });
    expect(step.answer!.resolution(decline)).toMatchObject({ kind: 'failure', error: 'Referral.Declined' });
  });

  it('has nothing to replay before the coordinator has answered', async () => {
    const { deps, reload } = await setUp();
    expect(await step.recordedAnswer(deps, await reload(), link('screening', 'coordinator'))).toBeUndefined();
  });

  it('is answered by the partnership coordinator', async () => {
    const { deps } = await setUp();
    expect(await step.recipient(deps, base)).toEqual({
      role: 'coordinator',
      name: 'Samordnare Bris',
      email: 'samordnare@bris.example',
      language: 'sv',
    });
  });
});

describe('consent', () => {
  const step = HUMAN_STEP_MODULES.consent;

  it('a custodian answers by email; one without email is represented by the social worker, on paper', async () => {
    const { deps } = await setUp();
    expect(await step.recipient(deps, base, 1)).toMatchObject({
      role: 'custodian',
      email: 'vera@example.org',
    });
    expect(await step.recipient(deps, base, 2)).toMatchObject({
      role: 'social-worker',
      email: 'siv@farsta.example',
    });
    expect(step.answer!.schema('social-worker').safeParse({ action: 'consent' }).success).toBe(false);
    expect(step.answer!.schema('custodian').safeParse({ action: 'consent' }).success).toBe(true);
  });

  it('records an answer, replays it, and takes it back when the workflow did not take it', async () => {
    const { deps, reload } = await setUp();
    const open: OpenStep = { link: link('consent', 'custodian', { custodian: 1 }), referral: base };
    const refuse = step.answer!.schema('custodian').parse({ action: 'refuse' });
    await step.answer!.apply(deps, open, refuse, new Date(NOW).toISOString());
    expect((await reload()).custodians[0]!.consent).toMatchObject({ given: false });
    expect(await step.recordedAnswer(deps, await reload(), open.link)).toMatchObject({
      kind: 'failure',
      error: 'Referral.ConsentRefused',
    });
    const audit = (await deps.store.listAudit(base.referralId)).map((e) => e.action);
    expect(audit).toEqual(['consent-refused']);
    await step.answer!.takeBack!(deps, { ...open, referral: await reload() });
    expect((await reload()).custodians[0]!.consent).toBeUndefined();
    expect(await step.recordedAnswer(deps, await reload(), open.link)).toBeUndefined();
  });
});

describe('the consent escalation', () => {
  const step = HUMAN_STEP_MODULES['consent-escalation'];

  it('refuses a committee decision dated in the future, naming the field', async () => {
    const { deps } = await setUp();
    const open: OpenStep = { link: link('consent-escalation', 'social-worker'), referral: base };
    const future = step.answer!.schema('social-worker').parse({
      action: 'committee-decision',
      decisionDate: '2027-05-11',
      caseReference: 'SN 2027/12',
    });
    expect(step.answer!.check!(deps, open, future)).toEqual({
      decisionDate: 'Beslutsdatumet kan inte ligga i framtiden.',
    });
  });

  it('an extension starts a new round from today with the extension length; silent custodians are asked anew', async () => {
    const { deps, reload } = await setUp({
      ...base,
      phase: 'consent',
      consentRound: {
        number: 1,
        startedAt: '2027-04-20T08:00:00.000Z',
        reminderAt: [],
        deadlineAt: '2027-05-04T08:00:00.000Z',
      },
    });
    const open: OpenStep = { link: link('consent-escalation', 'social-worker'), referral: await reload() };
    await step.answer!.apply(deps, open, { action: 'extend' }, new Date(NOW).toISOString());
    const round = (await reload()).consentRound!;
    expect(round.number).toBe(2);
    expect(round.startedAt).toBe(new Date(NOW).toISOString());
    expect(round.deadlineAt).toBe(new Date(NOW + 14 * 86_400_000).toISOString());
    expect(step.answer!.resolution({ action: 'extend' })).toEqual({
      kind: 'success',
      output: { choice: 'extend' },
    });
    expect(await step.recordedAnswer(deps, await reload(), { ...open.link, usedAction: 'extend' })).toEqual({
      kind: 'success',
      output: { choice: 'extend' },
    });
  });
});

describe('the silent waits', () => {
  it('the pool is settled by a placement, and nothing else', async () => {
    const { deps, reload } = await setUp();
    const pool = HUMAN_STEP_MODULES['group-assignment'];
    expect(pool.answer).toBeUndefined();
    expect(await pool.settledBy!(deps, await reload())).toBeUndefined();
    await deps.store.updateReferral(base.referralId, { group: { groupId: 'g-10-12-abcdef' } } as never);
    expect(await pool.settledBy!(deps, await reload())).toEqual({ groupId: 'g-10-12-abcdef' });
  });
});
