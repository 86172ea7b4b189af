/**
 * The home visit before the group as use cases, on the in-memory store with a clock the test moves: the
 * leader's request when a child is proposed for a group, her answers through the link engine (visit done:
 * the seat is confirmed; family declined: the referral's wait ends with the decline the state machine turns
 * into a closed referral with a freed seat), the coordinator acting from the inbox, and silence: reminders,
 * the coordinator told, and the deadline, which the group's first meeting brings nearer.
 */
import { describe, expect, it } from 'vitest';
import type { Group } from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { enterHumanStep } from '../../functions/kernel/enter-step';
import { stepClock } from '../../functions/kernel/step-clock';
import { activeMembers, enterSessions } from '../../functions/phases/groups/groups';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import { LINK_MODULES } from '../../functions/phases/link-modules';
import { redeemLink, viewLink } from '../../functions/phases/links/link-engine';
import { linkPage as renderLinkPage } from '../../functions/web/pages/link-pages';
import { actOnStep, listTasks } from '../../functions/phases/staff/tasks';
import type { Dependencies, EmailMessage, StaffSession } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';

const DAY = 86_400_000;
const START = Date.parse('2027-03-01T08:00:00Z');
const homeVisit = HUMAN_STEP_MODULES['home-visit'];
const LEADER = { name: 'Lea Ledare', email: 'lea@bris.example' };
const GROUP_ID = 'g-10-12-abc123';

const referral: Referral = {
  referralId: 'R-HOME-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
  phase: 'group-assignment',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'h'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia Familjehem', email: 'fia@familjehem.example' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
  group: { groupId: GROUP_ID, name: 'Stödhelg 10-12 år' },
};
const id = referral.referralId;

/** A support weekend whose first day is `firstInDays` after the child was proposed. */
function weekend(firstInDays: number): Group {
  const day = (d: number, h: number) => new Date(START + d * DAY + h * 3_600_000).toISOString();
  return {
    partnershipId: 'stockholm-bris',
    groupId: GROUP_ID,
    name: 'Stödhelg 10-12 år',
    format: 'weekend',
    ageBand: '10-12',
    status: 'running',
    capacity: 8,
    memberCount: 0,
    startDate: day(firstInDays, 0).slice(0, 10),
    meetings: [
      { index: 1, kind: 'weekend-day', startsAt: day(firstInDays, 1), endsAt: day(firstInDays, 7) },
      { index: 2, kind: 'weekend-day', startsAt: day(firstInDays + 1, 1), endsAt: day(firstInDays + 1, 7) },
    ],
    confirmedAt: new Date(START).toISOString(),
    leader: LEADER,
  };
}

async function setUp(firstMeetingInDays = 30) {
  const callbacks: string[] = [];
  const { deps, store, sent, setNow } = await memoryDependencies({
    start: START,
    referrals: [referral],
    workflow: {
      sendTaskSuccess: async (t: string, o: Record<string, string>) =>
        void callbacks.push(`${t} ${JSON.stringify(o)}`),
      sendTaskFailure: async (t: string, e: string) => void callbacks.push(`${t} ${e}`),
    },
  });
  await store.putGroup(weekend(firstMeetingInDays));
  await store.joinGroup('stockholm-bris', GROUP_ID, id, new Date(START).toISOString());
  const token = (m: EmailMessage) => /\/links\/([A-Za-z0-9_-]{43})/.exec(m.text)![1]!;
  return {
    deps,
    store,
    sent,
    callbacks,
    answer: (m: EmailMessage, body: Record<string, string>) => redeemLink(token(m), body, deps, LINK_MODULES),
    reload: async () => (await store.getReferral(id))!,
    actions: async () => (await store.listAudit(id)).map((e) => e.action),
    clock: (op: 'schedule' | 'elapsed') => stepClock(homeVisit, { referralId: id, op }, deps),
    at: (days: number) => setNow(START + days * DAY),
  };
}

