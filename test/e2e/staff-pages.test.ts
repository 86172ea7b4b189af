/**
 * Staff pages built for staff, in a real browser at a phone's width (375 px) and a laptop's (1280 px): the
 * overview, a referral, the report, the inbox and the group proposal never scroll the whole page
 * sideways (a wide table scrolls inside its own labelled region, which the keyboard reaches), sign-out sits
 * in the header, chart text stays at least 14 px, and axe finds no WCAG 2.1 A/AA violation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { wcagViolations } from './support/audit-page';
import { launchChromium } from '../support/browser';
import { childId, consentedChild, submitReferral } from '../support/local';

const LOADED = 30_000;
const WIDTHS = [375, 1280] as const;

let system: LocalSystem;
let browser: Browser;
let referral: string;
let pooled: string;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  browser = await launchChromium();
  referral = await submitReferral(system, {
    identityNumber: childId(11, system.clock.now()),
    childFirstName: 'Ingrid',
    district: 'Hägersten-Liljeholmen',
  });
  pooled = await consentedChild(system, 401, { identityNumber: childId(8, system.clock.now()) });
  await system.mailbox.waitFor(
    (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(pooled),
    { timeoutMs: LOADED },
  );
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** A signed-in coordinator's page; the context may inject axe (the site's own CSP forbids every script). */
async function signedInPage(): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true, locale: 'sv-SE' })).newPage();
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await page.goto(system.url + '/staff/sign-in');
  await page.getByLabel('Din e-postadress i arbetet').fill('samordnare@bris.example');
  await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
  const mail = await system.mailbox.waitFor(
    (m) => m.template === 'staff-sign-in' && m.to.includes('samordnare@bris.example'),
    { afterId: mark, timeoutMs: LOADED },
  );
  await page.goto(/https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Anmälningar');
  return page;
}

/** WCAG 2.1 A and AA violations on the page as it is now, one `rule: element` line each. */
async function axeViolations(page: Page): Promise<string[]> {
  return (await wcagViolations(page)).map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

/** How far the whole page scrolls sideways, in CSS pixels (0: it fits). */
const sidewaysOverflow = (page: Page): Promise<number> =>
  page.evaluate('document.documentElement.scrollWidth - window.innerWidth');

async function open(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(system.url + path);
  await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toMatch(heading);
}

describe('staff pages at a phone and a laptop width', () => {
  for (const width of WIDTHS) {
    it(`at ${width} px: no page-wide sideways scroll, sign-out in the header, no axe violations`, async () => {
      const page = await signedInPage();
      await page.setViewportSize({ width, height: 800 });
      const pages: [string, string | RegExp][] = [
        ['/staff', 'Anmälningar'],
        [`/staff/referrals/${referral}`, `Ärende ${referral}`],
        ['/staff/report', 'Partnerskapets uppföljning'],
        ['/staff/tasks', 'Mina uppgifter'],
      ];
      for (const [path, heading] of pages) {
        await open(page, path, heading);
        expect(await sidewaysOverflow(page), `${path} at ${width} px`).toBeLessThanOrEqual(0);
        expect(await axeViolations(page), `${path} at ${width} px`).toEqual([]);
        const signOut = page.getByRole('button', { name: 'Logga ut' });
        expect(await page.locator('header').getByRole('button', { name: 'Logga ut' }).count()).toBe(1);
        expect(await page.locator('main').getByRole('button', { name: 'Logga ut' }).count()).toBe(0);
        // Modest: no larger than the body text, not a filled button.
        expect(
          await signOut.evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor),
        ).toBe('rgba(0, 0, 0, 0)');
      }

      // The group proposal, reached from the inbox.
      await page.getByRole('link', { name: /Bilda grupp 7–9 år/ }).click();
      await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toMatch(/^Bilda grupp/);
      expect(await sidewaysOverflow(page), `proposal at ${width} px`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `proposal at ${width} px`).toEqual([]);
      await page.context().close();
    });
  }

  it('the report: chart text at least 14 px, and the table region scrolls by keyboard on a phone', async () => {
    const page = await signedInPage();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await open(page, '/staff/report', 'Partnerskapets uppföljning');
      const sizes = await page.locator('svg text').evaluateAll((texts) =>
        texts.map((t) => {
          const scale = (t as unknown as { getScreenCTM(): { a: number } }).getScreenCTM().a;
          return Number(t.getAttribute('font-size')) * scale;
        }),
      );
      expect(sizes.length).toBeGreaterThan(10);
      expect(Math.min(...sizes), `chart text at ${width} px`).toBeGreaterThanOrEqual(14);
    }
    // On a laptop the district table fits the wide column: no scrolling needed inside its region either.
    const table = page.getByRole('region', { name: /Per stadsdelsområde/ });
    expect(await table.evaluate((r) => r.scrollWidth - r.clientWidth)).toBeLessThanOrEqual(0);

    // At 375 px the district table is wider than the screen: Tab reaches its region, arrows scroll it.
    await page.setViewportSize({ width: 375, height: 800 });
    await open(page, '/staff/report', 'Partnerskapets uppföljning');
    const region = page.getByRole('region', { name: /Per stadsdelsområde/ });
    expect(await region.evaluate((r) => r.scrollWidth > r.clientWidth)).toBe(true);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await region.evaluate((r) => r === r.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((r) => r.scrollLeft), { timeout: LOADED }).toBeGreaterThan(0);

    // A reversed period is named at its field, and the page still fits.
    await page.getByLabel('Från och med').fill('2026-06-01');
    await page.getByLabel('Till och med').fill('2026-05-01');
    await page.getByRole('button', { name: 'Visa' }).click();
    await expect
      .poll(() => page.locator('#to-error').textContent(), { timeout: LOADED })
      .toContain('Slutdatumet ligger före startdatumet');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });
});
