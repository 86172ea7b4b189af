/**
 * Nothing lost, nothing doubled when the local runtime is killed at random moments: a real child process
 * (`infra/local/main.ts`) runs referrals from the form to their end (erasure by the daily sweep after retention included)
 * while it is killed with SIGKILL and started again on the same data directory. Simulated people answer
 * every email over HTTP and move the clock to the next wake-up.
 * `npm test`: 12 referrals, 5 kills. `npm run test:soak`: 50 referrals, 20 kills.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linksIn, type MailboxMessage } from '../../infra/local/mailbox';
import { cohortFor, planFor, SimulatedPeople } from '../../infra/local/simulated-people';
import { startLocalSystem } from '../../infra/local/system';
import { ChildRuntime } from '../support/child-runtime';

const SOAK = !!process.env.SOAK;
const REFERRALS = SOAK ? 50 : 12;
const KILLS = SOAK ? 20 : 5;

const dataDir = mkdtempSync(join(tmpdir(), 'bris-kill-soak-'));
const runtime = new ChildRuntime(dataDir);

afterAll(async () => {
  await runtime.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Audit actions each ending must leave, at least once; and the ones that must appear exactly once. */
const REQUIRED: Record<string, string[]> = {
  completed: [
    'group-confirmed',
    // The leader's home visit confirmed the seat before the group met.
    'seat-confirmed',
    'attendance-recorded',
    'summary-sent',
    'follow-up-sent',
  ],
  declined: [],
  'consent-refused': [],
  'consent-not-obtained': ['consent-deadline-passed', 'consent-escalation-closed'],
  withdrawn: ['referral-withdrawn'],
  'no-group': ['no-group-in-time'],
};
const ONCE = [
  'referral-submitted',
  'intake-accepted',
  'referral-closed',
  'personal-data-erased',
  'group-confirmed',
  'seat-confirmed',
];