describe('the home visit before the group', () => {
  it("asks the group's leader, with no detail of the family home in the email", async () => {
    const { deps, sent } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: LEADER.email, subject: `Hembesök före gruppen: ärende ${id}` });
    expect(sent[0]!.text).not.toContain('fia@familjehem.example');
    expect(sent[0]!.text).not.toContain('Fanny');
  });

  it('an answer recorded whose request was cut off before its link was used: the next wait finishes it', async () => {
    const { deps, store, sent, callbacks, reload, actions } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    expect(sent).toHaveLength(1);
    // What the link engine wrote before the process died: the outcome, and neither the link's use nor its event.
    const link = (await store.getLink((await store.getStep(id, 'home-visit'))!.linkHash))!;
    const first = homeVisit.answer!.first!;
    expect(
      await first.record(
        deps,
        { referral: await reload(), link },
        { action: 'visit-done' },
        deps.clock.now().toISOString(),
      ),
    ).toBe(true);
    expect((await store.getLink(link.linkHash))!.status).toBe('open');
    // Nobody sends the form again; the wait runs again (a reminder's turn, a retried task) and finishes it.
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't2' }, deps);
    expect(callbacks).toEqual(['t2 {"homeVisit":"done"}']);
    expect((await store.getLink(link.linkHash))!.status).toBe('used');
    expect(sent).toHaveLength(1);
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't3' }, deps);
    expect(callbacks).toEqual(['t2 {"homeVisit":"done"}', 't3 {"homeVisit":"done"}']);
    const events = await actions();
    expect(events.filter((a) => a === 'home-visit-done')).toHaveLength(1);
    expect(events.filter((a) => a === 'step-answer-replayed')).toHaveLength(2);
  });

  it("the visit recorded as done confirms the seat and resumes the referral's wait", async () => {
    const { deps, sent, callbacks, answer, reload, actions } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    expect((await activeMembers(deps, GROUP_ID, { confirmedOnly: true })).map((r) => r.referralId)).toEqual(
      [],
    );
    expect(await answer(sent[0]!, { action: 'visit-done' })).toMatchObject({ kind: 'done' });
    expect(callbacks).toEqual(['t1 {"homeVisit":"done"}']);
    expect((await reload()).homeVisit).toMatchObject({
      outcome: 'done',
      recordedBy: { role: 'group-leader' },
    });
    expect(await actions()).toContain('home-visit-done');
    expect((await activeMembers(deps, GROUP_ID, { confirmedOnly: true })).map((r) => r.referralId)).toEqual([
      id,
    ]);
    // A retried execution's new wait is given the recorded answer at once, without a new email.
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't2' }, deps);
    expect(callbacks).toEqual(['t1 {"homeVisit":"done"}', 't2 {"homeVisit":"done"}']);
    expect(sent).toHaveLength(1);
    // Sessions follow: the seat is confirmed on the timeline, the family home gets the schedule (once).
    await enterSessions({ referralId: id, taskToken: 's1' }, deps);
    await enterSessions({ referralId: id, taskToken: 's2' }, deps);
    expect((await actions()).filter((a) => a === 'seat-confirmed')).toHaveLength(1);
    expect(sent.slice(1).map((m) => [m.template, m.to])).toEqual([
      ['group-placed', 'siv@farsta.example'],
      ['group-schedule-carer', 'fia@familjehem.example'],
    ]);
  });

  it('a family that declines ends the wait with the decline, and the seat is not confirmed', async () => {
    const { deps, sent, callbacks, answer, reload, actions } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    expect(await answer(sent[0]!, { action: 'family-declined' })).toMatchObject({ kind: 'done' });
    expect(callbacks).toEqual(['t1 Referral.HomeVisitDeclined']);
    expect((await reload()).homeVisit?.outcome).toBe('declined');
    expect(await actions()).toContain('home-visit-declined');
    expect(await actions()).not.toContain('seat-confirmed');
  });

  it('refuses an answer that is neither, naming what to choose', async () => {
    const { deps, sent, answer, callbacks } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    const refused = await answer(sent[0]!, { action: 'maybe' });
    expect(refused).toMatchObject({
      kind: 'invalid',
      errors: { action: 'Välj om besöket är gjort, om familjen tackade nej, eller erbjud tider.' },
    });
    expect(callbacks).toEqual([]);
  });

  it('a silent leader: reminders on days 3 and 7, the coordinator told on day 10, the deadline on day 14', async () => {
    const { deps, sent, clock, at, actions } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    expect(await clock('schedule')).toEqual({ seconds: 3 * 86_400, due: 'reminder' });
    for (const day of [3, 7, 10]) {
      at(day);
      expect(await clock('elapsed')).toEqual({ deadlinePassed: false });
    }
    expect(sent.slice(1).map((m) => [m.to, m.subject])).toEqual([
      [LEADER.email, `Påminnelse: Hembesök före gruppen: ärende ${id}`],
      [LEADER.email, `Påminnelse: Hembesök före gruppen: ärende ${id}`],
      ['samordnare@bris.example', `Försenat: hembesök i ärende ${id}`],
    ]);
    // The coordinator finds it in her inbox, and may record it there.
    const coordinator = {
      email: 'samordnare@bris.example',
      role: 'coordinator',
      name: 'Samordnare Bris',
      expiresAt: '2099-01-01T00:00:00.000Z',
    } as StaffSession;
    expect((await listTasks(coordinator, deps)).map((t) => t.kind)).toContain('home-visit');
    at(13.5);
    expect(await clock('schedule')).toEqual({ seconds: 43_200, due: 'deadline' });
    at(14);
    expect(await clock('elapsed')).toEqual({ deadlinePassed: true });
    expect(await actions()).toContain('step-deadline-passed');
  });

  it("ends at the group's first meeting when that comes before the policy's deadline", async () => {
    const { deps, clock, at } = await setUp(5);
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    at(4);
    // The first meeting starts an hour into day 5.
    expect(await clock('schedule')).toEqual({ seconds: 86_400 + 3600, due: 'deadline' });
    at(5.1);
    expect(await clock('elapsed')).toEqual({ deadlinePassed: true });
  });

  it('the coordinator records the visit from the inbox once it is escalated to her', async () => {
    const { deps, callbacks, at, clock, reload } = await setUp();
    await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
    at(10);
    await clock('elapsed');
    const coordinator = {
      email: 'samordnare@bris.example',
      role: 'coordinator',
      name: 'Samordnare Bris',
      expiresAt: '2099-01-01T00:00:00.000Z',
    } as StaffSession;
    await actOnStep(coordinator, id, 'home-visit', { action: 'visit-done' }, deps);
    expect(callbacks.at(-1)).toMatch(/ \{"homeVisit":"done"\}$/);
    // She owns the leader's steps in the inbox, and is recorded by name in the leader's part.
    expect((await reload()).homeVisit).toMatchObject({
      outcome: 'done',
      recordedBy: { role: 'group-leader', name: 'Samordnare Bris' },
    });
  });

  describe('the answer recorded before its link is used', () => {
    /** The store as a process sees it that dies when it first sends `at`: that call and every later one fail. */
    function dyingAt(store: Dependencies['store'], at: string) {
      let dead = false;
      const dying = new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (name === at) dead = true;
            if (dead) return Promise.reject(new Error('the process died here'));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      return { dying, died: () => dead };
    }
    const tokenIn = (m: EmailMessage) => /\/links\/([A-Za-z0-9_-]{43})/.exec(m.text)![1]!;
    const events = async (deps: Dependencies) =>
      (await deps.store.listAudit(id)).map((e) => `${e.action} ${e.detail?.outcome ?? ''}`.trim());

    it('is kept when the process dies as the link is used; sent again, it is finished once', async () => {
      const { deps, store, sent, callbacks, answer, reload } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const { dying, died } = dyingAt(store, 'useLink');
      const cut = redeemLink(
        tokenIn(sent[0]!),
        { action: 'visit-done' },
        { ...deps, store: dying },
        LINK_MODULES,
      );
      await expect(cut).rejects.toThrow('the process died here');
      expect(died()).toBe(true);
      // Kept, the link still open, its event not yet written (it never comes before the change), not resumed.
      expect((await reload()).homeVisit?.outcome).toBe('done');
      expect(await events(deps)).not.toContain('home-visit-done');
      expect(callbacks).toEqual([]);
      expect(await answer(sent[0]!, { action: 'visit-done' })).toMatchObject({ kind: 'done' });
      expect(callbacks).toEqual(['t1 {"homeVisit":"done"}']);
      expect((await events(deps)).sort()).toEqual([
        'home-visit-done',
        'link-redeemed visit-done',
        'step-requested',
      ]);
      expect((await answer(sent[0]!, { action: 'visit-done' })).kind).toBe('used');
      expect(callbacks).toHaveLength(1);
    });

    it('cut off, then answered otherwise: the answer recorded counts, and the workflow gets it', async () => {
      const { deps, store, sent, callbacks, answer, reload, actions } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const { dying } = dyingAt(store, 'useLink');
      await expect(
        redeemLink(tokenIn(sent[0]!), { action: 'family-declined' }, { ...deps, store: dying }, LINK_MODULES),
      ).rejects.toThrow();
      expect((await answer(sent[0]!, { action: 'visit-done' })).kind).toBe('used');
      expect(callbacks).toEqual(['t1 Referral.HomeVisitDeclined']);
      expect((await reload()).homeVisit?.outcome).toBe('declined');
      expect((await actions()).filter((a) => a.startsWith('home-visit-'))).toEqual(['home-visit-declined']);
    });

    it('two different answers at once: one counts, once, and the workflow gets that one', async () => {
      const { deps, sent, callbacks, answer, reload, actions } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const results = await Promise.all([
        answer(sent[0]!, { action: 'visit-done' }),
        answer(sent[0]!, { action: 'family-declined' }),
      ]);
      expect(results.map((r) => r.kind).sort()).toEqual(['done', 'used']);
      const outcome = (await reload()).homeVisit?.outcome;
      expect(callbacks).toEqual([
        outcome === 'done' ? 't1 {"homeVisit":"done"}' : 't1 Referral.HomeVisitDeclined',
      ]);
      expect((await actions()).filter((a) => a.startsWith('home-visit-'))).toEqual([
        outcome === 'done' ? 'home-visit-done' : 'home-visit-declined',
      ]);
    });

    it('finished by a second request while the first is between its writes: one of them resumes the workflow', async () => {
      const { deps, store, sent, callbacks, actions } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const token = tokenIn(sent[0]!);
      let second: Promise<unknown> | undefined;
      // The second request runs whole after the first recorded the answer and before it uses the link.
      const slow = new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver) as unknown;
          if (name !== 'recordHomeVisit' || typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            const recorded = await (value as (...a: unknown[]) => Promise<boolean>).apply(target, args);
            second = redeemLink(token, { action: 'visit-done' }, deps, LINK_MODULES);
            await second;
            return recorded;
          };
        },
      });
      const first = await redeemLink(token, { action: 'visit-done' }, { ...deps, store: slow }, LINK_MODULES);
      expect(first.kind).toBe('done');
      expect(await second).toMatchObject({ kind: 'done' });
      expect(callbacks).toEqual(['t1 {"homeVisit":"done"}']);
      expect((await actions()).filter((a) => a === 'home-visit-done')).toHaveLength(1);
    });
  });

  describe('times for the visit', () => {
    const offer = { action: 'offer-times', time1: '2027-03-09T17:00', time2: '2027-03-11T09:30', time3: '' };

    it('the leader offers times; the family home picks one by link; the leader is told and records the visit', async () => {
      const { deps, sent, callbacks, answer, reload, actions } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      expect(await answer(sent[0]!, offer)).toMatchObject({ kind: 'done' });
      // The wait goes on: nothing resumed, the times kept, the family home asked.
      expect(callbacks).toEqual([]);
      expect((await reload()).homeVisit?.offeredTimes).toEqual([
        '2027-03-09T16:00:00.000Z',
        '2027-03-11T08:30:00.000Z',
      ]);
      const toCarer = sent.find((m) => m.to === 'fia@familjehem.example')!;
      expect(toCarer.subject).toBe(`Bris vill träffa er hemma innan gruppen börjar: ärende ${id}`);
      expect(toCarer.text).toContain('tisdag 9 mars 2027 kl. 17:00');
      expect(toCarer.text).toContain('torsdag 11 mars 2027 kl. 09:30');
      const leaderAgain = sent.filter((m) => m.to === LEADER.email).at(-1)!;
      expect(leaderAgain).not.toBe(sent[0]);
      expect(leaderAgain.text).toContain('Du har erbjudit familjehemmet 2 tider.');
      // The first link was used to offer the times.
      expect(await answer(sent[0]!, { action: 'visit-done' })).toMatchObject({ kind: 'used' });

      expect(
        await answer(toCarer, { action: 'choose-time', time: '2027-03-11T08:30:00.000Z' }),
      ).toMatchObject({
        kind: 'done',
      });
      expect((await reload()).homeVisit?.agreedTime).toBe('2027-03-11T08:30:00.000Z');
      const chosen = sent.filter((m) => m.to === LEADER.email).at(-1)!;
      expect(chosen.text).toContain('Familjehemmet har valt tiden torsdag 11 mars 2027 kl. 09:30');
      expect(await answer(chosen, { action: 'visit-done' })).toMatchObject({ kind: 'done' });
      expect(callbacks).toEqual(['t1 {"homeVisit":"done"}']);
      expect(await actions()).toEqual(
        expect.arrayContaining(['home-visit-times-offered', 'home-visit-time-chosen', 'home-visit-done']),
      );
    });

    it("the pages: the leader's offer form and where the visit stands; the family home's choice of times", async () => {
      const { deps, sent, answer } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const token = (m: EmailMessage) => /\/links\/([A-Za-z0-9_-]{43})/.exec(m.text)![1]!;
      const leaderPage = async (m: EmailMessage) =>
        renderLinkPage('t', (await viewLink(token(m), deps, LINK_MODULES)) as never).body;
      const first = await leaderPage(sent[0]!);
      expect(first).toContain('fia@familjehem.example');
      expect(first).toMatch(/<input\s+type="datetime-local"\s+id="time1"/);
      await answer(sent[0]!, offer);
      const toCarer = sent.find((m) => m.to === 'fia@familjehem.example')!;
      const carerPage = renderLinkPage(
        't',
        (await viewLink(token(toCarer), deps, LINK_MODULES)) as never,
      ).body;
      expect(carerPage).toContain('value="2027-03-09T16:00:00.000Z"');
      expect(carerPage).toContain('<label for="time-1">tisdag 9 mars 2027 kl. 17:00</label>');
      expect(carerPage).not.toContain('fia@familjehem.example');
      const again = await leaderPage(sent.filter((m) => m.to === LEADER.email).at(-1)!);
      expect(again).toContain('tisdag 9 mars 2027 kl. 17:00');
    });

    it('the family home may ask for other times; the leader is asked to offer new ones', async () => {
      const { deps, sent, answer, reload } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      await answer(sent[0]!, offer);
      const toCarer = sent.find((m) => m.to === 'fia@familjehem.example')!;
      expect(await answer(toCarer, { action: 'other-times' })).toMatchObject({ kind: 'done' });
      expect((await reload()).homeVisit?.otherTimesAskedAt).toBeDefined();
      const leader = sent.filter((m) => m.to === LEADER.email).at(-1)!;
      expect(leader.text).toContain('ber om andra. Erbjud nya tider med länken.');
    });

    it('refuses a time not offered, a time past, and fewer than two times, naming the field', async () => {
      const { deps, sent, answer } = await setUp();
      await enterHumanStep(homeVisit, { referralId: id, taskToken: 't1' }, deps);
      const past = await answer(sent[0]!, { ...offer, time1: '2027-02-27T10:00' });
      expect(past).toMatchObject({
        kind: 'invalid',
        errors: { time1: expect.stringContaining('redan varit') },
      });
      const one = await answer(sent[0]!, { ...offer, time2: '' });
      expect(one).toMatchObject({
        kind: 'invalid',
        errors: { time2: expect.stringContaining('ÅÅÅÅ-MM-DD') },
      });
      await answer(sent[0]!, offer);
      const toCarer = sent.find((m) => m.to === 'fia@familjehem.example')!;
      const other = await answer(toCarer, { action: 'choose-time', time: '2027-03-12T08:30:00.000Z' });
      expect(other).toMatchObject({
        kind: 'invalid',
        errors: { time: expect.stringContaining('Välj en av tiderna') },
      });
    });
  });
});
