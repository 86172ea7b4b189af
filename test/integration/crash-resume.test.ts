/**
 * Nothing lost when the local runtime dies: a real child process is killed with SIGKILL between steps
 * and restarted on the same data directory; every unfinished referral resumes at its step, old links
 * keep working, and no email is sent twice. An answer given just before a crash is replayed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linksIn, type MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem } from '../../infra/local/system';
import { ChildRuntime } from '../support/child-runtime';
import {
  childId,
  confirmGroup,
  consentedChild,
  onlyLink,
  poolEmail,
  postForm,
  referenceFrom,
  referralForm,
} from '../support/local';

const dataDir = mkdtempSync(join(tmpdir(), 'bris-crash-'));
const runtime = new ChildRuntime(dataDir);
const base = runtime.base;
const start = () => runtime.start();
const kill = () => runtime.kill();

const mails = async (): Promise<MailboxMessage[]> =>
  (await (await fetch(`${base}/dev/mailbox.json`)).json()) as MailboxMessage[];
/** Deadlines, not attempt counts or pauses: on a loaded machine every round trip is slower. */
const DEADLINE_MS = 30_000;
async function waitMail(match: (m: MailboxMessage) => boolean): Promise<MailboxMessage> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = (await mails()).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`email did not arrive within ${DEADLINE_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** Right after a restart a resumed step may not wait yet: the page says "try again in a moment" (503). */
async function answer(link: string, fields: Record<string, string>) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const res = await postForm(link, fields);
    if (res.status !== 503) return res;
    if (Date.now() > deadline) throw new Error(`step never became answerable within ${DEADLINE_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
/**
 * Emails that match, each counted once: a kill right after an email arrived, before its sender recorded it,
 * makes the resumed step send it again — the same email with the same Message-ID and links (`repeatOf`),
 * which the end of the first test checks.
 */
const count = async (match: (m: MailboxMessage) => boolean) =>
  (await mails()).filter((m) => !m.repeatOf && match(m)).length;

interface ClockState {
  now: string;
  busy: number;
  runningExecutions: number;
  lastMailId: number;
  pendingErasures: number;
}
const clockState = async () => (await (await fetch(`${base}/dev/clock.json`)).json()) as ClockState;

/**
 * After a restart: waits until every unfinished referral has its execution again (`executions`) and all of
 * them wait for a person or for time (no handler running, no new email) on two reads in a row — then what
 * the resumed runtime would send twice has been sent. A deadline, not a fixed pause: a busy machine is slow.
 */
async function resumedAndIdle(executions: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous: ClockState | undefined;
  for (;;) {
    const state = await clockState();
    const idle = state.runningExecutions === executions && state.busy === 0;
    if (idle && previous && previous.lastMailId === state.lastMailId) return;
    previous = idle ? state : undefined;
    if (Date.now() > deadline)
      throw new Error(`the runtime did not resume ${executions} executions: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash resume', () => {
  it('SIGKILL between steps loses no referral, keeps links working and sends no email twice', async () => {
    await start();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postForm(
        `${base}/referrals`,
        referralForm({
          identityNumber: childId(11, new Date((await clockState()).now)),
          custodian1Email: `crash${i}@example.org`,
        }),
      );
      expect(res.status).toBe(201);
      ids.push(referenceFrom(res.text));
    }
    const screening = await Promise.all(
      ids.map((id) => waitMail((m) => m.template === 'screening-request' && m.text.includes(id))),
    );
    expect((await postForm(onlyLink(screening[0]!), { action: 'approve' })).status).toBe(200);
    const consent0 = await waitMail(
      (m) => m.template === 'consent-request' && m.to.includes('crash0@example.org'),
    );

    await kill(); // 1st crash: one referral waits for consent, two for screening
    await start();
    await resumedAndIdle(3);
    for (const id of ids)
      expect(await count((m) => m.template === 'screening-request' && m.text.includes(id))).toBe(1);
    expect(await count((m) => m.to.includes('crash0@example.org'))).toBe(1);

    // Links from before the crash are bound to the resumed executions.
    expect((await answer(onlyLink(screening[1]!), { action: 'approve' })).status).toBe(200);
    await waitMail((m) => m.template === 'consent-request' && m.to.includes('crash1@example.org'));
    expect((await answer(onlyLink(consent0), { action: 'consent' })).status).toBe(200);
    await waitMail((m) => m.template === 'pool-waiting' && m.text.includes(ids[0]!));

    await kill(); // 2nd crash: one in the pool, one waiting for consent, one for screening
    await start();
    // An answer posted while a restarted runtime re-enters the very step can race it (the step is then
    // asked anew, with a new link): wait until the resumed steps wait, as a person reading an email would.
    await resumedAndIdle(3);
    expect(
      (await answer(onlyLink(screening[2]!), { action: 'decline', reason: 'Utanför målgruppen.' })).status,
    ).toBe(200);
    await waitMail((m) => m.template === 'closed-declined' && m.text.includes(ids[2]!));
    const consent1 = await waitMail(
      (m) => m.template === 'consent-request' && m.to.includes('crash1@example.org'),
    );
    expect((await answer(onlyLink(consent1), { action: 'refuse' })).status).toBe(200);
    await waitMail((m) => m.template === 'closed-consent-refused' && m.text.includes(ids[1]!));

    await kill(); // 3rd crash: one in the pool, two closed and waiting out the retention period
    await start();
    // Only the pool has an execution: a closed referral's erasure waits in the table, for the daily sweep.
    await resumedAndIdle(1);
    expect((await clockState()).pendingErasures).toBe(2);
    // Up to one: whether any is left, as the bench's simulated people ask at every idle moment.
    const upToOne = await fetch(`${base}/dev/clock.json?pendingErasuresUpTo=1`);
    expect(((await upToOne.json()) as ClockState).pendingErasures).toBe(1);
    const received = await mails();
    // A repeat is the very email again, links and all; apart from those, no email twice.
    for (const repeat of received.filter((m) => m.repeatOf)) {
      const first = received.find((m) => m.id === repeat.repeatOf)!;
      expect(linksIn(repeat)).toEqual(linksIn(first));
      expect([repeat.subject, repeat.to]).toEqual([first.subject, first.to]);
    }
    const all = received.filter((m) => !m.repeatOf);
    const keys = all.map(
      (m) => `${m.template}|${m.to.join(',')}|${ids.find((id) => m.text.includes(id)) ?? ''}`,
    );
    expect(keys.length).toBe(new Set(keys).size); // no email twice
    expect(await count((m) => m.template === 'pool-waiting' && m.text.includes(ids[0]!))).toBe(1);
    expect(
      all
        .filter((m) => m.template.startsWith('closed-'))
        .map((m) => m.template)
        .sort(),
    ).toEqual(['closed-consent-refused', 'closed-declined']);
  }, 90_000);

  it('an answer given just before the execution died is replayed to the resumed wait', async () => {
    const system = await startLocalSystem({ port: 0, quiet: true });
    try {
      const res = await postForm(
        `${system.url}/referrals`,
        referralForm({
          identityNumber: childId(12, system.clock.now()),
          custodian1Email: 'replay@example.org',
        }),
      );
      const id = referenceFrom(res.text);
      const screening = await system.mailbox.waitFor(
        (m) => m.template === 'screening-request' && m.text.includes(id),
      );
      await system.engine.waitUntil(id, (_e, waiting) => waiting === 'Screening');
      // The link is used and the answer recorded, but the execution dies before it can move on.
      await system.engine.kill(id);
      await system.deps.store.useLink(
        (await system.deps.store.getStep(id, 'screening'))!.linkHash,
        system.clock.now().toISOString(),
        'approve',
      );
      await system.deps.store.updateReferral(id, {
        screening: { decision: 'approved', at: system.clock.now().toISOString() },
        updatedAt: system.clock.now().toISOString(),
      });
      await system.engine.resumeReferral(id, 'screening');
      await system.mailbox.waitFor(
        (m) => m.template === 'consent-request' && m.to.includes('replay@example.org'),
      );
      expect(
        system.mailbox.list().filter((m) => m.template === 'screening-request' && m.text.includes(id)),
      ).toHaveLength(1);
      expect(screening).toBeDefined();
      const actions = (await system.deps.store.listAudit(id)).map((e) => e.action);
      expect(actions).toContain('step-answer-replayed');
    } finally {
      await system.stop();
    }
  });

  it("a home visit recorded before the group's first meeting is replayed when the execution resumes after it, however slow the function or far the clock moves meanwhile", async () => {
    // Resumed in its group (a restart, a retry), the execution enters the home visit again; its deadline
    // (at the latest the first meeting) has passed. The wait used to get 1 s, and a function slower than
    // that lost the replay to the timeout: the referral ended in needs-attention, or in AWS closed as
    // "no home visit" although the visit was done.
    const system = await startLocalSystem({ port: 0, quiet: true });
    try {
      const id = await consentedChild(system, 1);
      const pool = await poolEmail(system, id);
      const startDate = new Date(system.clock.now().getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
      const confirmed = await confirmGroup(system, onlyLink(pool), [id], { startDate });
      expect(confirmed.status).toBe(200);
      await expect.poll(() => system.engine.waitingState(id), { timeout: 20_000 }).toBe('Sessions');
      const group = (await system.deps.store.getGroup('stockholm-bris', confirmed.groupId))!;
      system.clock.advance(Date.parse(group.meetings![0]!.endsAt) - system.clock.now().getTime() + 60_000);

      await system.engine.kill(id);
      const getLink = system.deps.store.getLink.bind(system.deps.store);
      system.deps.store.getLink = async (hash) => {
        await new Promise((r) => setTimeout(r, 2_000)); // slower than the 1 s the wait used to get
        // Meanwhile a test (or the demo's clock) moves time on: the wait's timeout must not fire under
        // a function that is still running, which in AWS would take seconds.
        system.clock.advance(86_400_000);
        return getLink(hash);
      };
      try {
        await system.engine.resumeReferral(id, 'sessions');
        await expect.poll(() => system.engine.waitingState(id), { timeout: 20_000 }).toBe('Sessions');
      } finally {
        system.deps.store.getLink = getLink;
      }
      const referral = (await system.deps.store.getReferral(id))!;
      expect([referral.status, referral.phase]).toEqual(['active', 'sessions']);
      const actions = (await system.deps.store.listAudit(id)).map((e) => e.action);
      expect(actions).toContain('step-answer-replayed');
      expect(actions).not.toContain('step-deadline-passed');
    } finally {
      await system.stop();
    }
  }, 60_000);
});
