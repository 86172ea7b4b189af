/**
 * The referral form in a real browser, under the site's own CSP (no script may run): after a failed
 * submit the focus is on the error summary; the language switch, reached and pressed by keyboard, brings
 * the same form back in English with everything typed; axe finds no WCAG 2.1 A/AA violation there.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { wcagViolations } from './support/audit-page';
import { launchChromium } from '../support/browser';
import { childId } from '../support/local';

const LOADED = 30_000;

let system: LocalSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** WCAG 2.1 A and AA violations on the page as it is now, one `rule: element` line each. */
async function axeViolations(page: Page): Promise<string[]> {
  return (await wcagViolations(page)).map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

/** The id of the focused element, or its tag when it has none. */
const focused = (page: Page) =>
  page.evaluate<string | undefined>(
    'document.activeElement?.id || document.activeElement?.tagName.toLowerCase()',
  );
/** The text of the focused element. */
const focusedText = (page: Page) =>
  page.evaluate<string | undefined>('document.activeElement?.textContent?.trim()');

describe('the referral form in a browser', () => {
  it('puts the focus on the error summary after a failed submit; the switch works by keyboard and keeps the values', async () => {
    // The site's CSP stays on: the focus must come from the markup (autofocus), not from a script.
    const page = await (await browser.newContext({ locale: 'sv-SE' })).newPage();
    const tooYoung = childId(4, system.clock.now());
    await page.goto(system.url + '/');
    await page.getByLabel('Barnets förnamn').fill('Alva');
    await page.getByLabel('Barnets personnummer').fill(tooYoung);
    await page.getByLabel('Din e-postadress').fill('inte-en-adress');
    await page.getByRole('button', { name: 'Skicka anmälan' }).click();

    await expect.poll(() => page.locator('h2#error-summary-title').count(), { timeout: LOADED }).toBe(1);
    await expect.poll(() => focused(page), { timeout: LOADED }).toBe('error-summary');
    // Every error at once, the age rule among them; the identity number is still there.
    expect(await page.locator('#error-summary').textContent()).toContain('Barnet är 4 år.');
    expect(await page.locator('#error-summary').textContent()).toContain(
      'Skriv din e-postadress som namn@exempel.se.',
    );
    expect(await page.getByLabel('Barnets personnummer').inputValue()).toBe(tooYoung);

    // Backwards from the summary, the next stop is the language switch in the header.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText(page)).toBe('English');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: LOADED }).toBe('en');
    await expect.poll(() => focused(page), { timeout: LOADED }).toBe('error-summary');
    expect(await page.locator('#error-summary').textContent()).toContain('The child is 4 years old.');
    expect(await page.getByLabel("Child's first name").inputValue()).toBe('Alva');
    expect(await page.getByLabel("Child's personal identity number").inputValue()).toBe(tooYoung);
    expect(await page.getByLabel('Your email address').inputValue()).toBe('inte-en-adress');
    // And back, by keyboard again.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText(page)).toBe('Svenska');
  });

  it('has no axe violation on the English form with errors, nor on the English 404', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, locale: 'en-GB' })).newPage();
    await page.goto(system.url + '/');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => page.locator('#error-summary').count(), { timeout: LOADED }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(system.url + '/no-such-page');
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    expect(await axeViolations(page)).toEqual([]);
  });
});
