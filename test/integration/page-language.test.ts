/**
 * The language rule over HTTP, on the local system (the same handlers as in AWS): `?lang=en` chooses and
 * is remembered in a cookie, `Accept-Language` decides a first visit, the form in English keeps what was
 * typed and shows every error at once, the switch keeps a half-filled form, and error pages (the
 * handlers' and the local server's own) are styled pages in the request's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, onlyLink, postForm, referralForm, submitReferral } from '../support/local';

let system: LocalSystem;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

async function request(
  path: string,
  init: { method?: string; headers?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const res = await fetch(`${system.url}${path}`, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers: {
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...init.headers,
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const pageLanguage = (html: string) => /<html lang="(\w+)">/.exec(html)?.[1];
const inputValue = (html: string, id: string) =>
  new RegExp(`<input[^>]*\\sid="${id}"[^>]*>`)
    .exec(html.replace(/\s+/g, ' '))?.[0]
    .match(/value="([^"]*)"/)?.[1];

describe('the language of a page over HTTP', () => {
  it('is Swedish by default, English for an English browser on a first visit', async () => {
    expect(pageLanguage((await request('/')).text)).toBe('sv');
    const english = await request('/', { headers: { 'accept-language': 'en-GB,en;q=0.9,sv;q=0.5' } });
    expect(pageLanguage(english.text)).toBe('en');
    expect(english.text).toContain('Referral to a Bris support group');
  });

  it('follows ?lang=, and remembers it in a cookie that the next visit sends', async () => {
    const chosen = await request('/?lang=en', { headers: { 'accept-language': 'sv' } });
    expect(pageLanguage(chosen.text)).toBe('en');
    const cookie = chosen.headers.getSetCookie().find((c) => c.startsWith('bris_lang='));
    expect(cookie).toMatch(/^bris_lang=en; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const next = await request('/', {
      headers: { 'accept-language': 'sv', cookie: cookie!.split(';')[0]! },
    });
    expect(pageLanguage(next.text)).toBe('en');
    // The switch on the English page leads back to Swedish.
    expect(next.text).toMatch(/formaction="\/referrals\?lang=sv"/);
  });

  it('shows a failed form in English with every error at once and everything typed kept', async () => {
    const tooYoung = childId(4, system.clock.now());
    const form = referralForm({ identityNumber: tooYoung, carerEmail: 'not-an-address', childWish: '' });
    const res = await request('/referrals', { form: { ...form, lang: 'en' } });
    expect(res.status).toBe(400);
    expect(pageLanguage(res.text)).toBe('en');
    expect(res.text).toContain('The referral could not be sent');
    expect(res.text).toContain('The child is 4 years old.');
    expect(res.text).toContain('Write the foster carer&#39;s email address as name@example.com.');
    expect(res.text).toContain('Confirm that the child has been told what the group is');
    expect(inputValue(res.text, 'identityNumber')).toBe(tooYoung);
    expect(inputValue(res.text, 'carerEmail')).toBe('not-an-address');
    expect(inputValue(res.text, 'childFirstName')).toBe('Sam');
    expect(res.text).toMatch(/id="error-summary"\s+autofocus/);
  });

  it('switches a half-filled form to the other language without sending it or losing anything', async () => {
    const form = referralForm({ carerEmail: '' });
    const before = system.mailbox.lastId;
    const res = await request('/referrals?lang=en', { form: { ...form, lang: 'sv', languageSwitch: 'en' } });
    expect(res.status).toBe(200);
    expect(pageLanguage(res.text)).toBe('en');
    expect(res.text).not.toContain('error-summary');
    expect(inputValue(res.text, 'identityNumber')).toBe(form.identityNumber);
    expect(inputValue(res.text, 'custodian1Email')).toBe(form.custodian1Email);
    expect(inputValue(res.text, 'idempotencyKey')).toBe(undefined); // hidden inputs have no id…
    expect(res.text).toContain(`name="idempotencyKey" value="${form.idempotencyKey}"`); // …same key kept
    expect(res.headers.getSetCookie().some((c) => c.startsWith('bris_lang=en'))).toBe(true);
    expect(system.mailbox.lastId).toBe(before); // nothing was sent
  });

  it('answers an unknown page with a styled 404 in the request’s language, with a switch', async () => {
    for (const [headers, lang, title] of [
      [{}, 'sv', 'Sidan finns inte'],
      [{ 'accept-language': 'en' }, 'en', 'Page not found'],
    ] as const) {
      const res = await request('/no-such-page', { headers });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(pageLanguage(res.text)).toBe(lang);
      expect(res.text).toContain(`<h1>${title}</h1>`);
      expect(res.text).toContain('href="/assets/site.css"');
      expect(res.text).toContain(`/no-such-page?lang=${lang === 'en' ? 'sv' : 'en'}`);
    }
  });

  it('answers the handlers’ refusals (415, an unknown link) and the server’s own (405) in English too', async () => {
    const json = await fetch(`${system.url}/referrals?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    const jsonText = await json.text();
    expect(pageLanguage(jsonText)).toBe('en');
    expect(jsonText).toContain('The form came in the wrong format');

    const method = await request('/assets/site.css', {
      method: 'DELETE',
      headers: { cookie: 'bris_lang=en' },
    });
    expect(method.status).toBe(405);
    expect(pageLanguage(method.text)).toBe('en');
    expect(method.text).toContain('This cannot be done here');

    const link = await request('/links/no-such-token-abcdefghijkl', { headers: { 'accept-language': 'en' } });
    expect(link.status).toBe(404);
    expect(pageLanguage(link.text)).toBe('en');
    expect(link.text).toContain('href="/links/no-such-token-abcdefghijkl?lang=sv"');
  });

  it('on a link page: the recipient’s stored language, unless the person chose (?lang=, cookie)', async () => {
    const custodian = 'english-custodian@example.org';
    const id = await submitReferral(system, {
      identityNumber: childId(10, system.clock.now()),
      custodian1Email: custodian,
      custodian1Language: 'en',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await postForm(onlyLink(screening), { action: 'approve' });
    const consent = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes(custodian),
    );
    const path = new URL(onlyLink(consent)).pathname;
    // A Swedish browser still gets the language the social worker chose for her.
    expect(pageLanguage((await request(path, { headers: { 'accept-language': 'sv' } })).text)).toBe('en');
    const chosen = await request(`${path}?lang=sv`);
    expect(pageLanguage(chosen.text)).toBe('sv');
    expect(chosen.text).toContain(`href="${path}?lang=en"`);
    expect(chosen.headers.get('referrer-policy')).toBe('no-referrer');
    expect(pageLanguage((await request(path, { headers: { cookie: 'bris_lang=sv' } })).text)).toBe('sv');
  });
});
