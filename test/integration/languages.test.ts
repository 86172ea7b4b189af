/**
 * Languages and trust, on the local system over HTTP and its mailbox: a staff member's language on the
 * staff list is the language of her notifications; the social worker's is the language of the form she
 * submitted; the privacy notice answers in both languages and is linked from pages and emails; the consent
 * page names the referring social worker as the custodian's contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, get, onlyLink, postForm, referenceFrom, referralForm } from '../support/local';

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