describe(`${KILLS} SIGKILLs during ${REFERRALS} referrals' lifecycles`, () => {
  it('every referral reaches its end once, with a complete audit trail and no email twice', async () => {
    await runtime.start();
    const peopleLog: string[] = [];
    const people = new SimulatedPeople({
      baseUrl: runtime.base,
      concurrency: 8,
      log: (m) => peopleLog.push(m),
    });
    let completing = 0;
    const submissions = Array.from({ length: REFERRALS }, (_, i) => {
      const plan = planFor(i, REFERRALS);
      return { plan, i, cohort: plan === 'completed' ? cohortFor(completing++) : undefined };
    });

    // The killer: at random moments (0.3–2.5 s apart), kill and start again; submissions and answers go on.
    let kills = 0;
    const killedAt: number[] = [];
    let stop = false;
    const killer = (async () => {
      while (kills < KILLS && !stop) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 2200));
        if (stop) break;
        await runtime.kill();
        killedAt.push(Date.now());
        kills++;
        await runtime.start();
      }
    })();
    const references = await Promise.all(submissions.map((s) => people.refer(s.plan, s.i + 1, s.cohort)));
    try {
      await people.runUntilAllClosed(SOAK ? 900_000 : 240_000);
      await killer; // every kill happens before the end is checked
      await people.runUntilWorkflowsEnd(SOAK ? 300_000 : 120_000);
    } catch (error) {
      stop = true;
      await killer;
      throw new Error(`${(error as Error).message}\n${await diagnose(people, peopleLog)}`, { cause: error });
    }
    stop = true;
    expect(kills).toBe(KILLS);

    // Every referral closed as planned (a completing child may close as no-group if no group formed).
    const outcomes = people.outcomes();
    expect(new Set(references).size).toBe(REFERRALS);
    for (const [reference, { plan, outcome }] of outcomes)
      expect(
        outcome === plan || (plan === 'completed' && outcome === 'no-group'),
        `${reference}: ${plan} → ${outcome}`,
      ).toBe(true);

    const mails = (await (await fetch(`${runtime.base}/dev/mailbox.json`)).json()) as MailboxMessage[];
    await runtime.kill();

    // Read what the runtime left on disk.
    const system = await startLocalSystem({ port: 0, dataDir, quiet: true, seed: false });
    try {
      const stored = await system.deps.store.listReferralsByStatus('erased');
      const ours = stored.filter((r) => references.includes(r.referralId));
      expect(ours.map((r) => r.referralId).sort()).toEqual([...references].sort()); // none lost, none doubled
      expect(await system.deps.store.listReferralsByStatus('active')).toEqual([]);
      expect(await system.deps.store.listReferralsByStatus('closed')).toEqual([]);
      for (const reference of references) {
        const actions = (await system.deps.store.listAudit(reference)).map((e) => e.action);
        const outcome = outcomes.get(reference)!.outcome!;
        for (const action of [
          ...ONCE.filter((a) => a !== 'group-confirmed' && a !== 'seat-confirmed'),
          ...REQUIRED[outcome]!,
        ])
          expect(actions, `${reference} (${outcome}) lacks ${action}`).toContain(action);
        for (const action of ONCE)
          expect(
            actions.filter((a) => a === action).length,
            `${reference}: ${action} recorded more than once`,
          ).toBeLessThanOrEqual(1);
      }
    } finally {
      await system.stop();
    }

    // Every email once per notification or step entry (its Message-ID names it): a second copy only when
    // the process died between the mail server's acceptance and the record of it, and then with the very
    // same links, so either copy works.
    const entries = new Map<string, { template: string; emails: number; links: Set<string>; at: number[] }>();
    for (const m of mails) {
      expect(
        m.messageId,
        `${m.template} to ${m.to.join(',')} names no notification or step entry`,
      ).toBeTruthy();
      const k = `${m.to.join(',')}|${m.messageId}`;
      const entry = entries.get(k) ?? { template: m.template, emails: 0, links: new Set<string>(), at: [] };
      entry.emails++;
      entry.links.add(linksIn(m).join(' '));
      entry.at.push(Date.parse(m.receivedAt));
      entries.set(k, entry);
    }
    const counts = [...entries.values()];
    const most = counts.reduce((a, b) => (b.emails > a.emails ? b : a), counts[0]!);
    // A repeat is only ever a crash's doing: between any two copies of one entry the runtime was killed.
    // (So two copies at most, unless two kills fell into that very entry's few-millisecond window.)
    const unexplained = [...entries]
      .filter(([, e]) =>
        e.at.some((t, i) => i > 0 && !killedAt.some((kill) => kill > e.at[i - 1]! && kill < t)),
      )
      .map(([k, e]) => `${k} ×${e.emails}`);
    expect(unexplained, 'copies of one entry with no crash between them').toEqual([]);
    expect(most.emails, `${most.template} ×${most.emails}`).toBeLessThanOrEqual(3);
    const twoLinks = [...entries].filter(([, e]) => e.links.size > 1).map(([k]) => k);
    expect(twoLinks, 'step entries whose copies carry different links').toEqual([]);
    const repeated = counts.filter((e) => e.emails > 1);

    // And no notification under two entries: the same content to the same person twice is a logic error,
    // except step requests and reminders, which a new round or a renewal asks again on purpose.
    const asksAgain = new Set([
      'screening-request',
      'consent-request',
      'consent-escalation',
      'attendance-request',
      'consent-reminder',
      'meeting-reminder',
    ]);
    const entriesByContent = new Map<string, Set<string>>();
    for (const m of mails) {
      if (asksAgain.has(m.template)) continue;
      const k = `${m.template}|${m.to.join(',')}|${m.subject}|${m.text.replace(/https?:\/\/\S+/g, '')}`;
      entriesByContent.set(k, (entriesByContent.get(k) ?? new Set()).add(m.messageId!));
    }
    const doubled = [...entriesByContent].filter(([, ids]) => ids.size > 1).map(([k]) => k.slice(0, 120));
    expect(doubled).toEqual([]);
    console.log(
      `kill soak: ${REFERRALS} referrals, ${kills} kills, ${mails.length} emails for ${entries.size} notifications and step entries; ` +
        `${repeated.length} sent twice (${repeated.map((e) => e.template).join(', ') || 'none'}), each copy with the same links; ` +
        `at most ${most.emails} emails and ${Math.max(...counts.map((e) => e.links.size))} distinct link set per entry; ` +
        `${people.stats.retries} requests retried while the runtime was down`,
    );
  }, 1_500_000);
});

/** What a failed run leaves to read: each unfinished referral's state and trail, the people's and the runtime's last words. */
async function diagnose(people: SimulatedPeople, peopleLog: string[]): Promise<string> {
  const lines = [`people said: ${peopleLog.slice(-20).join(' | ') || 'nothing'}`];
  await runtime.kill();
  const system = await startLocalSystem({ port: 0, dataDir, quiet: true, seed: false });
  try {
    for (const [reference, { plan, outcome }] of people.outcomes()) {
      if (outcome) continue;
      const referral = await system.deps.store.getReferral(reference);
      const steps = await system.deps.store.listSteps(reference);
      const trail = (await system.deps.store.listAudit(reference)).map((e) => e.action);
      lines.push(
        `${reference} (${plan}): ${referral?.status}/${JSON.stringify(referral?.phase ?? null)}, group ${referral?.group?.groupId ?? '-'}; steps ${steps.map((s) => `${s.step}@${s.enteredAt}${s.emailSentAt ? '' : '(unsent)'}`).join(',')}; trail …${trail.slice(-8).join(',')}`,
      );
    }
    for (const group of await system.deps.store.listGroups(system.deps.config.partnershipId))
      lines.push(`group ${group.groupId}: ${JSON.stringify(group).slice(0, 300)}`);
  } finally {
    await system.stop();
  }
  const runtimeLog = runtime
    .logTail(200_000)
    .split('\n')
    .filter((l) => /error|warn|fail|timed? ?out/i.test(l))
    .slice(-20);
  lines.push(`runtime errors and warnings (last 20):`, ...runtimeLog);
  return lines.join('\n');
}
