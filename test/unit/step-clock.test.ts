/**
 * The step clock as a use case, on the in-memory store (which passes the DynamoDB store's contract) with a
 * clock the test moves: milliseconds, no state machine. What it waits for, what it sends on each day,
 * that it sends each email once however often it runs, and that it never waits past the deadline.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { enterHumanStep } from '../../functions/kernel/enter-step';
import { ANSWER_REPLAY_SECONDS, stepClock } from '../../functions/kernel/step-clock';
import { HUMAN_STEP_MODULES } from '../../functions/phases/human-steps';
import type { Dependencies } from '../../functions/ports';
import { memoryDependencies } from '../support/memory-deps';

const DAY = 86_400_000;
const START = Date.parse('2027-03-01T08:00:00Z');
const screening = HUMAN_STEP_MODULES.screening;

const referral: Referral = {
  referralId: 'R-CLCK-0001',
  partnershipId: 'stockholm-bris',
  district: 'Farsta',
  createdAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
  phase: 'intake',
  status: 'active',
  child: {
    firstName: 'Fanny',
    birthDate: '2016-03-12',
    ageAtReferral: 10,
    ageBand: '10-12',
    protectedIdentity: false,
  },
  identityHash: 'c'.repeat(64),
  socialWorker: { name: 'Siv Socialsekreterare', email: 'siv@farsta.example' },
  custodians: [{ number: 1, name: 'Vera', email: 'vera@example.org', language: 'sv' }],
  carer: { name: 'Fia', email: 'fia@example.org' },
  childWish: { confirmedBy: 'Siv Socialsekreterare', at: new Date(START).toISOString() },
  consentBasisRequested: 'custodians',
  custodianMaySeeSchedule: false,
};

async function setUp() {
  const { deps, sent, setNow } = await memoryDependencies({ start: START, referrals: [referral] });
  return { deps, sent, at: (days: number) => setNow(START + days * DAY) };
}

const clock = (deps: Dependencies, op: 'schedule' | 'elapsed') =>
  stepClock(screening, { referralId: referral.referralId, op }, deps);

describe('the step clock of screening (defaults: reminders days 3 and 7, escalation day 10, deadline day 21)', () => {
  it('waits until each event in turn, and never past the deadline', async () => {
    const { deps, at } = await setUp();
    expect(await clock(deps, 'schedule')).toEqual({ seconds: 3 * 86_400, due: 'reminder' });
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    at(3);
    await clock(deps, 'elapsed');
    expect(await clock(deps, 'schedule')).toEqual({ seconds: 4 * 86_400, due: 'reminder' });
    at(9);
    expect(await clock(deps, 'schedule')).toMatchObject({ seconds: 86_400, due: 'escalation' });
    at(20.5);
    expect(await clock(deps, 'schedule')).toMatchObject({ seconds: 43_200, due: 'deadline' });
    at(30);
    expect(await clock(deps, 'schedule')).toMatchObject({ seconds: 1, due: 'deadline' });
  });

  it('reminds the coordinator, tells the follow-up, then ends the step at the deadline; each email once', async () => {
    const { deps, sent, at } = await setUp();
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    expect(sent.map((m) => m.to)).toEqual(['samordnare@bris.example']);
    at(3);
    expect(await clock(deps, 'elapsed')).toEqual({ deadlinePassed: false });
    expect(await clock(deps, 'elapsed')).toEqual({ deadlinePassed: false }); // run twice: nothing more
    expect(sent).toHaveLength(2);
    expect(sent[1]!.subject).toMatch(/^Påminnelse: Ny anmälan att bedöma/);
    at(10);
    await clock(deps, 'elapsed');
    expect(sent.slice(2).map((m) => [m.to, m.subject])).toEqual([
      ['samordnare@bris.example', expect.stringMatching(/^Påminnelse/)],
      ['uppfoljning@stockholm.example', 'Försenat: bedömning av anmälan i ärende R-CLCK-0001'],
    ]);
    // The follow-up cannot open a referral: it is told whom to contact, and no child is named.
    expect(sent[3]!.text).not.toContain('/staff/referrals/');
    expect(sent[3]!.text).toContain('Kontakta Bris samordnare Samordnare Bris (samordnare@bris.example)');
    expect(sent[3]!.text).not.toContain('Fanny');
    at(21);
    expect(await clock(deps, 'elapsed')).toEqual({ deadlinePassed: true });
    expect(sent).toHaveLength(4);
    const step = await deps.store.getStep(referral.referralId, 'screening');
    expect((await deps.store.getLink(step!.linkHash))?.status).toBe('closed');
    const actions = (await deps.store.listAudit(referral.referralId)).map((e) => e.action);
    expect(actions.filter((a) => a === 'step-reminder-sent')).toHaveLength(2);
    expect(actions.filter((a) => a === 'step-escalated')).toHaveLength(1);
    expect(actions.filter((a) => a === 'step-deadline-passed')).toHaveLength(1);
  });

  it('gives a wait whose answer is recorded time to replay it, even past the deadline', async () => {
    const { deps, at } = await setUp();
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    const step = await deps.store.getStep(referral.referralId, 'screening');
    await deps.store.useLink(step!.linkHash, deps.clock.now().toISOString(), 'approve');
    at(30);
    expect(await clock(deps, 'schedule')).toEqual({ seconds: ANSWER_REPLAY_SECONDS, due: 'replay' });
    expect(ANSWER_REPLAY_SECONDS).toBeGreaterThan(30); // the entering function's timeout
  });

  it('keeps counting from the first request when a reminder replaces the link', async () => {
    const { deps, at } = await setUp();
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    const first = await deps.store.getStep(referral.referralId, 'screening');
    at(7);
    await clock(deps, 'elapsed');
    const after = await deps.store.getStep(referral.referralId, 'screening');
    expect(after!.linkHash).not.toBe(first!.linkHash);
    expect(after!.since).toBe(first!.since ?? first!.enteredAt);
    expect(await clock(deps, 'schedule')).toMatchObject({ seconds: 3 * 86_400, due: 'escalation' });
  });

  it("asks Bris's other coordinators first, with a link to the referral, when there are any", async () => {
    const { deps, sent, at } = await setUp();
    const p = (await deps.store.getPartnership('stockholm-bris'))!;
    const cora = { email: 'cora@bris.example', name: 'Cora Kollega', role: 'coordinator' as const };
    await deps.store.putPartnership({ ...p, staff: [...p.staff, cora] });
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    at(10);
    await clock(deps, 'elapsed');
    const overdue = sent.filter((m) => m.subject.startsWith('Försenat'));
    expect(overdue.map((m) => m.to)).toEqual(['cora@bris.example']);
    expect(overdue[0]!.text).toContain('https://stodgrupper.example/staff/referrals/R-CLCK-0001');
  });

  it('follows the partnership: no reminders, escalation on day 2, deadline on day 5', async () => {
    const { deps, sent, at } = await setUp();
    const p = (await deps.store.getPartnership('stockholm-bris'))!;
    await deps.store.putPartnership({
      ...p,
      stepTiming: { screening: { reminderDays: [], escalationDays: 2, deadlineDays: 5 } },
    });
    await enterHumanStep(screening, { referralId: referral.referralId, taskToken: 't1' }, deps);
    expect(await clock(deps, 'schedule')).toEqual({ seconds: 2 * 86_400, due: 'escalation' });
    at(5);
    expect(await clock(deps, 'elapsed')).toEqual({ deadlinePassed: true });
    expect(sent.map((m) => m.to)).toEqual(['samordnare@bris.example', 'uppfoljning@stockholm.example']);
  });
});
