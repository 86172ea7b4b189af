/**
 * Languages and trust, on the local system over HTTP and its mailbox: a staff member's language on the
 * staff list is the language of her notifications; the social worker's is the language of the form she
 * submitted; the privacy notice answers in both languages and is linked from pages and emails; the consent
 * page names the referring social worker as the custodian's contact; the family home's language is the
 * one the form chose for it.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZONE } from '../../functions/domain/time-zone';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  confirmGroup,
  consentedChild,
  get,
  homeVisitRequest,
  onlyLink,
  poolEmail,
  postForm,
  referenceFrom,
  referralForm,
} from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const lastId = () => system.mailbox.list().at(-1)?.id ?? 0;

/** Submits the form as a browser would from `path` (`/referrals` or `/referrals?lang=en`). */
async function submit(path: string, overrides: Record<string, string>): Promise<string> {
  const res = await postForm(`${system.url}${path}`, referralForm(overrides));
  expect(res.status).toBe(201);
  return referenceFrom(res.text);
}

async function coordinatorReads(language: 'sv' | 'en' | undefined): Promise<void> {
  const p = (await system.deps.store.getPartnership(system.deps.config.partnershipId))!;
  await system.deps.store.putPartnership({
    ...p,
    staff: p.staff.map((m) => (m.email === COORDINATOR ? { ...m, language } : m)),
  });
}

describe('each person is written to in her own language', () => {
  it("the coordinator's notification follows her setting on the staff list; the social worker's, the form's language", async () => {
    await coordinatorReads('en');
    try {
      const mark = lastId();
      const id = await submit('/referrals?lang=en', {
        identityNumber: childId(10, system.clock.now()),
        socialWorkerEmail: 'sw-english@kommun.example',
        custodian1Email: 'lang-en@example.org',
      });
      const screening = await system.mailbox.waitFor(
        (m) => m.template === 'screening-request' && m.to.includes(COORDINATOR) && m.text.includes(id),
        { afterId: mark },
      );
      expect(screening.subject).toBe(`New referral to screen: ${id}`);
      expect(screening.text).toContain('Open the link to approve or decline the referral.');
      expect(screening.text).toContain(`${system.url}/privacy?lang=en`);
      const receipt = await system.mailbox.waitFor(
        (m) => m.template === 'intake-received' && m.to.includes('sw-english@kommun.example'),
        { afterId: mark },
      );
      expect(receipt.subject).toBe(`Referral ${id} has been received`);

      // The same coordinator, set back to Swedish (the default), gets the next one in Swedish.
      await coordinatorReads(undefined);
      const next = lastId();
      const swedish = await submit('/referrals', {
        identityNumber: childId(10, system.clock.now()),
        socialWorkerEmail: 'sw-svenska@kommun.example',
        custodian1Email: 'lang-sv@example.org',
      });
      const svScreening = await system.mailbox.waitFor(
        (m) => m.template === 'screening-request' && m.text.includes(swedish),
        { afterId: next },
      );
      expect(svScreening.subject).toBe(`Ny anmälan att bedöma: ${swedish}`);
      expect(svScreening.text).toContain(`${system.url}/privacy\n`);
      const svReceipt = await system.mailbox.waitFor(
        (m) => m.template === 'intake-received' && m.to.includes('sw-svenska@kommun.example'),
        { afterId: next },
      );
      expect(svReceipt.subject).toBe(`Anmälan ${swedish} har tagits emot`);
    } finally {
      await coordinatorReads(undefined);
    }
  });
});

