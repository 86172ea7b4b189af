/**
 * The link purposes that are not workflow waits, as use cases through the link engine on the in-memory
 * store (which passes the DynamoDB store's contract), with a clock the test moves: withdrawing a referral
 * and answering the follow-up questionnaires. Milliseconds, no state machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeyedLinkTokens } from '../../functions/adapters/link-tokens';
import { partnershipSchema } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { withdrawalLink } from '../../functions/kernel/step-links';
import { sendFollowUp } from '../../functions/phases/follow-up/follow-up';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import { redeemLink, renewLink, viewLink } from '../../functions/phases/links/link-engine';
import type { Dependencies, EmailMessage } from '../../functions/ports';
import { MemoryReferralStore } from '../fakes/memory-store';

const DAY = 86_400_000;
const START = Date.parse('2027-09-01T08:00:00Z');

const base: Referral = {
  referralId: 'R-LINK-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
  phase: 'screening',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 11,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'e'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START).toISOString() },
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
  let now = START;
  const sent: EmailMessage[] = [];
  const callbacks: string[] = [];
  const clock = { now: () => new Date(now) };
  const deps = {
    config: {
      publicBaseUrl: 'https://stodgrupper.example',
      linkTtlDays: 14,
      partnershipId: 'stockholm-bris',
    },
    store,
    email: { send: async (m: EmailMessage) => void sent.push(m) },
    workflow: {
      sendTaskSuccess: async (t: string) => void callbacks.push(`success ${t}`),
      sendTaskFailure: async (t: string, e: string) => void callbacks.push(`failure ${t} ${e}`),
    },
    clock,
    wallClock: clock,
    identity: { hash: async (s: string) => s },
    linkTokens: new KeyedLinkTokens(async () => 'test-secret'),
    log: { info() {}, warn() {}, error() {} },
  } as unknown as Dependencies;
  const reload = async () => (await store.getReferral(referral.referralId))!;
  const actions = async () => (await store.listAudit(referral.referralId)).map((e) => e.action);
  return { deps, store, sent, callbacks, reload, actions, at: (days: number) => (now = START + days * DAY) };
}

const tokensIn = (m: EmailMessage) => [...m.text.matchAll(/\/links\/([A-Za-z0-9_-]{43})/g)].map((x) => x[1]!);
const tokenOf = (url: string) => url.split('/links/')[1]!;

describe('withdrawal by link', () => {
  async function waitingInScreening() {
    const t = await setUp();
    // The screening step waits, its link holding the task token the withdrawal must fail.
    await t.store.putLink({
      linkHash: 'screening-link',
      referralId: base.referralId,
      step: 'screening',
      recipient: { role: 'coordinator', name: 'S', email: 'samordnare@bris.example', language: 'sv' },
      createdAt: new Date(START).toISOString(),
      expiresAt: new Date(START + 14 * DAY).toISOString(),
      status: 'open',
      taskToken: 'screening-token',
    });
    await t.store.putStep({
      referralId: base.referralId,
      step: 'screening',
      linkHash: 'screening-link',
      enteredAt: new Date(START).toISOString(),
    });
    const custodian = {
      role: 'custodian' as const,
      name: 'Vera',
      email: 'vera@example.org',
      language: 'sv' as const,
    };
    const token = tokenOf(await withdrawalLink(t.deps, base, custodian, 1));
    return { ...t, token };
  }

  it('records who and why, fails the waiting step as withdrawn, and works once', async () => {
    const { deps, token, reload, callbacks, actions } = await waitingInScreening();
    const body = { action: 'withdraw', reason: 'Familjen flyttar till Göteborg.' };
    const done = await redeemLink(token, body, deps, LINK_MODULES);
    expect(done).toMatchObject({ kind: 'done', action: { action: 'withdraw' } });
    expect((await reload()).withdrawal).toMatchObject({
      by: { role: 'custodian', name: 'Vera' },
      reason: 'Familjen flyttar till Göteborg.',
    });
    expect(callbacks).toEqual(['failure screening-token Referral.Withdrawn']);
    expect(await actions()).toEqual(['referral-withdrawn', 'link-redeemed']);
    expect((await redeemLink(token, body, deps, LINK_MODULES)).kind).toBe('used');
    expect(callbacks).toHaveLength(1);
  });

  it('refuses a reason with an identity number, naming the field; nothing is withdrawn', async () => {
    const { deps, token, reload, callbacks } = await waitingInScreening();
    const result = await redeemLink(
      token,
      { action: 'withdraw', reason: 'Gäller 150312-1236' },
      deps,
      LINK_MODULES,
    );
    expect(result.kind).toBe('invalid');
    expect(Object.keys((result as { errors: Record<string, string> }).errors)).toEqual(['reason']);
    expect((await reload()).withdrawal).toBeUndefined();
    expect(callbacks).toEqual([]);
  });

  it('is open in any phase until the referral closes; an expired one is not renewed', async () => {
    const { deps, token, store, sent, at } = await waitingInScreening();
    await store.updateReferral(base.referralId, { phase: 'sessions' });
    expect((await viewLink(token, deps, LINK_MODULES)).kind).toBe('open');
    at(401);
    expect(await viewLink(token, deps, LINK_MODULES)).toMatchObject({ kind: 'expired', renewable: false });
    expect((await renewLink(token, deps, LINK_MODULES)).kind).toBe('expired');
    expect(sent).toEqual([]);
    at(1);
    await store.updateReferral(base.referralId, { status: 'closed', phase: 'closed' });
    expect((await viewLink(token, deps, LINK_MODULES)).kind).toBe('closed');
  });
});

describe('the questionnaires', () => {
  const inFollowUp: Referral = { ...base, phase: 'sessions' };
  const start = (deps: Dependencies) => sendFollowUp({ referralId: base.referralId, op: 'start' }, deps);
  const answers = { action: 'answer', 'item-liked': '5', 'item-talk': '4', 'item-others': '3' };

  it("a child's answer is recorded once; the comment is kept, never mailed; a missing item names its field", async () => {
    const { deps, store, sent, actions } = await setUp(inFollowUp);
    await start(deps);
    expect(sent.map((m) => [m.to, m.template])).toEqual([['fia@example.org', 'evaluation-request']]);
    const [, child] = tokensIn(sent[0]!);
    expect(await viewLink(child!, deps, LINK_MODULES)).toMatchObject({
      kind: 'open',
      link: { respondent: 'child' },
    });
    const missing = await redeemLink(child!, { action: 'answer', 'item-liked': '5' }, deps, LINK_MODULES);
    expect(missing.kind).toBe('invalid');
    expect(Object.keys((missing as { errors: Record<string, string> }).errors).sort()).toEqual([
      'item-others',
      'item-talk',
    ]);
    const done = await redeemLink(child!, { ...answers, freeText: 'Roligt!' }, deps, LINK_MODULES);
    expect(done.kind).toBe('done');
    expect(await store.listEvaluations(base.referralId)).toEqual([
      expect.objectContaining({
        round: 'first',
        respondent: 'child',
        scores: { liked: 5, talk: 4, others: 3 },
        freeText: 'Roligt!',
      }),
    ]);
    expect((await redeemLink(child!, answers, deps, LINK_MODULES)).kind).toBe('used');
    expect(await actions()).toContain('link-redeemed');
    const redeemed = (await store.listAudit(base.referralId)).find((e) => e.action === 'link-redeemed');
    expect(redeemed?.detail).toMatchObject({
      step: 'evaluation',
      outcome: 'answer',
      round: 'first',
      respondent: 'child',
    });
  });

  it('are open only in the follow-up', async () => {
    const { deps, sent, store } = await setUp(inFollowUp);
    await start(deps);
    const [carer] = tokensIn(sent[0]!);
    await store.updateReferral(base.referralId, { status: 'closed', phase: 'closed' });
    expect((await viewLink(carer!, deps, LINK_MODULES)).kind).toBe('closed');
  });
});
