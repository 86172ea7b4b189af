/**
 * The demo a newcomer explores with `npm start`: demo referrals seeded once per data directory, a clock
 * moved forward by an hour, a day or a week from the mailbox, and the mailbox page itself (simulated
 * times, newest first, a recipient filter, the HTML part in a sandboxed frame under a strict CSP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { DEMO_CHILDREN } from '../../infra/local/demo-referrals';
import { simulatedTime } from '../../infra/local/mailbox-pages';
import type { ReferralStatus } from '../../functions/domain/referral';
import { get, postForm } from '../support/local';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dataDir = mkdtempSync(join(tmpdir(), 'bris-demo-'));
let system: LocalSystem | undefined;
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function allReferrals(s: LocalSystem): Promise<string[]> {
  const statuses: ReferralStatus[] = ['active', 'needs-attention', 'closed', 'erased'];
  const lists = await Promise.all(statuses.map((st) => s.deps.store.listReferralsByStatus(st)));
  return lists.flat().map((r) => r.referralId);
}

describe('the local demo', () => {
  it('seeds its demo referrals once per data directory: a restart after moving the clock seeds none again', async () => {
    system = await startLocalSystem({ port: 0, quiet: true, dataDir, demoReferrals: true });
    const first = await allReferrals(system);
    expect(first).toHaveLength(DEMO_CHILDREN.length);
    const mails = system.mailbox.lastId;
    expect((await postForm(`${system.url}/dev/clock/advance`, { days: '1' })).status).toBe(303);
    await system.stop();
    system = undefined;

    system = await startLocalSystem({ port: 0, quiet: true, dataDir, demoReferrals: true });
    expect((await allReferrals(system)).sort()).toEqual([...first].sort());
    expect(system.mailbox.list().filter((m) => m.template === 'intake-received')).toHaveLength(
      DEMO_CHILDREN.length,
    );
    expect(system.mailbox.lastId).toBeGreaterThanOrEqual(mails);
  }, 180_000);

  it('moves the clock by an hour, a day or a week on request, and nothing else moves it fast', async () => {
    const s = system!;
    expect(s.clock.factor).toBe(1);
    for (const [field, ms] of [
      ['hours', HOUR],
      ['days', DAY],
      ['weeks', 7 * DAY],
    ] as const) {
      const before = s.clock.now().getTime();
      const res = await postForm(`${s.url}/dev/clock/advance`, {
        [field]: '1',
        back: '/dev/mailbox?lang=en',
      });
      expect(res.status).toBe(303);
      const moved = s.clock.now().getTime() - before;
      expect(moved).toBeGreaterThanOrEqual(ms);
      expect(moved).toBeLessThan(ms + 60_000); // plus the real seconds of one request
    }
    const page = await get(`${s.url}/dev/mailbox`);
    expect(page.text).toContain(simulatedTime(s.clock.now(), 'sv'));
    for (const name of ['1 timme framåt', '1 dygn framåt', '1 vecka framåt'])
      expect(page.text).toMatch(
        new RegExp(`<button type="submit" name="\\w+" value="1">\\s*${name}\\s*</button>`),
      );
    // Nonsense is a 400 that says what to give, never a jump.
    const before = s.clock.now().getTime();
    expect((await postForm(`${s.url}/dev/clock/advance`, { weeks: 'many' })).status).toBe(400);
    expect((await postForm(`${s.url}/dev/clock/advance`, { hours: '-1' })).status).toBe(400);
    expect(s.clock.now().getTime() - before).toBeLessThan(60_000);
    // The way back is a mailbox page only.
    const away = await postForm(`${s.url}/dev/clock/advance`, {
      hours: '0',
      back: 'https://elsewhere.example/',
    });
    expect(away.status).toBe(303);
  });

  it('lists mail newest first at simulated times, filters by recipient, and frames the HTML part in a sandbox', async () => {
    const s = system!;
    const all = s.mailbox.list();
    const custodian = 'vardnadshavare.saga@demo.example';
    const page = await get(`${s.url}/dev/mailbox?to=${encodeURIComponent(custodian)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src|unsafe/);
    const shownIds = [...page.text.matchAll(/href="\/dev\/mailbox\/(\d+)"/g)].map((m) => Number(m[1]));
    const expected = all.filter((m) => m.to.includes(custodian)).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(shownIds).toEqual([...expected].sort((a, b) => b - a));
    // The simulated time of each mail, not the real time it arrived.
    const one = all.find((m) => m.id === expected[0])!;
    expect(one.sentAt).toBeDefined();
    expect(page.text).toContain(simulatedTime(one.sentAt, 'sv'));
    expect(page.text).toContain(`title="${one.subject}"`);

    const mail = await get(`${s.url}/dev/mailbox/${one.id}`);
    expect(mail.text).toMatch(/<iframe[^>]*sandbox=""[^>]*src="\/dev\/mailbox\/\d+\/html"/);
    const part = await get(`${s.url}/dev/mailbox/${one.id}/html`);
    expect(part.text).toBe(one.html);
    expect(part.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
  });
});
