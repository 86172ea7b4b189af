/**
 * The group proposal's clock as a use case, on the in-memory store (which passes the DynamoDB store's
 * contract) with a clock the test moves: milliseconds, no state machine. When a band's clock starts,
 * runs on and stops, what each child's wait waits for, that the band's reminders and escalation go out
 * once however many children's waits run on the clock, and that no wait outlasts its declared bounds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashLinkToken, KeyedLinkTokens } from '../../functions/adapters/link-tokens';
import {
  nextProposalClock,
  POOL_CLAIM_MINUTES,
  type Proposal,
  type ProposalClock,
} from '../../functions/domain/grouping';
import { awaitGroup, readPool } from '../../functions/phases/groups/groups';
import type { PoolView } from '../../functions/phases/groups/pool-clock';
import {
  type Group,
  partnershipProblems,
  partnershipSchema,
  PARTNERSHIP_LIMITS,
} from '../../functions/domain/partnership';
import type { Referral } from '../../functions/domain/referral';
import { stepClock } from '../../functions/kernel/step-clock';
import { redeemProposalLink } from '../../functions/phases/groups/group-links';
import { actOnPool } from '../../functions/phases/staff/tasks';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { Dependencies, EmailMessage } from '../../functions/ports';
import { placeMembers } from '../../functions/phases/groups/group-placement';
import { LOOP_LIMITS, REFERRAL_TIMING_BOUNDS } from '../../workflows/execution-bounds';
import { REFERRAL_STATES as R } from '../../workflows/referral-states';
import { MemoryReferralStore } from '../fakes/memory-store';

const DAY = 86_400_000;
const START = Date.parse('2027-03-01T08:00:00Z');
const pool = HUMAN_STEP_MODULES['group-assignment'];
const COORDINATOR = 'samordnare@bris.example';
const CORA = { email: 'cora@bris.example', name: 'Cora Kollega', role: 'coordinator' as const };

function child(n: number, overrides: Partial<Referral['child']> = {}, district = 'Bromma'): Referral {
  const at = new Date(START).toISOString();
  return {
    referralId: `R-POOL-000${n}`,
    partnershipId: 'stockholm-bris',
    district,
    createdAt: at,
    updatedAt: at,
    phase: 'group-assignment',
    status: 'active',
    child: {
      firstName: `Barnnamn${n}`,
      birthDate: '2016-03-12',
      ageAtReferral: 11,
      ageBand: '10-12',
      protectedIdentity: false,
      ...overrides,
    },
    identityHash: String(n).repeat(64),
    socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
    custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
    carer: { name: 'Fia', email: 'fia@example.org' },
    childWish: { confirmedBy: 'Siv Socialsekreterare', at },
    consentBasisRequested: 'custodians',
    custodianMaySeeSchedule: false,
  };
}

/** Two children of a district form a weekly group; Bris has a second coordinator, Cora. */
async function setUp() {
  const store = new MemoryReferralStore();
  const p = partnershipSchema.parse(
    JSON.parse(readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8')),
  );
  await store.putPartnership({
    ...p,
    staff: [...p.staff, CORA],
    groups: { ...p.groups, grouping: { ...p.groups.grouping, minGroupSize: 2, targetGroupSize: 2 } },
  });
  let now = START;
  const sent: EmailMessage[] = [];
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
      sendTaskSuccess: async () => {},
      sendTaskFailure: async () => {},
      // The group's workflow starts with placing its children (PlaceMembers), as here.
      startGroup: async (groupId: string) => void (await placeMembers({ groupId }, deps)),
    },
    clock,
    wallClock: clock,
    identity: { hash: async (s: string) => s },
    linkTokens: new KeyedLinkTokens(async () => 'test-secret'),
    log: { info() {}, warn() {}, error() {} },
    metrics: { count() {}, flush() {} },
  } as unknown as Dependencies;
  const add = async (r: Referral) => void (await store.createReferral(r));
  return { deps, sent, add, at: (days: number) => (now = START + days * DAY) };
}

