/**
 * A newcomer signs in as staff at a person's speed, under the settings `npm start` runs with (the
 * real-time clock, the demo referrals, the production sign-in email limits): she asks for a link, takes
 * ten real seconds to find it in the mailbox, moves the clock a day forward there, and the link still
 * signs her in — it lives 15 minutes of her own time, whatever the programme's clock does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmStartOptions } from '../../infra/local/start-options';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { launchChromium } from '../support/browser';
import { auditPage, auditSummary } from './support/audit-page';

const LOADED = 30_000;
/** How long a person takes between asking for the link and clicking it: the point of this test. */
const READING_TIME_MS = 10_000;
const dataDir = mkdtempSync(join(tmpdir(), 'bris-by-hand-'));
let system: LocalSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // `npm start` with an empty environment, on free ports and a fresh data directory.
  system = await startLocalSystem({
    ...npmStartOptions({ DATA_DIR: dataDir }),
    port: 0,
    smtpPort: 0,
    quiet: true,
  });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'sv-SE' })).newPage();
}, 240_000);
afterAll(async () => {
  console.log(auditSummary('staff-sign-in-by-hand'));
  await browser?.close();
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('signing in by hand under npm start', () => {
  it('asks for a link, waits ten real seconds, moves the clock a day on in the mailbox, and the mailed link signs her in', async () => {
    expect(system.clock.factor).toBe(1);
    await page.goto(system.url + '/dev/mailbox');
    await auditPage(page, 'mailbox');
    // The demo shows something at once: its referrals' emails are in the mailbox.
    expect(await page.locator('table.mail-list tbody tr').count()).toBeGreaterThan(0);

    await page.goto(system.url + '/staff/sign-in');
    await page.getByLabel('Din e-postadress i arbetet').fill('samordnare@bris.example');
    const mark = system.mailbox.lastId;
    await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
    await system.mailbox.waitFor(
      (m) => m.template === 'staff-sign-in' && m.to.includes('samordnare@bris.example'),
      { afterId: mark, timeoutMs: LOADED },
    );
    const simulatedBefore = system.clock.now().getTime();
    // A person's pace, not a condition to wait for: at the old 720× clock these ten seconds were two hours.
    await page.waitForTimeout(READING_TIME_MS);
    expect(system.clock.now().getTime() - simulatedBefore).toBeLessThan(5 * 60_000);

    await page.goto(system.url + '/dev/mailbox?to=samordnare%40bris.example');
    await page.getByRole('button', { name: '1 dygn framåt' }).click();
    await page.waitForURL(/\/dev\/mailbox\?to=/);
    expect(system.clock.now().getTime() - simulatedBefore).toBeGreaterThanOrEqual(86_400_000);
    await auditPage(page, 'mailbox (filtered by recipient)');
    await page.getByRole('link', { name: 'Logga in: Bris stödgrupper' }).first().click();
    await page.waitForURL(/\/dev\/mailbox\/\d+/);
    await auditPage(page, 'mailbox: one email');
    await page.locator('pre a').first().click();
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Anmälningar');
    await auditPage(page, 'staff overview');
  }, 180_000);
});
