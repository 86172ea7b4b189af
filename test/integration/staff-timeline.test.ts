/**
 * A real referral from form to closed, then its staff page: the timeline is in words, with no audit code
 * as visible text, whatever the events' details held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../functions/domain/audit-actions';
import { OUTCOMES, PHASES } from '../../functions/domain/referral';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import {
  childId,
  closedAndRetained,
  completeFollowUp,
  confirmGroup,
  onlyLink,
  poolEmail,
  postForm,
  runGroup,
  submitReferral,
  staffSessionCookie,
} from '../support/local';
import { visibleText } from '../support/page-text';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function signIn(email: string): Promise<string> {
  return staffSessionCookie(system, email);
}

const asWord = (code: string) => new RegExp(`(?<![\\w-])${code}(?![\\w-])`);

/** One referral from the form to closed, made once for the tests that read its page. */
let lifecycle: Promise<string> | undefined;
function closedReferral(): Promise<string> {
  lifecycle ??= (async () => {
    const custodian = 'custodian-timeline@example.org';
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now()),
      custodian1Email: custodian,
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'approve' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(custodian),
    );
    await postForm(onlyLink(consent), { action: 'consent' });
    const confirmed = await confirmGroup(system, onlyLink(await poolEmail(system, id)), [id], {
      format: 'weekend',
    });
    await runGroup(system, confirmed.groupId, { 2: [id] });
    await completeFollowUp(system, id, 'fia@example.org');
    await closedAndRetained(system, id);
    return id;
  })();
  return lifecycle;
}

const staffPage = (path: string, cookie: string) =>
  fetch(`${system.url}${path}`, { headers: { cookie }, redirect: 'manual' });

