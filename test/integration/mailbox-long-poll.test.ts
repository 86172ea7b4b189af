/**
 * The local mailbox's long poll (`/dev/mailbox.json?after=<id>&waitMs=…`), which the lifecycle bench's
 * simulated people read instead of asking every few milliseconds: it answers at once when there is mail
 * after `after`, holds the answer until new mail comes, and with `untilIdle=1` answers once nothing runs.
 * Why it answered is read from its `x-long-poll` header, not from how long it took (that depends on the
 * machine's load); only a lower bound on time is asserted, since a timer never fires early.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MailboxMessage } from '../../infra/local/mailbox';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, get, submitReferral } from '../support/local';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const poll = async (query: string) => {
  const started = performance.now();
  const res = await get(`${system.url}/dev/mailbox.json?${query}`);
  expect(res.status).toBe(200);
  return {
    mails: JSON.parse(res.text) as MailboxMessage[],
    why: res.headers.get('x-long-poll'),
    tookMs: performance.now() - started,
  };
};

describe('the local mailbox long poll', () => {
  it('answers with the mail after `after`, holds the answer until new mail comes, and answers an idle system', async () => {
    await submitReferral(system, { identityNumber: childId(12, system.clock.now()) });
    await system.mailbox.waitFor((m) => m.template === 'intake-received');
    await vi.waitFor(() => expect(system.engine.busy).toBe(0), { timeout: 60_000, interval: 50 });
    // Mail waiting: answered at once, whatever the wait asked for.
    expect(await poll(`after=0&waitMs=1000`)).toMatchObject({ why: 'mail' });
    // Nothing new: the answer waits the whole waitMs (300 ms here), then is empty (asked again until the
    // referral's last email of the moment has landed).
    let last = 0;
    await vi.waitFor(
      async () => {
        last = system.mailbox.lastId;
        const quiet = await poll(`after=${last}&waitMs=300`);
        expect(quiet).toMatchObject({ why: 'waited', mails: [] });
        expect(quiet.tookMs).toBeGreaterThanOrEqual(290);
      },
      { timeout: 30_000, interval: 0 },
    );
    expect(last).toBeGreaterThan(0);
    // Nothing new, but nothing runs either: `untilIdle` answers because the system is idle.
    expect(await poll(`after=${last}&waitMs=1000&untilIdle=1`)).toMatchObject({ why: 'idle', mails: [] });
    // Without a wait: no long poll, no header.
    expect((await poll(`after=${last}`)).why).toBeNull();

    // Waiting while a referral arrives: the poll answers with its email.
    const waiting = poll(`after=${last}&waitMs=1000`);
    await submitReferral(system, { identityNumber: childId(13, system.clock.now(), { serial: 501 }) });
    const { mails, why } = await waiting;
    expect(why).toBe(mails.length ? 'mail' : 'waited');
    if (mails.length) expect(mails[0]!.id).toBe(last + 1);
    // The email may come after the poll's second: then the next poll has it at once.
    const fresh = mails.length ? mails : (await poll(`after=${last}&waitMs=1000`)).mails;
    expect(fresh.map((m) => m.template)).toContain('intake-received');
  });
});

describe('the local mailbox on a port already taken', () => {
  it('refuses to start with a message that says why, and leaves no mail thread running', async () => {
    const { Mailbox } = await import('../../infra/local/mailbox');
    const first = new Mailbox();
    const port = await first.start(0);
    try {
      const second = new Mailbox();
      await expect(second.start(port)).rejects.toThrow(/could not listen.*EADDRINUSE/);
      // Nothing to stop: sending through it says it is not started.
      await expect(second.send({ to: 'a@example.org' })).rejects.toThrow(/not started/);
    } finally {
      await first.stop();
    }
  });
});