const clock = (deps: Dependencies, r: Referral, op: 'schedule' | 'elapsed') =>
  stepClock(pool, { referralId: r.referralId, op }, deps);
const reminders = (sent: EmailMessage[]) => sent.filter((m) => m.template === 'pool-proposal-reminder');
/** The link record behind the email's link. */
const storedLink = async (deps: Dependencies, m: EmailMessage) => {
  const token = /https:\/\/stodgrupper\.example\/links\/([A-Za-z0-9_-]+)/.exec(m.text)![1]!;
  return (await deps.store.getLink(hashLinkToken(token)))!;
};

describe("when a band's proposal clock starts, runs on and stops (nextProposalClock)", () => {
  const now = new Date(START);
  const weekly = (...members: string[]): Proposal => ({
    format: 'weekly',
    ageBand: '10-12',
    district: 'Bromma',
    members,
  });
  const weekend = (...members: string[]): Proposal => ({ format: 'weekend', ageBand: '10-12', members });
  const running: ProposalClock = { ageBand: '10-12', since: '2027-02-20T08:00:00.000Z' };
  const answered = (...shown: string[]): ProposalClock => ({
    ...running,
    stopped: { at: '2027-02-25T08:00:00.000Z', shown },
  });

  it('starts with the first proposal, and runs on while it grows or changes format, unanswered', () => {
    expect(nextProposalClock(undefined, [], '10-12', now)).toEqual({ kind: 'keep' });
    expect(nextProposalClock(undefined, [weekly('a', 'b')], '10-12', now)).toEqual({
      kind: 'start',
      clock: { ageBand: '10-12', since: now.toISOString() },
    });
    expect(nextProposalClock(running, [weekly('a', 'b', 'c')], '10-12', now)).toEqual({ kind: 'keep' });
    expect(nextProposalClock(running, [weekend('a', 'b', 'c')], '10-12', now)).toEqual({ kind: 'keep' });
  });

  it('stops when nothing can be proposed any more', () => {
    expect(nextProposalClock(running, [], '10-12', now)).toEqual({ kind: 'stop', since: running.since });
    expect(nextProposalClock(answered(), [], '10-12', now)).toEqual({ kind: 'keep' });
  });

  it('after an answer, only a child or a format she was not shown starts a new clock', () => {
    const shown = answered('weekly:a', 'weekly:b');
    expect(nextProposalClock(shown, [weekly('a', 'b')], '10-12', now)).toEqual({ kind: 'keep' });
    expect(nextProposalClock(shown, [weekly('b')], '10-12', now)).toEqual({ kind: 'keep' });
    for (const proposals of [[weekly('a', 'b', 'c')], [weekend('a', 'b')]])
      expect(nextProposalClock(shown, proposals, '10-12', now)).toEqual({
        kind: 'start',
        clock: { ageBand: '10-12', since: now.toISOString() },
        replaces: running.since,
      });
    // Proposals of another band are not this band's.
    expect(nextProposalClock(undefined, [{ ...weekly('x', 'y'), ageBand: '7-9' }], '10-12', now)).toEqual({
      kind: 'keep',
    });
  });
});

