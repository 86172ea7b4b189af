/**
 * The link purposes that are not workflow waits, as use cases through the link engine on the in-memory
 * store (which passes the DynamoDB store's contract), with a clock the test moves: withdrawing a referral
 * and answering the follow-up questionnaires, and the follow-up's events (reminders, the end of each
 * round) as the workflow's task carries them out. Milliseconds, no state machine.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../functions/domain/follow-up';
import type { Referral } from '../../functions/domain/referral';
import { withdrawalLink } from '../../functions/kernel/step-links';
import { followUpEvents, sendFollowUp, type FollowUpState } from '../../functions/phases/follow-up/follow-up';
import {
  DEFAULT_QUESTIONNAIRE_TIMING,
  QUESTIONNAIRE_ESCALATION,
  questionnaireTiming,
} from '../../functions/phases/follow-up/questionnaire';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import { redeemLink, renewLink, viewLink } from '../../functions/phases/links/link-engine';
import type { Dependencies, EmailMessage } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';

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
  const { deps, store, sent, callbacks, setNow } = await memoryDependencies({
    start: START,
    referrals: [referral],
  });
  const reload = async () => (await store.getReferral(referral.referralId))!;
  const actions = async () => (await store.listAudit(referral.referralId)).map((e) => e.action);
  return { deps, store, sent, callbacks, reload, actions, at: (days: number) => setNow(START + days * DAY) };
}

const tokensIn = (m: EmailMessage) => [...m.text.matchAll(/\/links\/([A-Za-z0-9_-]{43})/g)].map((x) => x[1]!);
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

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

  it("reads the link and the referral its form names in one read; a form naming another referral's is read as usual", async () => {
    const { deps, store, token, reload } = await waitingInScreening();
    await store.createReferral({ ...base, referralId: 'R-LINK-0002' });
    // The link's and referrals' reads (the partnership's is cached per container).
    const { reads, counted } = countingLinkReads(
      deps,
      store,
      (name, args) => `${name} ${String(args[1] ?? args[0]).slice(0, 11)}`,
    );
    const body = { action: 'withdraw', reason: 'Familjen flyttar.' };
    // Another referral named: not taken for the link's own, which is read by its id.
    const wrong = await redeemLink(token, { action: 'nonsense' }, counted, LINK_MODULES, {
      for: 'R-LINK-0002',
      purpose: 'withdrawal',
    });
    expect(wrong.kind).toBe('invalid');
    expect(reads).toEqual(['getLinkWithReferral R-LINK-0002', 'getReferral R-LINK-0001']);
    reads.length = 0;
    const done = await redeemLink(token, body, counted, LINK_MODULES, { for: base.referralId });
    expect(done.kind).toBe('done');
    expect(reads.filter((r) => !r.startsWith('getLinks'))).toEqual(['getLinkWithReferral R-LINK-0001']);
    expect((await reload()).withdrawal?.reason).toBe('Familjen flyttar.');
  });

  it('opened from its email, reads the link and its referral in one read: the address names them', async () => {
    const { deps, store } = await waitingInScreening();
    const url = new URL(
      await withdrawalLink(
        deps,
        base,
        { role: 'custodian', name: 'Vera', email: 'vera@example.org', language: 'sv' },
        1,
      ),
    );
    const hint = Object.fromEntries(url.searchParams);
    expect(hint).toEqual({ for: base.referralId, purpose: 'withdrawal' });
    const { reads, counted } = countingLinkReads(deps, store, (name) => name);
    const token = url.pathname.split('/').pop()!;
    expect((await viewLink(token, counted, LINK_MODULES, hint)).kind).toBe('open');
    expect(reads).toEqual(['getLinkWithReferral']);
    // Without the hint (an address typed without it): the link, then its referral.
    reads.length = 0;
    expect((await viewLink(token, counted, LINK_MODULES)).kind).toBe('open');
    expect(reads).toEqual(['getLink', 'getReferral']);
  });

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
    // Both at the same instant of the test's clock: the redemption (the link's single-use update) and the
    // withdrawal's once-keyed event, whose key sorts by what it is, not when.
    expect((await actions()).sort()).toEqual(['link-redeemed', 'referral-withdrawn']);
    expect((await redeemLink(token, body, deps, LINK_MODULES)).kind).toBe('used');
    expect(callbacks).toHaveLength(1);
  });

  it('fails a wait whose step was entered while the withdrawal was written: the steps are listed again after it', async () => {
    const { deps, store, token, callbacks } = await waitingInScreening();
    // The listing sent beside the withdrawal's write ran before the screening step was entered (the step
    // stores its token, then reads the referral before the withdrawal lands: it waits).
    let listings = 0;
    const racing: Dependencies = {
      ...deps,
      store: new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver) as unknown;
          if (name !== 'listSteps') return value;
          return async (referralId: string) => (listings++ === 0 ? [] : store.listSteps(referralId));
        },
      }),
    };
    const done = await redeemLink(token, { action: 'withdraw', reason: 'Vi flyttar.' }, racing, LINK_MODULES);
    expect(done.kind).toBe('done');
    expect(listings).toBe(2);
    expect(callbacks).toEqual(['failure screening-token Referral.Withdrawn']);
  });

  it('two withdrawals at once through one link: one is done, the other finds the link used', async () => {
    const { deps, store, token, callbacks } = await waitingInScreening();
    const body = { action: 'withdraw', reason: 'Vi flyttar.' };
    const results = await Promise.all([
      redeemLink(token, body, deps, LINK_MODULES),
      redeemLink(token, { ...body, reason: 'Vi har ändrat oss.' }, deps, LINK_MODULES),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['done', 'used']);
    expect(callbacks).toEqual(['failure screening-token Referral.Withdrawn']);
    const recorded = (await store.listAudit(base.referralId)).map(
      (e) => `${e.action} ${e.detail?.outcome ?? ''}`,
    );
    expect(recorded.sort()).toEqual([
      'link-redeemed refused-used',
      'link-redeemed withdraw',
      'referral-withdrawn ',
    ]);
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

describe('the questionnaires (defaults: first round reminded day 7, ends day 14; later reminded day 14, ends day 28)', () => {
  const inFollowUp: Referral = { ...base, phase: 'sessions' };
  const start = async (deps: Dependencies) =>
    (await sendFollowUp({ referralId: base.referralId, op: 'start' }, deps)) as FollowUpState;
  const event = (deps: Dependencies, index: number, startedAt: string) =>
    sendFollowUp({ referralId: base.referralId, op: 'event', index, startedAt }, deps);
  const answers = { action: 'answer', 'item-liked': '5', 'item-talk': '4', 'item-others': '3' };

  it('are one module for both rounds and respondents; escalation is declared none', () => {
    expect(LINK_MODULES.evaluation).toMatchObject({ purpose: 'evaluation', answeredBy: ['carer'] });
    expect(QUESTIONNAIRE_ESCALATION).toBe('none');
    const f = DEFAULT_FOLLOW_UP_SETTINGS;
    expect(questionnaireTiming(f, 'first')).toEqual(DEFAULT_QUESTIONNAIRE_TIMING.first);
    expect(questionnaireTiming(f, 'later')).toEqual(DEFAULT_QUESTIONNAIRE_TIMING.later);
    // The first round never outlasts the summary, which says whether it was answered.
    expect(questionnaireTiming({ ...f, summaryAfterDays: 5 }, 'first')).toEqual({
      reminderDays: [],
      answerDays: 5,
    });
    // A partnership stored with the older setting keeps its one reminder and its end.
    expect(questionnaireTiming({ ...f, laterReminderDays: 10 }, 'later')).toEqual({
      reminderDays: [10],
      answerDays: 20,
    });
  });

  it('the follow-up walks its events in order, counted from the first questionnaire', () => {
    const events = followUpEvents(DEFAULT_FOLLOW_UP_SETTINGS, START).map((e) => [
      `${e.kind}${'round' in e ? ` ${e.round}` : ''}`,
      Math.round((e.at - START) / DAY),
    ]);
    expect(events).toEqual([
      ['reminder first', 7],
      ['round-ends first', 14],
      ['summary', 14],
      ['later', 91],
      ['reminder later', 105],
      ['round-ends later', 119],
    ]);
  });

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

  it("the reminder goes while someone has not answered, with the round's links; an answer counts once", async () => {
    const { deps, store, sent, at } = await setUp(inFollowUp);
    const { startedAt } = await start(deps);
    const [firstCarer] = tokensIn(sent[0]!);
    at(7);
    await event(deps, 0, startedAt);
    await event(deps, 0, startedAt); // the task run twice: one email
    expect(sent.map((m) => m.template)).toEqual(['evaluation-request', 'evaluation-reminder']);
    // The first email's link still works: the reminder carries it again (no new link).
    const [reminderCarer] = tokensIn(sent[1]!);
    expect(reminderCarer).toBe(firstCarer);
    const carerAnswers = {
      action: 'answer',
      'item-wellbeing': '4',
      'item-useful': '4',
      'item-practical': '5',
    };
    expect((await redeemLink(reminderCarer!, carerAnswers, deps, LINK_MODULES)).kind).toBe('done');
    // The same link again: already answered, nothing changes.
    expect((await redeemLink(firstCarer!, carerAnswers, deps, LINK_MODULES)).kind).toBe('used');
    expect(await store.listEvaluations(base.referralId)).toHaveLength(1);
  });

  it('a silent family: reminded, then the round ends with "not answered" for each; the links expire, not renewed', async () => {
    const { deps, sent, at, actions } = await setUp(inFollowUp);
    const { startedAt } = await start(deps);
    const [carer] = tokensIn(sent[0]!);
    at(7);
    expect(await event(deps, 0, startedAt)).toMatchObject({
      done: false,
      nextAt: new Date(START + 14 * DAY).toISOString(),
    });
    at(14);
    await event(deps, 1, startedAt);
    await event(deps, 1, startedAt); // run twice: recorded once
    const notAnswered = (await deps.store.listAudit(base.referralId)).filter(
      (e) => e.action === 'questionnaire-not-answered',
    );
    expect(notAnswered.map((e) => e.detail)).toEqual([
      { round: 'first', respondent: 'carer' },
      { round: 'first', respondent: 'child' },
    ]);
    expect(await viewLink(carer!, deps, LINK_MODULES)).toMatchObject({ kind: 'expired', renewable: false });
    expect((await renewLink(carer!, deps, LINK_MODULES)).kind).toBe('expired');
    expect(await actions()).not.toContain('step-failed');
  });

  it('the last event ends the follow-up', async () => {
    const { deps, at } = await setUp(inFollowUp);
    const { startedAt } = await start(deps);
    at(119);
    expect(await event(deps, 5, startedAt)).toMatchObject({ done: true });
  });

  it('are open only in the follow-up', async () => {
    const { deps, sent, store } = await setUp(inFollowUp);
    await start(deps);
    const [carer] = tokensIn(sent[0]!);
    await store.updateReferral(base.referralId, { status: 'closed', phase: 'closed' });
    expect((await viewLink(carer!, deps, LINK_MODULES)).kind).toBe('closed');
  });
});

/** The store's link and referral reads, each written down as `describe` says, in the order made. */
function countingLinkReads(
  deps: Dependencies,
  store: Dependencies['store'],
  describe: (name: string, args: unknown[]) => string,
): { reads: string[]; counted: Dependencies } {
  const reads: string[] = [];
  const counted: Dependencies = {
    ...deps,
    store: new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function' || !/^get(Link|Referral)/.test(String(name))) return value;
        return (...args: unknown[]) => {
          reads.push(describe(String(name), args));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }),
  };
  return { reads, counted };
}
