/**
 * A social worker, the Bris coordinator, a custodian and a group leader take one referral from the
 * form to closed in a real browser, following only the links in /dev/mailbox.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { launchChromium } from '../support/browser';
import type { EmailMessage } from '../../functions/ports';
import { childId, completeFollowUp, runGroup, submitReferral } from '../support/local';
import { auditPage, auditSummary } from './support/audit-page';

let system: LocalSystem;
let browser: Browser;
let page: Page;
const DAY = 86_400_000;
/** How long a step may take on a loaded machine (2 cores shared with other test runs) before it is a failure. */
const LOADED = 30_000;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  browser = await launchChromium();
  // A Swedish browser: the staff sign-in page follows the browser's language. A context of its own: the
  // page audit opens each state's English version in a second tab of it.
  page = await (await browser.newContext({ locale: 'sv-SE' })).newPage();
});
afterAll(async () => {
  console.log(auditSummary('referral-walkthrough'));
  await browser?.close();
  await system?.stop();
});

async function fillReferral(
  p: Page,
  fields: {
    identityNumber: string;
    custodianEmail: string;
    childFirstName?: string;
    secondCustodianEmail?: string;
  },
) {
  await p.goto(system.url + '/');
  await p.getByLabel('Stadsdelsområde').selectOption('Skarpnäck');
  await p.getByLabel('Barnets förnamn').fill(fields.childFirstName ?? 'Alva');
  await p.getByLabel('Barnets personnummer').fill(fields.identityNumber);
  await p.getByLabel('Ditt namn').fill('Sara Socialsekreterare');
  await p.getByLabel('Din e-postadress').fill('sara@skarpnack.example');
  await p.getByLabel('Barnet har fått veta vad stödgruppen är och vill själv delta').check();
  const first = p.getByRole('group', { name: 'Vårdnadshavare 1' });
  await first.getByLabel('Namn', { exact: true }).fill('Kim Vårdnadshavare');
  await first.getByLabel('E-postadress').fill(fields.custodianEmail);
  if (fields.secondCustodianEmail) {
    const second = p.getByRole('group', { name: 'Vårdnadshavare 2 (om barnet har två)' });
    await second.getByLabel(/^Namn/).fill('Robin Vårdnadshavare');
    await second.getByLabel('E-postadress').fill(fields.secondCustodianEmail);
    await second.getByLabel('Språk i e-post').selectOption('en');
  }
  await p.getByLabel('Familjehemsförälderns namn').fill('Lo Familjehem');
  await p.getByLabel('Familjehemsförälderns e-postadress').fill('lo@familjehem.example');
}

/**
 * Opens the newest email with this subject fragment in /dev/mailbox and follows its link. Waits for the
 * email itself (a condition with a deadline), then loads the mailbox page once: no reloading against a clock.
 */
let mailboxAudited = false;
async function followMailboxLink(p: Page, subject: string, count = 1): Promise<void> {
  await expect
    .poll(() => system.mailbox.list().filter((m) => m.subject.includes(subject)).length, { timeout: LOADED })
    .toBeGreaterThanOrEqual(count);
  await p.goto(system.url + '/dev/mailbox');
  if (!mailboxAudited) await auditPage(p, 'mailbox');
  await p.getByRole('link', { name: subject }).first().click();
  await p.waitForURL(/\/dev\/mailbox\/\d+/);
  if (!mailboxAudited) await auditPage(p, 'mailbox: one email');
  mailboxAudited = true;
  await p.locator('pre a').first().click();
}