describe('the group proposal clock of a band (defaults: reminders on days 3 and 7, escalation on day 10)', () => {
  it('waits for the weekly look while nothing is proposed, and for the reminders once a group can form', async () => {
    const { deps, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    // Alone in the band: no proposal, so the planner looks again in a week.
    expect(await clock(deps, a, 'schedule')).toMatchObject({ seconds: 7 * 86_400, due: 'look-again' });
    expect((await deps.store.listPool('stockholm-bris', '10-12')).map((e) => e.referralId)).toEqual([
      a.referralId,
    ]);
    expect(await deps.store.getProposalClock('stockholm-bris', '10-12')).toBeUndefined();
    at(1);
    // The second child joins: a weekly group of the two can form, and the band's clock starts now.
    expect(await clock(deps, b, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'reminder' });
    expect(await deps.store.getProposalClock('stockholm-bris', '10-12')).toEqual({
      ageBand: '10-12',
      since: new Date(START + DAY).toISOString(),
    });
    // The first child's wait runs on the same clock.
    expect(await clock(deps, a, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'reminder' });
    at(5);
    expect(await clock(deps, a, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'reminder' });
    at(9);
    expect(await clock(deps, b, 'schedule')).toMatchObject({ seconds: 2 * 86_400, due: 'escalation' });
    at(12);
    expect(await clock(deps, b, 'schedule')).toMatchObject({ seconds: 7 * 86_400, due: 'look-again' });
  });

  it("hands the child's wait its view of the pool, and the wait reads the pool no second time", async () => {
    const { deps, add, at, sent } = await setUp();
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    at(1);
    const timer = (await clock(deps, b, 'schedule')) as unknown as { forWait: PoolView };
    expect(timer.forWait).toEqual({
      waitingSince: new Date(START + DAY).toISOString(),
      claimed: false,
      inBand: 2,
      proposal: {
        format: 'weekly',
        ageBand: '10-12',
        district: 'Bromma',
        members: expect.arrayContaining([a.referralId, b.referralId]),
      },
    });
    // What the state hands on is JSON: an execution's history holds it (and no name).
    expect(JSON.parse(JSON.stringify(timer.forWait))).toEqual(timer.forWait);
    expect(JSON.stringify(timer.forWait)).not.toMatch(/Alva|Vera|Fia|19\d{6}/);

    const store = deps.store as MemoryReferralStore;
    const calls: string[] = [];
    for (const method of ['listPoolWithClaims', 'consentHistory', 'putPoolEntry'] as const) {
      const real = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        calls.push(method);
        return real(...args);
      };
    }
    await awaitGroup({ referralId: b.referralId, taskToken: 'token-b', pool: timer.forWait }, deps);
    expect(calls).toEqual([]);
    // A confirmation sent after the clock read the pool claims the child: the wait, seeing the claim, mails
    // nothing (the group's placement resumes it), as a wait that read the whole pool would.
    await store.putPoolClaim('stockholm-bris', {
      groupId: 'g-10-12-abcdef',
      members: [b.referralId],
      until: new Date(START + 2 * DAY).toISOString(),
    });
    const waitingEvents = async () =>
      (await store.listAudit(b.referralId)).filter((e) => e.action === 'waiting-for-group').length;
    const before = await waitingEvents();
    await awaitGroup({ referralId: b.referralId, taskToken: 'token-b2', pool: timer.forWait }, deps);
    expect(await waitingEvents()).toBe(before);
    await store.removePoolClaim('stockholm-bris', 'g-10-12-abcdef');
    // Without a view (an execution started before the clock gave one) the wait reads as it did.
    await awaitGroup({ referralId: a.referralId, taskToken: 'token-a' }, deps);
    expect(calls.sort()).toEqual(['consentHistory', 'listPoolWithClaims', 'putPoolEntry']);
    // Both tell the coordinator of the same proposal, once.
    const proposals = sent.filter((m) => m.template === 'group-proposal');
    expect(proposals).toHaveLength(2);
    for (const m of proposals) expect(m.text).toMatch(/2 barn|2 children/);
  });

  it('reminds the coordinator once per day however many waits run, then asks the other coordinator; no child named', async () => {
    const { deps, sent, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    await clock(deps, b, 'schedule');
    at(3);
    // Both children's waits wake together.
    expect(await Promise.all([clock(deps, a, 'elapsed'), clock(deps, b, 'elapsed')])).toEqual([
      { deadlinePassed: false },
      { deadlinePassed: false },
    ]);
    await clock(deps, a, 'elapsed');
    expect(reminders(sent)).toHaveLength(1);
    const first = reminders(sent)[0]!;
    expect(first.to).toBe(COORDINATOR);
    expect(first.subject).toBe('Påminnelse: gruppförslag för 10–12 år väntar på ditt beslut');
    expect(first.text).toContain('https://stodgrupper.example/staff/tasks/pool/10-12');
    const firstLink = await storedLink(deps, first);
    expect(firstLink).toMatchObject({ step: 'group-proposal', ageBand: '10-12', status: 'open' });

    at(7);
    await Promise.all([clock(deps, b, 'elapsed'), clock(deps, a, 'elapsed')]);
    expect(reminders(sent)).toHaveLength(2);
    // The second reminder's link replaces the first's.
    expect((await deps.store.getLink(firstLink.linkHash))?.status).toBe('superseded');

    at(10);
    await Promise.all([clock(deps, a, 'elapsed'), clock(deps, b, 'elapsed')]);
    const overdue = sent.filter((m) => m.template === 'pool-proposal-overdue');
    expect(overdue.map((m) => m.to)).toEqual([CORA.email]);
    expect(overdue[0]!.text).toContain('Samordnaren Samordnare Bris har påmints 2 gånger');
    // Cora can act: the band's page in the inbox (after sign-in); no child's name or reference.
    expect(overdue[0]!.text).toContain('https://stodgrupper.example/staff/tasks/pool/10-12');
    for (const r of [a, b]) {
      expect(overdue[0]!.text).not.toContain(r.child.firstName);
      expect(overdue[0]!.text).not.toContain(r.referralId);
      expect(first.text).not.toContain(r.child.firstName);
      const actions = (await deps.store.listAudit(r.referralId)).map((e) => e.action);
      expect(actions.filter((x) => x === 'step-reminder-sent')).toHaveLength(2);
      expect(actions.filter((x) => x === 'step-escalated')).toHaveLength(1);
    }
    at(12);
    await clock(deps, a, 'elapsed');
    expect(sent.filter((m) => m.template.startsWith('pool-proposal'))).toHaveLength(3);
  });

  it('an answer stops the clock and closes the reminder link; only a new child starts a new clock', async () => {
    const { deps, sent, add, at } = await setUp();
    const [a, b, c] = [child(1), child(2), child(3)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    await clock(deps, b, 'schedule');
    at(3);
    await clock(deps, a, 'elapsed');
    const reminder = await storedLink(deps, reminders(sent)[0]!);

    // The coordinator chooses to wait, through the reminder's link.
    expect(await redeemProposalLink(reminder, { action: 'postpone' }, deps)).toMatchObject({
      kind: 'group-done',
    });
    const stopped = await deps.store.getProposalClock('stockholm-bris', '10-12');
    expect(stopped?.stopped?.shown).toEqual([`weekly:${a.referralId}`, `weekly:${b.referralId}`]);
    at(8);
    await clock(deps, a, 'elapsed');
    await clock(deps, b, 'elapsed');
    expect(reminders(sent)).toHaveLength(1);
    expect(await clock(deps, a, 'schedule')).toMatchObject({ seconds: 7 * 86_400, due: 'look-again' });

    // A third child joins the proposal: materially new, a new clock from now.
    await add(c);
    expect(await clock(deps, c, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'reminder' });
    expect(await deps.store.getProposalClock('stockholm-bris', '10-12')).toEqual({
      ageBand: '10-12',
      since: new Date(START + 8 * DAY).toISOString(),
    });
    at(11);
    await clock(deps, a, 'elapsed');
    expect(reminders(sent)).toHaveLength(2);
    const second = await storedLink(deps, reminders(sent)[1]!);

    // Confirmed from another link (the inbox's, say): the open reminder link is closed, so it is refused.
    const other = { ...second, linkHash: 'inbox-test-link' };
    await deps.store.putLink(other);
    const body: Record<string, string> = {
      action: 'confirm',
      format: 'weekly',
      slot: '2-17:00',
      startDate: new Date(START + 20 * DAY).toISOString().slice(0, 10),
    };
    for (const r of [a, b, c]) body[`member-${r.referralId}`] = 'on';
    expect(await redeemProposalLink(other, body, deps)).toMatchObject({ kind: 'group-done' });
    expect((await deps.store.getLink(second.linkHash))?.status).toBe('closed');
    expect(await redeemProposalLink((await deps.store.getLink(second.linkHash))!, body, deps)).toMatchObject({
      kind: 'refused',
      reason: 'closed',
    });
  });

  it('a postpone whose read of the pool fails after the link was used gives the link back', async () => {
    const { deps, sent, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    await clock(deps, b, 'schedule');
    at(3);
    await clock(deps, a, 'elapsed');
    const reminder = await storedLink(deps, reminders(sent)[0]!);
    // The link is used beside the read of the pool's children: that read fails this once.
    const failing = Object.create(deps.store) as typeof deps.store;
    failing.getReferrals = () => Promise.reject(new Error('throttled'));
    await expect(
      redeemProposalLink(reminder, { action: 'postpone' }, { ...deps, store: failing }),
    ).rejects.toThrow('throttled');
    expect((await deps.store.getLink(reminder.linkHash))?.status).toBe('open');
    expect(await deps.store.getProposalClock('stockholm-bris', '10-12')).not.toHaveProperty('stopped');
    // Sent again, it counts: the clock stops, the link is used.
    expect(await redeemProposalLink(reminder, { action: 'postpone' }, deps)).toMatchObject({
      kind: 'group-done',
    });
    expect((await deps.store.getLink(reminder.linkHash))?.status).toBe('used');
    expect((await deps.store.getProposalClock('stockholm-bris', '10-12'))?.stopped).toBeDefined();
  });

  it("from the inbox, letting the proposal wait stores the form's link used; the same form again is refused", async () => {
    const { deps, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    await clock(deps, b, 'schedule');
    at(3);
    const session = { ...CORA, expiresAt: new Date(START + 30 * DAY).toISOString() };
    const form = { action: 'postpone', formId: 'form-postpone-0123456789abcdef' };
    expect(await actOnPool(session, '10-12', form, deps)).toMatchObject({ kind: 'group-done' });
    expect((await deps.store.getProposalClock('stockholm-bris', '10-12'))?.stopped?.shown).toEqual([
      `weekly:${a.referralId}`,
      `weekly:${b.referralId}`,
    ]);
    // Stored by its use, under a waiting child of the band (erasing that referral finds it).
    const [stored] = (await deps.store.listLinks(a.referralId)).filter((l) => l.step === 'group-proposal');
    expect(stored).toMatchObject({ status: 'used', usedAction: 'postpone', ageBand: '10-12' });
    expect(await actOnPool(session, '10-12', form, deps)).toMatchObject({ kind: 'refused', reason: 'used' });
  });

  /** Two children waiting in 10-12 and Cora's inbox form choosing both: `twice` sends it twice at once. */
  async function twoWaitingAndHerForm(choice: Record<string, string>) {
    const { deps, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    for (const r of [a, b]) {
      await add(r);
      await clock(deps, r, 'schedule');
    }
    at(3);
    const session = { ...CORA, expiresAt: new Date(START + 30 * DAY).toISOString() };
    const form = {
      action: 'confirm',
      ...choice,
      [`member-${a.referralId}`]: 'on',
      [`member-${b.referralId}`]: 'on',
    };
    const twice = (sendDeps: Dependencies) =>
      Promise.all([actOnPool(session, '10-12', form, sendDeps), actOnPool(session, '10-12', form, sendDeps)]);
    return { deps, twice };
  }
  const namingGroup = (name: string) => ({
    kind: 'group-done',
    message: expect.objectContaining({ sv: expect.stringContaining(name) }),
  });

  it('a double click in the inbox sends the confirmation twice at once: both pages name the group that counts', async () => {
    const { deps, twice } = await twoWaitingAndHerForm({
      format: 'weekly',
      slot: '2-17:00',
      startDate: new Date(START + 20 * DAY).toISOString().slice(0, 10),
      formId: 'form-confirm-0123456789abcdef',
    });
    // The group's workflow runs after her page has its answer (in AWS it is another execution).
    const started: string[] = [];
    const answers = await twice({
      ...deps,
      workflow: { ...deps.workflow, startGroup: async (id: string) => void started.push(id) },
    });
    // Both sends were made (neither saw the other's link): one group counts, the other is cancelled.
    const groups = await deps.store.listGroups('stockholm-bris');
    expect(groups.map((g) => g.status).sort()).toEqual(['cancelled', 'forming']);
    const counted = groups.find((g) => g.status === 'forming')!;
    expect(answers).toEqual([
      expect.objectContaining(namingGroup(counted.name)),
      expect.objectContaining(namingGroup(counted.name)),
    ]);
    expect(new Set(started)).toEqual(new Set([counted.groupId]));
    // Its workflow places both children, once.
    expect(await placeMembers({ groupId: counted.groupId }, deps)).toEqual({ formed: true });
    expect(await deps.store.getGroup('stockholm-bris', counted.groupId)).toMatchObject({ memberCount: 2 });
  });

  it('a double click whose first confirmation is placed before the second looks: both pages name that group', async () => {
    const { deps, twice } = await twoWaitingAndHerForm({
      format: 'weekend',
      startDate: new Date(START + 26 * DAY).toISOString().slice(0, 10),
      formId: 'form-confirm-fedcba9876543210',
    });
    // The first send's workflow places the children at once; the second looks for the group only after.
    let placed!: () => void;
    const placedFirst = new Promise<void>((resolve) => (placed = resolve));
    const slow = Object.create(deps.store) as typeof deps.store;
    slow.getGroup = async (...args) => {
      await placedFirst;
      return deps.store.getGroup(...args);
    };
    const answers = await twice({
      ...deps,
      store: slow,
      workflow: {
        ...deps.workflow,
        startGroup: async (groupId: string) => {
          await placeMembers({ groupId }, deps);
          placed();
        },
      },
    });
    const groups = await deps.store.listGroups('stockholm-bris');
    expect(groups.map((g) => g.status).sort()).toEqual(['cancelled', 'running']);
    const counted = groups.find((g) => g.status === 'running')!;
    expect(counted.memberCount).toBe(2);
    for (const answer of answers) expect(answer).toMatchObject(namingGroup(counted.name));
  });

  it('a child alone ends at maxPoolDays: the deadline ends the wait, recorded with how long it waited', async () => {
    const { deps, add, at } = await setUp();
    const a = child(1, { ageAtReferral: 16, ageBand: '16-18' });
    await add(a);
    expect(await clock(deps, a, 'schedule')).toMatchObject({ due: 'look-again' });
    at(177.5);
    expect(await clock(deps, a, 'elapsed')).toEqual({ deadlinePassed: false });
    expect(await clock(deps, a, 'schedule')).toMatchObject({ seconds: 2.5 * 86_400, due: 'deadline' });
    at(180);
    expect(await clock(deps, a, 'elapsed')).toEqual({ deadlinePassed: true });
    const events = await deps.store.listAudit(a.referralId);
    expect(events.filter((e) => e.action === 'no-group-in-time')).toEqual([
      expect.objectContaining({ detail: { ageBand: '16-18', waitedDays: '180' } }),
    ]);
  });
});

describe("a confirmed group's first step places its children (PlaceMembers)", () => {
  const group = (groupId: string, members: string[], status: Group['status'] = 'forming'): Group => ({
    partnershipId: 'stockholm-bris',
    groupId,
    name: `Stödhelg 10-12 år ${groupId}`,
    format: 'weekend',
    ageBand: '10-12',
    status,
    capacity: 8,
    memberCount: 0,
    confirmedAt: new Date(START).toISOString(),
    confirmation: {
      members,
      by: CORA.name,
      linkHash: `link-${groupId}`,
      answer: {
        role: 'coordinator',
        affected: members,
        detail: { ageBand: '10-12', choice: 'accepted' },
        shown: members.map((m) => `weekend:${m}`),
      },
    },
  });

  it('two groups confirmed for the same children at once: the first takes them, the other is cancelled and does not run', async () => {
    const { deps, add } = await setUp();
    const [a, b] = [child(1), child(2)];
    for (const r of [a, b]) {
      await add(r);
      await clock(deps, r, 'schedule');
    }
    const ids = [a.referralId, b.referralId];
    for (const g of [group('g-10-12-aaaaaa', ids), group('g-10-12-bbbbbb', ids)])
      await deps.store.putGroup(g);
    expect(await placeMembers({ groupId: 'g-10-12-aaaaaa' }, deps)).toEqual({ formed: true });
    expect(await placeMembers({ groupId: 'g-10-12-bbbbbb' }, deps)).toEqual({ formed: false });
    const [first, second] = await Promise.all(
      ['g-10-12-aaaaaa', 'g-10-12-bbbbbb'].map((id) => deps.store.getGroup('stockholm-bris', id)),
    );
    expect(first).toMatchObject({ status: 'running', memberCount: 2 });
    expect(second).toMatchObject({ status: 'cancelled', memberCount: 0 });
    expect((await deps.store.getReferral(a.referralId))?.group?.groupId).toBe('g-10-12-aaaaaa');
    expect(await deps.store.listPool('stockholm-bris', '10-12')).toEqual([]);
    // Placed once, the answer on each timeline once per group; the band's clock stopped at what she saw.
    const actions = (await deps.store.listAudit(a.referralId)).map((e) => e.action);
    expect(actions.filter((x) => x === 'group-confirmed')).toHaveLength(1);
    expect(actions.filter((x) => x === 'group-proposal-answered')).toHaveLength(2);
    expect((await deps.store.getProposalClock('stockholm-bris', '10-12'))?.stopped?.shown).toEqual(
      ids.map((m) => `weekend:${m}`),
    );
    // Repeated (the workflow retries a step cut off half-way): nothing changes.
    expect(await placeMembers({ groupId: 'g-10-12-aaaaaa' }, deps)).toEqual({ formed: true });
    expect(await deps.store.getGroup('stockholm-bris', 'g-10-12-aaaaaa')).toMatchObject({ memberCount: 2 });
  });

  it('a confirmation claims its children: the pool pages leave them out until they are placed, or the claim lapses', async () => {
    const { deps, add, at } = await setUp();
    const [a, b] = [child(1), child(2)];
    for (const r of [a, b]) {
      await add(r);
      await clock(deps, r, 'schedule');
    }
    const until = new Date(START + POOL_CLAIM_MINUTES * 60_000).toISOString();
    await deps.store.putPoolClaim('stockholm-bris', {
      groupId: 'g-10-12-dddddd',
      members: [a.referralId],
      until,
    });
    expect((await readPool(deps)).entries.map((e) => e.referralId)).toEqual([b.referralId]);
    // A claim left by a confirmation cut off before its placement stops counting by itself.
    at(1);
    expect((await readPool(deps)).entries.map((e) => e.referralId).sort()).toEqual([
      a.referralId,
      b.referralId,
    ]);
  });

  it('a running group retried at its schedule is not placed again: a child who left stays out', async () => {
    const { deps, add } = await setUp();
    const a = child(1);
    await add(a);
    await clock(deps, a, 'schedule');
    await deps.store.putGroup(group('g-10-12-cccccc', [a.referralId], 'running'));
    expect(await placeMembers({ groupId: 'g-10-12-cccccc' }, deps)).toEqual({ formed: true });
    expect(await deps.store.listGroupMembers('g-10-12-cccccc')).toEqual([]);
    expect((await deps.store.getReferral(a.referralId))?.group).toBeUndefined();
  });
});

describe("stepTiming['group-assignment'] is partnership data", () => {
  const file = () =>
    JSON.parse(readFileSync(new URL('../../partnerships/stockholm-bris.json', import.meta.url), 'utf8'));
  const withTiming = (timing: unknown) => ({ ...file(), stepTiming: { 'group-assignment': timing } });

  it('has no deadline of its own, and escalates before the pool ends; every bad field named', () => {
    expect(partnershipProblems(withTiming({ reminderDays: [2], escalationDays: 5 }))).toEqual([]);
    expect(
      partnershipProblems(withTiming({ reminderDays: [2], escalationDays: 5, deadlineDays: 9 })),
    ).toEqual([expect.stringMatching(/^stepTiming\.group-assignment: .*deadlineDays/)]);
    expect(partnershipProblems(withTiming({ reminderDays: [6], escalationDays: 5 }))).toEqual([
      'stepTiming.group-assignment.reminderDays: every reminder must come before escalationDays 5',
    ]);
    expect(partnershipProblems(withTiming({ reminderDays: [], escalationDays: 180 }))).toEqual([
      "stepTiming.group-assignment.escalationDays: must come before the pool's maxPoolDays 180",
    ]);
  });

  it('the clock follows it: one reminder on day 2, the escalation on day 5', async () => {
    const { deps, sent, add, at } = await setUp();
    const p = (await deps.store.getPartnership('stockholm-bris'))!;
    await deps.store.putPartnership({
      ...p,
      stepTiming: { 'group-assignment': { reminderDays: [2], escalationDays: 5 } },
    });
    const [a, b] = [child(1), child(2)];
    await add(a);
    await add(b);
    await clock(deps, a, 'schedule');
    expect(await clock(deps, b, 'schedule')).toMatchObject({ seconds: 2 * 86_400, due: 'reminder' });
    at(2);
    await clock(deps, b, 'elapsed');
    expect(await clock(deps, b, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'escalation' });
    at(5);
    await clock(deps, a, 'elapsed');
    expect(sent.filter((m) => m.template.startsWith('pool-proposal')).map((m) => [m.template, m.to])).toEqual(
      [
        ['pool-proposal-reminder', COORDINATOR],
        ['pool-proposal-overdue', CORA.email],
      ],
    );
  });
});

describe("the pool's declared bounds hold (workflows/execution-bounds.ts)", () => {
  it('from joining to the deadline at the longest maxPoolDays: every wait within a week, the rounds within the limit', async () => {
    const { deps, add, at } = await setUp();
    const p = (await deps.store.getPartnership('stockholm-bris'))!;
    await deps.store.putPartnership({
      ...p,
      groups: {
        ...p.groups,
        grouping: { ...p.groups.grouping, maxPoolDays: PARTNERSHIP_LIMITS.maxPoolDays },
      },
    });
    const [a, b] = [child(1), child(2)];
    await add(a);
    let days = 0;
    let joined = false;
    for (let rounds = 1; ; rounds++) {
      expect(rounds).toBeLessThanOrEqual(LOOP_LIMITS.poolRounds);
      const timer = (await clock(deps, a, 'schedule')) as { seconds: number };
      expect(timer.seconds).toBeLessThanOrEqual(REFERRAL_TIMING_BOUNDS[R.groupAssignment]!.seconds);
      days += timer.seconds / 86_400;
      at(days); // the timer fires on time
      if (!joined && days >= 20) {
        // A second child joins: a proposal, whose reminders and escalation wake the wait too.
        await add(b);
        await clock(deps, b, 'schedule');
        joined = true;
      }
      const elapsed = (await clock(deps, a, 'elapsed')) as { deadlinePassed: boolean };
      if (elapsed.deadlinePassed) break;
    }
    expect(joined).toBe(true);
    // Every round counts towards the one deadline: together they end there (timers round up to a second).
    expect(days).toBeGreaterThanOrEqual(PARTNERSHIP_LIMITS.maxPoolDays);
    expect(days).toBeLessThan(PARTNERSHIP_LIMITS.maxPoolDays + (1 / 86_400) * LOOP_LIMITS.poolRounds);
  });
});
