/**
 * The child's questionnaire in a real browser at 375 px, in Swedish and English: the face scale passes axe
 * (WCAG 2.1 A and AA), each face is a target of at least 44 × 44 px named by its word (the drawing is
 * hidden from screen readers), nothing scrolls sideways, and the keyboard chooses with Space and the arrow
 * keys. The page is rendered by its step module and served with the site's stylesheet inlined, so the test
 * needs no walk through a whole group to reach it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../functions/domain/follow-up';
import type { Language } from '../../functions/domain/referral';
import type { StepPageContext } from '../../functions/kernel/human-step';
import { FACE_WORDS, questionnairePage } from '../../functions/phases/follow-up/questionnaire-page';
import { html } from '../../functions/web/html';
import { SITE_CSS } from '../../functions/web/layout';
import { wcagViolations } from './support/audit-page';
import { launchChromium } from '../support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function childQuestionnaire(lang: Language): string {
  const view = {
    link: { respondent: 'child' },
    partnership: { followUp: DEFAULT_FOLLOW_UP_SETTINGS },
  } as unknown as StepPageContext['view'];
  return questionnairePage({ view, action: '/links/t', top: html``, errors: {}, lang }).replace(
    '<link rel="stylesheet" href="/assets/site.css" />',
    `<style>${SITE_CSS}</style>`,
  );
}

async function phonePage(lang: Language): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await page.setContent(childQuestionnaire(lang));
  return page;
}

/** WCAG 2.1 A and AA violations on the page as it is now, one `rule: element` line each. */
async function axeViolations(page: Page): Promise<string[]> {
  return (await wcagViolations(page)).map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

describe("the child's questionnaire as a face scale", () => {
  for (const lang of ['sv', 'en'] as const)
    it(`is accessible, large and keyboard-usable at 375 px (${lang})`, async () => {
      const page = await phonePage(lang);
      const items = DEFAULT_FOLLOW_UP_SETTINGS.child.items;
      expect(await axeViolations(page)).toEqual([]);

      // Every face is named by its word alone: the drawing is decoration.
      for (const word of FACE_WORDS[lang])
        expect(await page.getByRole('radio', { name: word, exact: true }).count()).toBe(items.length);
      expect(await page.locator('svg[aria-hidden="true"]').count()).toBe(items.length * 5);
      const firstQuestion = lang === 'en' ? items[0]!.textEn! : items[0]!.text;
      expect(await page.getByRole('group', { name: firstQuestion }).count()).toBe(1);

      // Targets of at least 44 × 44 px, and nothing scrolls sideways on a phone.
      const sizes = await page
        .locator('label.face')
        .evaluateAll((labels) =>
          labels.map((l) => l.getBoundingClientRect()).map((r) => [r.width, r.height]),
        );
      expect(sizes).toHaveLength(items.length * 5);
      for (const [width, height] of sizes) {
        expect(width).toBeGreaterThanOrEqual(44);
        expect(height).toBeGreaterThanOrEqual(44);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

      // The keyboard: Tab reaches the first question's faces, Space chooses, the arrows move the choice.
      const first = items[0]!.id;
      await page.locator(`#item-${first}-1`).focus();
      await page.keyboard.press('Space');
      expect(await page.locator(`#item-${first}-1`).isChecked()).toBe(true);
      await page.keyboard.press('ArrowRight');
      expect(await page.locator(`#item-${first}-2`).isChecked()).toBe(true);

      // Touch: a tap on the word chooses its face.
      await page.getByText(FACE_WORDS[lang][4], { exact: true }).first().click();
      expect(await page.locator(`#item-${first}-5`).isChecked()).toBe(true);
      await page.context().close();
    });
});