describe('the walking skeleton in a browser', () => {
  it('a referral submitted in the form reaches closed through the mailbox links', async () => {
    await page.goto(system.url + '/');
    await auditPage(page, 'referral form (empty)');
    // 14 on the system's date (band 13-15, fixed at intake), whatever the date the suite runs on.
    await fillReferral(page, {
      identityNumber: childId(14, system.clock.now()),
      custodianEmail: 'kim@example.org',
    });
    const before = (await system.deps.store.listReferralsByStatus('active')).length;
    // An impatient double click sends the form twice: one referral, one receipt.
    await page.getByRole('button', { name: 'Skicka anmälan' }).dblclick();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Anmälan är mottagen');
    const id = (await page.getByTestId('reference').textContent())!.trim();
    expect(id).toMatch(/^R-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await auditPage(page, 'receipt', { english: 'elsewhere' });
    await expect
      .poll(
        () =>
          system.mailbox.list().filter((m) => m.template === 'screening-request' && m.text.includes(id))
            .length,
      )
      .toBe(1);
    expect((await system.deps.store.listReferralsByStatus('active')).length).toBe(before + 1);

    await followMailboxLink(page, `Ny anmälan att bedöma: ${id}`);
    // Opening the link (GET) must not act: reload twice, the step still waits.
    await page.reload();
    await page.reload();
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    await auditPage(page, 'screening page');
    await page.getByRole('button', { name: 'Godkänn anmälan' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('registrerat');
    await auditPage(page, 'screening done', { english: 'elsewhere' });
    const screeningLink = page.url();

    // Reusing the link: the page says so and nothing changes.
    await page.goto(screeningLink);
    expect(await page.locator('h1').textContent()).toBe('Länken är redan använd');
    // Opening it again is audited (link-opened, counted below): its English is not opened by address.
    await auditPage(page, 'link already used', { english: 'elsewhere' });

    await followMailboxLink(page, 'Ditt samtycke: stödgrupp hos Bris');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await expect.poll(() => page.locator('main').textContent()).toContain('Alva');
    await auditPage(page, 'consent page');
    await page.getByRole('button', { name: 'Jag samtycker', exact: true }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Du har samtyckt');
    await auditPage(page, 'consent given', { english: 'elsewhere' });

    // The coordinator forms a support weekend from the pool of the age band.
    await followMailboxLink(page, `Väntar på grupp: ${id}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Bilda grupp: 13-15 år');
    await auditPage(page, 'proposal page (group forming)');
    await page.getByLabel(`Med i gruppen: ${id}`).check();
    await page.getByLabel(/^Stödhelg/).check();
    await page.getByRole('button', { name: 'Bekräfta gruppen' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Gruppen är bekräftad med 1 barn');
    await auditPage(page, 'group confirmed', { english: 'elsewhere' });
    // The group's workflow places the child (PlaceMembers) once the page has answered.
    await expect
      .poll(async () => (await system.deps.store.getReferral(id))?.group?.groupId, { timeout: LOADED })
      .toBeTruthy();
    const groupId = (await system.deps.store.getReferral(id))!.group!.groupId;

    // The group leader visits the family home first: the seat is confirmed when she records the visit.
    await followMailboxLink(page, `Hembesök före gruppen: ärende ${id}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('lo@familjehem.example');
    await page.getByRole('button', { name: 'Besöket är gjort' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('registrerat');

    // The family home gets the schedule with a calendar file. The group's execution sends it, then sleeps
    // until two days before the first meeting: wait for that (not for the page), then move the clock
    // with the mailbox's button just past the end of the first meeting (its date depends on today's).
    await system.mailbox.waitFor(
      (m) => m.template === 'group-schedule-carer' && m.to.includes('lo@familjehem.example'),
      { timeoutMs: LOADED },
    );
    await system.engine.waitUntil(groupId, (e) => !!e?.states.includes('UntilReminder'), LOADED);
    await page.goto(system.url + '/dev/mailbox');
    expect(
      await page.getByRole('link', { name: 'Schema för Bris stödgrupp: stödhelg' }).count(),
    ).toBeGreaterThan(0);
    const group = (await system.deps.store.getGroup('stockholm-bris', groupId))!;
    const days =
      Math.floor((Date.parse(group.meetings![0]!.endsAt) - system.clock.now().getTime()) / DAY) + 1;
    await page.getByLabel('Spola fram klockan (dagar)').fill(String(days));
    await page.getByRole('button', { name: 'Spola fram' }).click();
    expect(system.clock.now().getTime()).toBeGreaterThan(Date.parse(group.meetings![0]!.endsAt));

    // The group leader records attendance for the first meeting through the link in her email.
    await followMailboxLink(page, 'Närvaro träff 1');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Närvaro träff 1');
    await auditPage(page, 'attendance page');
    await page.getByLabel('Närvarande', { exact: true }).check();
    await page.getByRole('button', { name: 'Spara närvaron' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Närvaron för träff 1 är registrerad');
    await auditPage(page, 'attendance recorded', { english: 'elsewhere' });
    expect((await system.deps.store.listAttendance(groupId)).map((a) => [a.meeting, a.present])).toEqual([
      [1, true],
    ]);
    // The rest of the meetings, the same way over HTTP.
    await runGroup(system, groupId, {}, 2);

    // Follow-up: the family home answers its questions in the browser; the rest runs on the clock.
    await followMailboxLink(page, 'Några frågor om Bris stödgrupp');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Utvärdering av stödgruppen');
    await auditPage(page, 'questionnaire (family home)');
    // Each question is a face scale: the face for 4 of 5 is named "Bra".
    for (const fieldset of await page.locator('fieldset').all())
      await fieldset.getByLabel('Bra', { exact: true }).check();
    await page.getByLabel('Övriga synpunkter (frivilligt)').fill('Bra!');
    await page.getByRole('button', { name: 'Skicka svaren' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Tack för dina svar');
    await auditPage(page, 'questionnaire answered', { english: 'elsewhere' });
    await completeFollowUp(system, id, 'lo@familjehem.example', { answer: false });
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.status).toBe('closed');

    const referral = await system.deps.store.getReferral(id);
    expect(referral).toMatchObject({
      phase: 'closed',
      outcome: 'completed',
      group: { groupId },
    });
    const actions = (await system.deps.store.listAudit(id)).map((e) => e.action);
    for (const step of [
      'referral-submitted',
      'intake-accepted',
      'step-requested',
      'link-redeemed',
      'follow-up-sent',
      'summary-sent',
      'referral-closed',
    ])
      expect(actions).toContain(step);
    // screening, consent, pool, home visit, sessions
    expect(actions.filter((a) => a === 'step-requested')).toHaveLength(5);
    // screening, consent, home visit, two questionnaires
    expect(actions.filter((a) => a === 'link-redeemed')).toHaveLength(5);
    expect(actions).toEqual(expect.arrayContaining(['home-visit-done', 'seat-confirmed']));
    expect(actions.filter((a) => a === 'attendance-recorded')).toHaveLength(4);
    expect(actions).toContain('group-confirmed');
    expect(actions.filter((a) => a === 'link-opened')).toHaveLength(1); // the reopened, already used link
  }, 300_000); // about 6 s alone (plus axe on 14 states at two widths); a loaded machine takes many times that

  it('an invalid form shows Swedish errors next to the fields and keeps what was typed', async () => {
    await fillReferral(page, { identityNumber: '20130613-1235', custodianEmail: 'inte-en-adress' });
    await page.getByRole('button', { name: 'Skicka anmälan' }).click();
    await expect
      .poll(() => page.locator('.error-summary').textContent())
      .toContain('Anmälan kunde inte skickas');
    expect(await page.locator('#identityNumber-error').textContent()).toMatch(/kontrollsiffran/i);
    expect(await page.getByLabel('Barnets personnummer').inputValue()).toBe('20130613-1235');
    expect(await page.locator('#custodian1Email-error').textContent()).toContain('namn@exempel.se');
    expect(await page.locator('#custodian1Name').inputValue()).toBe('Kim Vårdnadshavare');
    expect(await page.getByLabel('Barnets personnummer').getAttribute('aria-invalid')).toBe('true');
    await auditPage(page, 'referral form (with errors)', { english: 'elsewhere' });
  });

  it('an expired link offers a new one by email, and the new one works', async () => {
    // Reminders replace a link before it expires; a partnership without screening reminders lets it expire.
    const partnership = (await system.deps.store.getPartnership('stockholm-bris'))!;
    await system.deps.store.putPartnership({
      ...partnership,
      stepTiming: { screening: { reminderDays: [], escalationDays: 18, deadlineDays: 21 } },
    });
    await fillReferral(page, {
      identityNumber: childId(8, system.clock.now()),
      custodianEmail: 'expired@example.org',
      childFirstName: 'Ebba',
    });
    await page.getByRole('button', { name: 'Skicka anmälan' }).click();
    const id = (await page.getByTestId('reference').textContent())!.trim();
    await followMailboxLink(page, `Ny anmälan att bedöma: ${id}`);
    const link = page.url();
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    await system.deps.store.putPartnership(partnership);

    await page.goto(system.url + '/dev/mailbox');
    await page.getByLabel('Spola fram klockan (dagar)').fill('15');
    await page.getByRole('button', { name: 'Spola fram' }).click();
    // 15 days: past the link's 14, within the screening step's 21.
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Länken har gått ut');
    await auditPage(page, 'link expired');
    await page.getByRole('button', { name: 'Skicka en ny länk' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('En ny länk är skickad');
    await auditPage(page, 'new link sent', { english: 'elsewhere' });
    await expect
      .poll(async () => {
        await page.goto(system.url + '/dev/mailbox');
        return page.getByRole('link', { name: `Ny anmälan att bedöma: ${id}` }).count();
      })
      .toBe(2);
    await followMailboxLink(page, `Ny anmälan att bedöma: ${id}`);
    expect(page.url()).not.toBe(link);
    await page.getByRole('button', { name: 'Godkänn anmälan' }).click();
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('consent');
  });

  it('two custodians consent through their own links, each in their own language', async () => {
    await fillReferral(page, {
      identityNumber: childId(16, system.clock.now()),
      custodianEmail: 'kim.two@example.org',
      secondCustodianEmail: 'robin.two@example.org',
      childFirstName: 'Nova',
    });
    await page.getByRole('button', { name: 'Skicka anmälan' }).click();
    const id = (await page.getByTestId('reference').textContent())!.trim();
    await followMailboxLink(page, `Ny anmälan att bedöma: ${id}`);
    await page.getByRole('button', { name: 'Godkänn anmälan' }).click();

    // Robin chose English: the English consent page; Kim gets the Swedish one. Each link is personal.
    await followMailboxLink(page, 'Your consent: a Bris support group');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('main').textContent()).toContain('Nova');
    await auditPage(page, 'consent page');
    await page.getByRole('button', { name: 'I consent', exact: true }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('You have consented');
    await auditPage(page, 'consent given');
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent'); // still waiting for Kim

    await followMailboxLink(page, 'Ditt samtycke: stödgrupp hos Bris');
    await page.getByRole('button', { name: 'Jag samtycker', exact: true }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Du har samtyckt');

    await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('group-assignment');
    const referral = await system.deps.store.getReferral(id);
    expect(referral?.custodians.map((c) => [c.email, c.consent?.given])).toEqual([
      ['kim.two@example.org', true],
      ['robin.two@example.org', true],
    ]);
    expect(referral?.legalBasis?.kind).toBe('custodian-consent');
  });

  it('a coordinator signs in, finds a referral that needs attention, retries it, and opens the report', async () => {
    const email = system.deps.email;
    const original = email.send.bind(email);
    let broken = true;
    email.send = async (m: EmailMessage) => {
      if (broken && m.template === 'intake-received' && m.to.includes('broken@skarpnack.example'))
        throw new Error('rejected');
      return original(m);
    };
    try {
      const id = await submitReferral(system, {
        identityNumber: childId(17, system.clock.now()),
        district: 'Skarpnäck',
        socialWorkerEmail: 'broken@skarpnack.example',
      });
      await expect
        .poll(async () => (await system.deps.store.getReferral(id))?.status)
        .toBe('needs-attention');
      broken = false;

      await page.goto(system.url + '/staff');
      expect(page.url()).toContain('/staff/sign-in');
      await auditPage(page, 'staff sign-in');
      await page.getByLabel('Din e-postadress i arbetet').fill('samordnare@bris.example');
      await page.getByRole('button', { name: 'Skicka inloggningslänk' }).click();
      await auditPage(page, 'staff sign-in link sent', { english: 'elsewhere' });
      await followMailboxLink(page, 'Logga in: Bris stödgrupper');
      await auditPage(page, 'staff sign-in link page', { english: 'elsewhere' });
      await page.getByRole('button', { name: 'Logga in' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('Anmälningar');
      await auditPage(page, 'staff overview');

      await page.getByLabel('Läge').selectOption('needs-attention');
      await page.getByRole('button', { name: 'Filtrera' }).click();
      await page.getByRole('link', { name: id }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe(`Ärende ${id}`);
      await auditPage(page, 'staff referral page');
      await page.getByRole('button', { name: /Försök igen/ }).click();
      await expect
        .poll(() => page.locator('main').textContent())
        .toContain('fortsätter från steget som misslyckades');
      await auditPage(page, 'staff retry started', { english: 'elsewhere' });
      await expect.poll(async () => (await system.deps.store.getReferral(id))?.phase).toBe('screening');

      await page.getByRole('link', { name: 'Rapport' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('Partnerskapets uppföljning');
      expect(await page.locator('svg[role=img]').count()).toBe(5); // funnel, trend, three per district
      expect(await page.getByRole('img', { name: 'Anmälningar per stadsdelsområde' }).count()).toBe(1);
      expect(await page.locator('tbody tr').count()).toBe(15); // 14 districts and the total
      await auditPage(page, 'staff report');
    } finally {
      email.send = original;
    }
  }, 240_000); // about 22 s alone (axe on its states at two widths); 60 s ran out in a loaded full suite
});