describe('the privacy notice', () => {
  it('answers at /privacy in Swedish, and in English when asked or when the browser prefers it', async () => {
    const p = (await system.deps.store.getPartnership(system.deps.config.partnershipId))!;
    const sv = await get(`${system.url}/privacy`);
    expect(sv.status).toBe(200);
    expect(sv.text).toContain('<html lang="sv">');
    expect(sv.text).toContain('<h1>Så behandlar vi personuppgifter</h1>');
    expect(sv.text).toContain(`i ${p.retentionMonths} månader efter att den avslutats`);
    expect(sv.text).toContain(`mailto:${p.coordinator.email}`);

    const en = await get(`${system.url}/privacy?lang=en`);
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('<h1>How we handle personal data</h1>');
    expect(en.text).toContain(`for ${p.retentionMonths} months after it closes`);
    expect(en.text).toContain('Legal basis');

    const browser = await fetch(`${system.url}/privacy`, {
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(await browser.text()).toContain('<html lang="en">');
  });

  it("is linked from every page's footer", async () => {
    for (const path of ['/', '/privacy', '/staff/sign-in']) {
      const page = await get(`${system.url}${path}`);
      expect(page.text, path).toMatch(/<footer>[\s\S]*<a href="\/privacy"[\s\S]*<\/footer>/);
    }
    const en = await get(`${system.url}/privacy?lang=en`);
    expect(en.text).toMatch(/<footer>[\s\S]*<a href="\/privacy\?lang=en"[\s\S]*<\/footer>/);
  });
});

describe('the consent page', () => {
  it('names the referring social worker, with her email, as the contact (a custodian who reads English)', async () => {
    const mark = lastId();
    const id = await submit('/referrals', {
      identityNumber: childId(12, system.clock.now()),
      socialWorkerName: 'Siv Kontaktsson',
      socialWorkerEmail: 'siv.kontakt@kommun.example',
      custodian1Email: 'contact-en@example.org',
      custodian1Language: 'en',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
      { afterId: mark },
    );
    await postForm(onlyLink(screening), { action: 'approve' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('contact-en@example.org'),
      { afterId: mark },
    );
    const page = await get(onlyLink(consent));
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Questions? Contact the social worker');
    expect(page.text).toContain('The referral was made by social worker Siv Kontaktsson');
    expect(page.text).toContain('href="mailto:siv.kontakt@kommun.example"');
  });
});

describe("the family home's language", () => {
  it('a form that chose English for the family home: its first email (the home-visit times), its link page and its schedule are in English', async () => {
    const carer = 'carer41@familjehem.example';
    const id = await consentedChild(system, 41, {
      identityNumber: childId(9, system.clock.now(), { minDaysToBirthday: 60, serial: 741 }),
      carerEmail: carer,
      carerLanguage: 'en',
    });
    expect((await system.deps.store.getReferral(id))?.carer.language).toBe('en');
    const pool = await poolEmail(system, id);
    const startDate = new Date(system.clock.now().getTime() + 21 * 86_400_000).toISOString().slice(0, 10);
    expect((await confirmGroup(system, onlyLink(pool), [id], { startDate, homeVisits: false })).status).toBe(
      200,
    );
    // Nothing reaches the family home before the leader offers times for her visit.
    expect(system.mailbox.list().some((m) => m.to.includes(carer))).toBe(false);
    const request = await homeVisitRequest(system, id);
    const inDays = (d: number) =>
      DateTime.fromJSDate(system.clock.now(), { zone: ZONE })
        .plus({ days: d })
        .toFormat("yyyy-LL-dd'T'17:00");
    let mark = lastId();
    expect(
      (await postForm(onlyLink(request), { action: 'offer-times', time1: inDays(3), time2: inDays(5) }))
        .status,
    ).toBe(200);
    const times = await system.mailbox.waitFor(
      (m) => m.template === 'home-visit-times' && m.to.includes(carer),
      { afterId: mark },
    );
    expect(times.language).toBe('en');
    expect(times.subject).toBe(`Bris would like to meet you at home before the group starts: referral ${id}`);
    expect(times.text).toContain('Open the link and choose the time that suits you');
    const choice = await get(onlyLink(times));
    expect(choice.text).toContain('<html lang="en">');

    const first = [...choice.text.matchAll(/name="time"\s+value="([^"]+)"/g)][0]![1]!;
    mark = lastId();
    expect((await postForm(onlyLink(times), { action: 'choose-time', time: first })).status).toBe(200);
    // The leader hears the time with a new link of her step, and records the visit: the schedule follows.
    const chosen = await system.mailbox.waitFor(
      (m) => m.template === 'home-visit-request' && m.subject.includes(id),
      { afterId: mark },
    );
    await expect.poll(() => system.engine.waitingState(id)).toBe('HomeVisit');
    mark = lastId();
    expect((await postForm(onlyLink(chosen), { action: 'visit-done' })).status).toBe(200);
    const schedule = await system.mailbox.waitFor(
      (m) => m.template === 'group-schedule-carer' && m.to.includes(carer),
      { afterId: mark },
    );
    expect(schedule.language).toBe('en');
    expect(schedule.subject).toMatch(/^Schedule for the Bris support group/);
  });
});
