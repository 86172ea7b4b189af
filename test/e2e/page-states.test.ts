/**
 * Page states the walkthroughs do not pass through, audited with axe in a real browser (the shared
 * `auditPage`): a custodian's refusal, the withdrawal page, the social worker's escalation page at the
 * consent deadline, the 404 page. And the audit itself: a violation injected into a page fails it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { launchChromium } from '../support/browser';
import { childId, nextEmail, onlyLink, postForm, submitReferral, withdrawalLinkIn } from '../support/local';
import { auditPage, auditSummary } from './support/audit-page';

const DAY = 86_400_000;
const LOADED = 30_000;
let system: LocalSystem;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'sv-SE' });
  page = await context.newPage();
});
afterAll(async () => {
  console.log(auditSummary('page-states'));
  await browser?.close();
  await system?.stop();
});

/** A referral approved at screening, waiting for its custodian's consent: the consent email. */
async function awaitingConsent(custodian: string, age: number, language: 'sv' | 'en' = 'sv') {
  const id = await submitReferral(system, {
    identityNumber: childId(age, system.clock.now(), { minDaysToBirthday: 60 }),
    custodian1Email: custodian,
    custodian1Language: language,
    socialWorkerEmail: `sw.${custodian.split('@')[0]}@kommun.example`,
  });
  const screening = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.text.includes(id),
  );
  expect((await postForm(onlyLink(screening), { action: 'approve' })).status).toBe(200);
  return { id, consent: await nextEmail(system, 'consent-request', custodian) };
}

describe('the page audit', () => {
  it('fails on a violation injected into a page served under its strict CSP, and passes without it', async () => {
    const response = await page.goto(system.url + '/');
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe/);
    await auditPage(page, 'referral form (empty)', { english: 'elsewhere' });

    // An image without a text alternative, added to the page as served (a string: the test has no DOM types).
    await page.evaluate(
      `document.querySelector('main').insertAdjacentHTML('beforeend', '<img id="injected-violation" src="/assets/site.css">')`,
    );
    await expect(
      auditPage(page, 'referral form with an image without alt', { english: 'elsewhere' }),
    ).rejects.toThrow(/image-alt .*#injected-violation/);
  });
});

describe('page states beside the walkthroughs', () => {
  it('a custodian refuses consent: the consent page and the refusal, in Swedish and in English', async () => {
    const { id, consent } = await awaitingConsent('refusing@example.org', 10);
    await page.goto(onlyLink(consent));
    await auditPage(page, 'consent page');
    await page.getByRole('button', { name: 'Jag samtycker inte' }).click();
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: LOADED })
      .toContain('ditt svar är registrerat');
    await expect
      .poll(async () => (await system.deps.store.getReferral(id))?.status, { timeout: LOADED })
      .toBe('closed');
    await auditPage(page, 'consent refused', { english: 'elsewhere' });

    // A custodian who chose English in the referral: her consent page and her refusal are English.
    const english = await awaitingConsent('refusing.en@example.org', 12, 'en');
    await page.goto(onlyLink(english.consent));
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await auditPage(page, 'consent page');
    await page.getByRole('button', { name: 'I do not consent' }).click();
    await expect
      .poll(async () => (await system.deps.store.getReferral(english.id))?.status, { timeout: LOADED })
      .toBe('closed');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await auditPage(page, 'consent refused');
  });

  it('a custodian opens the withdrawal link and withdraws', async () => {
    const { id, consent } = await awaitingConsent('withdrawing@example.org', 9);
    await page.goto(withdrawalLinkIn(consent));
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Återkalla anmälan');
    await auditPage(page, 'withdrawal page');
    await page.getByLabel('Varför återkallas anmälan?').fill('Familjen har flyttat.');
    await page.getByRole('button', { name: 'Återkalla anmälan' }).click();
    await expect
      .poll(async () => (await system.deps.store.getReferral(id))?.status, { timeout: LOADED })
      .toBe('closed');
    await auditPage(page, 'withdrawn', { english: 'elsewhere' });
  });

  it('the social worker decides at the consent deadline on the escalation page', async () => {
    const { id } = await awaitingConsent('silent@example.org', 14);
    await expect.poll(() => system.engine.waitingState(id), { timeout: LOADED }).toBe('AwaitConsent');
    const mark = system.mailbox.lastId;
    system.clock.advance(14 * DAY + 60_000);
    const escalation = await system.mailbox.waitFor(
      (m) => m.template === 'consent-escalation' && m.text.includes(id),
      { afterId: mark, timeoutMs: LOADED },
    );
    await page.goto(onlyLink(escalation));
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe(`Samtycke saknas för ${id}`);
    await auditPage(page, 'escalation page (consent deadline)');
    await page.getByRole('button', { name: 'Förläng tidsgränsen och fråga igen' }).click();
    await expect.poll(() => system.engine.waitingState(id), { timeout: LOADED }).toBe('AwaitConsent');
    await auditPage(page, 'escalation answered', { english: 'elsewhere' });
  });

  it('an address that does not exist: the 404 page', async () => {
    const response = await page.goto(system.url + '/finns-inte');
    expect(response!.status()).toBe(404);
    await auditPage(page, 'not found (404)');
  });
});