describe('the staff timeline of a whole lifecycle', () => {
  it('shows every event in words and no code', async () => {
    const id = await closedReferral();
    const events = await system.deps.store.listAudit(id);
    expect(new Set(events.map((e) => e.action)).size).toBeGreaterThan(12);

    const cookie = await signIn('samordnare@bris.example');
    const page = await staffPage(`/staff/referrals/${id}`, cookie).then((r) => r.text());
    const text = visibleText(page);
    for (const code of [...AUDIT_ACTIONS, ...PHASES, ...OUTCOMES, 'social-worker', 'group-leader', 'weekend'])
      expect(text, code).not.toMatch(asWord(code));
    // The timeline's items: those in the main column (the header's navigation is a list too).
    const items = page.slice(page.indexOf('<main')).match(/<li>/g) ?? [];
    expect(items.length).toBe(events.length);
    expect(text).toContain('Avslutad, genomförd');
    expect(text).toContain('Samordnaren bildade gruppen: stödhelg (Väntar på grupp)');
    expect(text).toContain('Närvaro registrerad: träff 2, frånvarande (I grupp)');
    expect(text).toContain('Ärendet avslutat: genomförd (Avslutad) – systemet');
  });

  it('switched to English, the page and its timeline are in English, with no code and no Swedish label; the choice stays with the session', async () => {
    const id = await closedReferral();
    const events = await system.deps.store.listAudit(id);
    const cookie = await signIn('samordnare@bris.example');
    const swedish = await staffPage(`/staff/referrals/${id}`, cookie).then((r) => r.text());
    expect(swedish).toContain('<html lang="sv">');
    // The switch is a link to the same page in English.
    const href = /<a href="([^"]+)" hreflang="en" lang="en">English<\/a>/.exec(swedish)![1]!;
    expect(href).toBe(`/staff/referrals/${id}?lang=en`);

    const switched = await staffPage(href, cookie);
    const page = await switched.text();
    expect(page).toContain('<html lang="en">');
    // Remembered beyond the session too, for the next sign-in page.
    const remembered = switched.headers.getSetCookie().find((c) => c.startsWith('bris_staff_lang='));
    expect(remembered).toMatch(
      /^bris_staff_lang=en; Max-Age=31536000; Path=\/staff; HttpOnly; Secure; SameSite=Strict$/,
    );
    const text = visibleText(page.replace(/<a [^>]*hreflang="sv"[^>]*>Svenska<\/a>/, ' '));
    // Codes that are English words ("completed") may be their own English label; hyphenated codes never.
    for (const code of [...AUDIT_ACTIONS, ...PHASES, ...OUTCOMES, 'social-worker', 'group-leader'].filter(
      (c) => c.includes('-'),
    ))
      expect(text, code).not.toMatch(asWord(code));
    expect(page.slice(page.indexOf('<main')).match(/<li>/g)?.length).toBe(events.length);
    expect(text).toContain('Closed, completed');
    expect(text).toContain('The coordinator formed the group: support weekend (Waiting for a group)');
    expect(text).toContain('Attendance recorded: meeting 2, absent (In a group)');
    expect(text).toContain('Referral closed: completed (Closed) – the system');
    expect(text).toContain('Timeline');
    for (const swedishLabel of [
      'Tidslinje',
      'Avslutad',
      'systemet',
      'Samtycke lämnat',
      'Närvaro registrerad',
    ])
      expect(text, swedishLabel).not.toContain(swedishLabel);

    // Kept with the session: the next pages, without ?lang, are English too.
    const overview = await staffPage('/staff', cookie).then((r) => r.text());
    expect(overview).toContain('<html lang="en">');
    expect(visibleText(overview)).toContain('Referrals');
    const inbox = await staffPage('/staff/tasks', cookie).then((r) => r.text());
    expect(visibleText(inbox)).toContain('My tasks');
    // Signing out leads to the sign-in page in the same language.
    const out = await fetch(`${system.url}/staff/sign-out`, {
      method: 'POST',
      headers: { cookie },
      redirect: 'manual',
    });
    expect(out.headers.get('location')).toBe('/staff/sign-in?lang=en');
    const nextSignIn = await fetch(`${system.url}/staff/sign-in`, {
      headers: { cookie: remembered!.split(';')[0]!, 'accept-language': 'sv-SE,sv' },
    }).then((r) => r.text());
    expect(nextSignIn).toContain('<html lang="en">');
  });

  it('signed in from the English sign-in page: the email, the session and the pages are English', async () => {
    const id = await closedReferral();
    const email = 'samordnare@bris.example';
    const signInPage = await fetch(`${system.url}/staff/sign-in`, {
      headers: { 'accept-language': 'en-GB,en;q=0.9,sv;q=0.5' },
    }).then((r) => r.text());
    expect(signInPage).toContain('<html lang="en">');
    expect(signInPage).toContain('<input type="hidden" name="lang" value="en" />');

    const wrong = await postForm(`${system.url}/staff/sign-in`, { email: 'nope', lang: 'en' });
    expect(wrong.status).toBe(400);
    expect(visibleText(wrong.text)).toContain('Write the email address as name@example.com.');

    const mark = system.mailbox.list().at(-1)?.id ?? 0;
    const sent = await postForm(`${system.url}/staff/sign-in`, { email, lang: 'en' });
    expect(visibleText(sent.text)).toContain('If the address may sign in, we have sent a link to it.');
    const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
      afterId: mark,
    });
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe('Sign in: Bris support groups');
    const link = new URL(/https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]).pathname;
    const confirm = await fetch(`${system.url}${link}`).then((r) => r.text());
    expect(confirm).toContain('<html lang="en">');
    expect(visibleText(confirm)).toContain('Confirm sign-in');
    const res = await fetch(`${system.url}${link}`, { method: 'POST', redirect: 'manual' });
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;

    const page = await staffPage(`/staff/referrals/${id}`, cookie).then((r) => r.text());
    expect(page).toContain('<html lang="en">');
    expect(visibleText(page)).toContain('Referral closed: completed (Closed) – the system');
  });
});
