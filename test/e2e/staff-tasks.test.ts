/**
 * The staff task inbox in a real browser, for the coordinator and for a social worker: signed in through
 * the emailed sign-in link, "Mina uppgifter" in the navigation, a task acted on from the inbox, the inbox
 * switched to English, and every page checked with axe against WCAG 2.1 A and AA.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { launchChromium } from '../support/browser';
import { childId, consentedChild, onlyLink, postForm, submitReferral } from '../support/local';
import { auditPage, auditSummary } from './support/audit-page';

const LOADED = 30_000;

let system: LocalSystem;
let browser: Browser;

beforeAll(async () => {
  // Free ports: other checkouts on the machine may run the same test at the same time.
  system = await startLocalSystem({ port: 0, quiet: true });
  browser = await launchChromium();
});
afterAll(async () => {
  console.log(auditSummary('staff-tasks'));
  await browser?.close();
  await system?.stop();
});

/**
 * A Swedish browser (the sign-in page follows the browser's language), with the site's own strict CSP:
 * the page audit evaluates axe over the DevTools protocol, nothing is injected as a script tag.
 */
async function newPage(): Promise<Page> {
  return (await browser.newContext({ locale: 'sv-SE' })).newPage();
}

async function signIn(page: Page, email: string): Promise<void> {
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await page.goto(system.url + '/staff/sign-in');
  await page.getByLabel('Din e-postadress i arbetet').fill(email);
  await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  await page.goto(/https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Anmälningar');
}

describe('the task inbox in a browser', () => {
  it('the coordinator finds a screening and a pool in "Mina uppgifter" and acts on them there', async () => {
    const screening = await submitReferral(system, {
      identityNumber: childId(14, system.clock.now()),
      childFirstName: 'Tove',
    });
    const email = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(screening),
    );
    const waiting = await consentedChild(system, 301, { identityNumber: childId(8, system.clock.now()) });
    await system.mailbox.waitFor(
      (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(waiting),
    );

    const page = await newPage();
    await signIn(page, 'samordnare@bris.example');
    await page
      .getByRole('navigation', { name: 'Personal' })
      .getByRole('link', { name: 'Mina uppgifter' })
      .click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Mina uppgifter');
    await auditPage(page, 'staff inbox');
    const row = page.locator('tr', { hasText: screening });
    expect(await row.textContent()).toContain('Tove');
    expect(await page.locator('tr', { hasText: 'Bilda grupp 7–9 år' }).count()).toBe(1);

    // The pool's page: the same proposal form as the emailed link, inside the staff pages.
    await page.getByRole('link', { name: /Bilda grupp 7–9 år/ }).click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe('Bilda grupp: 7-9 år');
    expect(await page.getByRole('checkbox', { name: `Med i gruppen: ${waiting}` }).count()).toBe(1);
    await auditPage(page, 'staff proposal page');

    await page.getByRole('link', { name: 'Tillbaka till Mina uppgifter' }).click();
    await page.getByRole('link', { name: 'Bedöm anmälan' }).first().click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe(`Bedöm anmälan ${screening}`);
    await auditPage(page, 'staff screening page');
    await page.getByRole('button', { name: 'Godkänn anmälan' }).click();
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: LOADED })
      .toContain('Anmälan är godkänd');
    await auditPage(page, 'staff screening done', { english: 'elsewhere' });
    await expect
      .poll(async () => (await system.deps.store.getReferral(screening))?.phase, { timeout: LOADED })
      .toBe('consent');
    // The emailed link is used now.
    expect((await postForm(onlyLink(email), { action: 'approve' })).status).toBe(409);
    await page.close();
  });

  it("a social worker sees her district's paper consent, with an empty inbox for her colleague", async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(10, system.clock.now()),
      district: 'Farsta',
      custodian1Contact: 'paper',
      custodian1Email: '',
    });
    const s = await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(id));
    await postForm(onlyLink(s), { action: 'approve' });
    await system.mailbox.waitFor(
      (m) => m.template === 'consent-request-paper' && m.to.includes('siv@farsta.example'),
      { timeoutMs: LOADED },
    );

    const page = await newPage();
    await signIn(page, 'siv@farsta.example');
    await page.getByRole('link', { name: 'Mina uppgifter' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Mina uppgifter');
    expect(await page.locator('tr', { hasText: id }).count()).toBe(1);
    expect(await page.getByText('Bilda grupp').count()).toBe(0);
    await auditPage(page, 'staff inbox (social worker)');

    await page
      .getByRole('link', { name: /Registrera samtycke från blankett/ })
      .first()
      .click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe('Registrera vårdnadshavarens svar');
    await auditPage(page, 'staff paper consent page');
    await page.getByLabel('Vårdnadshavaren samtycker', { exact: true }).check();
    await page.getByLabel('Hänvisning till den underskrivna blanketten').fill('Dok 2026-0100');
    await page.getByRole('button', { name: 'Registrera svaret' }).click();
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: LOADED })
      .toContain('Vårdnadshavarens svar är registrerat');
    await page.close();

    const colleague = await newPage();
    await signIn(colleague, 'sara@skarpnack.example');
    await colleague.getByRole('link', { name: 'Mina uppgifter' }).click();
    await expect
      .poll(() => colleague.locator('h1').textContent(), { timeout: LOADED })
      .toBe('Mina uppgifter');
    expect(await colleague.locator('tr', { hasText: id }).count()).toBe(0);
    await auditPage(colleague, 'staff inbox (empty)');
    await colleague.close();
  });

  it('the coordinator asks for more information from her inbox; the social worker answers in hers', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(12, system.clock.now()),
      childFirstName: 'Maja',
    });
    await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(id));
    const open = async (page: Page, reference: string, heading: string) => {
      await page.getByRole('link', { name: 'Mina uppgifter' }).first().click();
      await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Mina uppgifter');
      await page.locator('tr', { hasText: reference }).getByRole('link').click();
      await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe(heading);
    };

    const coordinator = await newPage();
    await signIn(coordinator, 'samordnare@bris.example');
    await open(coordinator, id, `Bedöm anmälan ${id}`);
    // Nothing ticked: the error is named and tied to the list.
    await coordinator.getByRole('button', { name: 'Begär komplettering' }).click();
    await expect
      .poll(() => coordinator.locator('#items-error').textContent(), { timeout: LOADED })
      .toBe('Kryssa i minst en uppgift som saknas.');
    await auditPage(coordinator, 'staff screening (with errors)', { english: 'elsewhere' });
    await coordinator.getByLabel('Barnets situation och behov').check();
    await coordinator.getByLabel('Kommentar till socialsekreteraren (frivillig)').fill('Hur ser veckan ut?');
    await coordinator.getByRole('button', { name: 'Begär komplettering' }).click();
    await expect
      .poll(() => coordinator.locator('main').textContent(), { timeout: LOADED })
      .toContain('Kompletteringen är begärd');
    await system.mailbox.waitFor((m) => m.template === 'information-request' && m.text.includes(id), {
      timeoutMs: LOADED,
    });

    const sw = await newPage();
    await signIn(sw, 'siv@farsta.example');
    await open(sw, id, `Komplettera anmälan ${id}`);
    expect(await sw.locator('main').textContent()).toContain('Hur ser veckan ut?');
    await auditPage(sw, 'information request page');
    await sw.getByLabel('Din komplettering').fill('Skola till 15 varje dag; fritids på onsdagar.');
    await sw.getByRole('button', { name: 'Skicka kompletteringen' }).click();
    await expect
      .poll(() => sw.locator('main').textContent(), { timeout: LOADED })
      .toContain('kompletteringen är skickad');
    await sw.close();

    // Screening again, with the question and the answer on the page.
    await system.mailbox.waitFor((m) => m.template === 'screening-request-again' && m.text.includes(id), {
      timeoutMs: LOADED,
    });
    await open(coordinator, id, `Bedöm anmälan ${id}`);
    expect(await coordinator.locator('main').textContent()).toContain('fritids på onsdagar');
    await auditPage(coordinator, 'staff screening page (with the answer)');
    await coordinator.close();
  });

  it('the coordinator switches to English: the inbox, a screening and the pool in English, each without violations', async () => {
    const screening = await submitReferral(system, {
      identityNumber: childId(13, system.clock.now()),
      childFirstName: 'Tilda',
    });
    await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(screening));
    const waiting = await consentedChild(system, 302, { identityNumber: childId(16, system.clock.now()) });
    await system.mailbox.waitFor(
      (m) => (m.template === 'pool-waiting' || m.template === 'group-proposal') && m.text.includes(waiting),
    );

    const page = await newPage();
    await signIn(page, 'samordnare@bris.example');
    await page.getByRole('link', { name: 'Mina uppgifter' }).click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('Mina uppgifter');
    // The switch: a real link, named in the language it leads to.
    const english = page.getByRole('navigation', { name: 'Språk' }).getByRole('link', { name: 'English' });
    expect(await english.getAttribute('hreflang')).toBe('en');
    expect(await english.getAttribute('lang')).toBe('en');
    await english.click();
    await expect.poll(() => page.locator('h1').textContent(), { timeout: LOADED }).toBe('My tasks');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await auditPage(page, 'staff inbox');
    const row = page.locator('tr', { hasText: screening });
    expect(await row.textContent()).toContain('Screen the referral');
    // Due dates as English writes them: "14 Mar 2027, 10:00".
    expect(await row.textContent()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
    expect(await page.locator('tr', { hasText: 'Form a group 16–18 years' }).count()).toBe(1);
    expect(await page.getByText('Bilda grupp').count()).toBe(0);

    // The choice stays with the session: the pool's page, with no ?lang, is English.
    await page.getByRole('link', { name: /Form a group 16–18 years/ }).click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe('Form a group: 16-18 years');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('checkbox', { name: `In the group: ${waiting}` }).count()).toBe(1);
    await auditPage(page, 'staff proposal page');

    await page.getByRole('link', { name: 'Back to My tasks' }).click();
    await page
      .locator('tr', { hasText: screening })
      .getByRole('link', { name: 'Screen the referral' })
      .click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe(`Screen the referral ${screening}`);
    await auditPage(page, 'staff screening page');
    // A decline without a reason: the step's own error, in English.
    await page.getByRole('button', { name: 'Decline the referral' }).click();
    await expect
      .poll(() => page.locator('.field-error').first().textContent(), { timeout: LOADED })
      .toBe('Write a reason for the decision (at least 3 characters).');
    await auditPage(page, 'staff screening (with errors)', { english: 'elsewhere' });

    // And back to Swedish.
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Svenska' }).click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe(`Bedöm anmälan ${screening}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await page.close();
  });
  it('the proposal page shows why, without violations on a phone (375 px) and a desktop (1280 px)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        await consentedChild(system, 310 + i, {
          identityNumber: childId(14, system.clock.now(), { minDaysToBirthday: 60 }),
          district: 'Bromma',
        }),
      );
    await system.mailbox.waitFor((m) => m.template === 'group-proposal' && m.text.includes(ids[5]!));

    const page = await newPage();
    await signIn(page, 'samordnare@bris.example');
    await page.getByRole('link', { name: 'Mina uppgifter' }).click();
    await page.getByRole('link', { name: /Bilda grupp 13–15 år/ }).click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: LOADED })
      .toBe('Bilda grupp: 13-15 år');
    // The proposed group and the week ahead, as tables named by their captions.
    expect(await page.getByRole('table', { name: 'Föreslagna grupper, 13-15 år' }).count()).toBe(1);
    const week = page.getByRole('table', { name: 'Om vi väntar en vecka till, 13-15 år' });
    expect(await week.getByRole('rowheader', { name: 'Längsta väntan' }).count()).toBe(1);
    await auditPage(page, 'staff proposal page (why)');
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      // The page reflows: a wide table scrolls in its own region, the page itself never sideways.
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        ),
        `${width} px`,
      ).toBeLessThanOrEqual(width);
    }
    await page.close();
  });
});
