/**
 * The privacy notice in a real browser, served by the local system: axe (WCAG 2.1 A and AA) finds nothing
 * in Swedish or English at 375 px and 1280 px, nothing scrolls sideways, and the form's footer leads to it.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { launchChromium } from '../support/browser';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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

/** The site's CSP forbids every script, rightly: the test's context bypasses it to inject axe. */
async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({
    bypassCSP: true,
    locale: 'sv-SE',
    viewport: { width, height: 900 },
  });
  return context.newPage();
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (opts: unknown) => Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

describe('the privacy notice in a browser', () => {
  for (const width of [375, 1280])
    it(`is reached from the form's footer and passes axe in both languages at ${width} px`, async () => {
      const page = await newPage(width);
      await page.goto(`${system.url}/`);
      await page.getByRole('link', { name: 'Så behandlar vi personuppgifter' }).click();
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 30_000 })
        .toBe('Så behandlar vi personuppgifter');
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);

      await page.goto(`${system.url}/privacy?lang=en`);
      expect(await page.locator('h1').textContent()).toBe('How we handle personal data');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
});
