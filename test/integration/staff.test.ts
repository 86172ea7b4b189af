/**
 * Staff pages: sign-in by an emailed link, sessions, roles (a social worker sees her district and her own
 * referrals, a partnership administrator only the report), notes (free text read after sign-in, never
 * mailed), the overview with retry, and the report. And the guards every response and every staff POST
 * share: security headers, POSTs only from the site itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSetCookie } from 'cookie';
import type { EmailMessage } from '../../functions/ports';
import { FUNCTIONS } from '../../infra/functions-catalog';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, onlyLink, postForm, submitReferral, withdrawalLinkIn } from '../support/local';
import { rawRequest, SECURITY_HEADER_NAMES, type RawResponse } from '../support/raw-http';

let system: LocalSystem;
let farsta: string;
let skarpnack: string;

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
  farsta = await submitReferral(system, {
    identityNumber: childId(11, system.clock.now()),
    childFirstName: 'Fanny',
    district: 'Farsta',
  });
  skarpnack = await submitReferral(system, {
    identityNumber: childId(11, system.clock.now()),
    childFirstName: 'Sixten',
    district: 'Skarpnäck',
    socialWorkerName: 'Sara Socialsekreterare',
    socialWorkerEmail: 'sara@skarpnack.example',
  });
});
afterAll(async () => {
  await system?.stop();
});

async function request(path: string, cookie?: string, init: RequestInit = {}) {
  const res = await fetch(`${system.url}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) },
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    setCookie: res.headers.getSetCookie(),
    text: await res.text(),
  };
}

async function signIn(email: string): Promise<string> {
  const mark = system.mailbox.list().at(-1)?.id ?? 0;
  await postForm(`${system.url}/staff/sign-in`, { email });
  const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in' && m.to.includes(email), {
    afterId: mark,
  });
  const link = /https?:\/\/\S+\/staff\/sign-in\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  const res = await request(new URL(link).pathname, undefined, { method: 'POST' });
  expect(res.status).toBe(303);
  return res.setCookie[0]!.split(';')[0]!;
}

describe('sign-in', () => {
  it('a signed-out request is sent to sign in', async () => {
    for (const path of ['/staff', '/staff/report', `/staff/referrals/${farsta}`, '/staff/report.csv']) {
      const res = await request(path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe('/staff/sign-in');
    }
  });

  it('only an allow-listed address gets a link; the page says the same either way', async () => {
    const mark = system.mailbox.list().at(-1)?.id ?? 0;
    const stranger = await postForm(`${system.url}/staff/sign-in`, { email: 'someone@elsewhere.example' });
    const staff = await postForm(`${system.url}/staff/sign-in`, { email: 'samordnare@bris.example' });
    expect(stranger.text).toBe(staff.text);
    expect(stranger.status).toBe(200);
    await system.mailbox.waitFor(
      (m) => m.template === 'staff-sign-in' && m.to.includes('samordnare@bris.example'),
      { afterId: mark },
    );
    expect(system.mailbox.list().some((m) => m.to.includes('someone@elsewhere.example'))).toBe(false);
  });

  it('the link signs in once with a short, HttpOnly, Secure, SameSite=Strict session; GET never signs in', async () => {
    const mark = system.mailbox.list().at(-1)?.id ?? 0;
    await postForm(`${system.url}/staff/sign-in`, { email: 'samordnare@bris.example' });
    const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in', { afterId: mark });
    const path = new URL(/https?:\/\/\S+\/staff\/sign-in\/\S+/.exec(mail.text)![0]).pathname;
    const get = await request(path);
    expect(get.status).toBe(200);
    expect(get.setCookie).toEqual([]);
    const post = await request(path, undefined, { method: 'POST' });
    expect(post.setCookie).toHaveLength(1);
    expect(parseSetCookie(post.setCookie[0]!)).toEqual({
      name: 'bris_staff',
      value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      path: '/staff',
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      maxAge: 7200,
    });
    expect((await request(path, undefined, { method: 'POST' })).status).toBe(410);
    const cookie = post.setCookie[0]!.split(';')[0]!;
    expect((await request('/staff', cookie)).status).toBe(200);
    system.wallClock.advance(3 * 3_600_000); // sessions last two hours of a person's time
    expect((await request('/staff', cookie)).location).toBe('/staff/sign-in');
  });

  it("lasts in the person's own time: days of the programme's clock pass, the link and session still work; 16 minutes of hers, the link is gone", async () => {
    const requestLink = async () => {
      const mark = system.mailbox.list().at(-1)?.id ?? 0;
      await postForm(`${system.url}/staff/sign-in`, { email: 'samordnare@bris.example' });
      const mail = await system.mailbox.waitFor((m) => m.template === 'staff-sign-in', { afterId: mark });
      return new URL(/https?:\/\/\S+\/staff\/sign-in\/\S+/.exec(mail.text)![0]).pathname;
    };
    // Locally the programme's clock runs 720× fast: 15 minutes of it are gone in about a second.
    const path = await requestLink();
    system.clock.advance(2 * 86_400_000);
    const post = await request(path, undefined, { method: 'POST' });
    expect(post.status).toBe(303);
    const cookie = post.setCookie[0]!.split(';')[0]!;
    system.clock.advance(2 * 86_400_000);
    expect((await request('/staff', cookie)).status).toBe(200);

    const late = await requestLink();
    system.wallClock.advance(16 * 60_000);
    expect((await request(late, undefined, { method: 'POST' })).status).toBe(410);
  });
});

describe('roles', () => {
  it('a social worker sees her district only: another district is 403', async () => {
    const cookie = await signIn('siv@farsta.example');
    const list = await request('/staff', cookie);
    expect(list.text).toContain(farsta);
    expect(list.text).not.toContain(skarpnack);
    expect((await request(`/staff/referrals/${farsta}`, cookie)).status).toBe(200);
    const other = await request(`/staff/referrals/${skarpnack}`, cookie);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('Sixten');
    expect((await request('/staff?district=Skarpn%C3%A4ck', cookie)).status).toBe(403);
  });

  it('a partnership administrator sees the report and no names', async () => {
    const cookie = await signIn('uppfoljning@stockholm.example');
    expect((await request('/staff', cookie)).location).toBe('/staff/report');
    expect((await request(`/staff/referrals/${farsta}`, cookie)).status).toBe(403);
    const report = await request('/staff/report', cookie);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<svg');
    for (const name of ['Fanny', 'Sixten', 'Siv Socialsekreterare', 'Vera', farsta])
      expect(report.text).not.toContain(name);
  });
});

describe('overview, retry and report (coordinator)', () => {
  it('finds a referral that needs attention, retries it, and it goes on', async () => {
    const email = system.deps.email;
    const original = email.send.bind(email);
    let broken = true;
    email.send = async (m: EmailMessage) => {
      if (broken && m.template === 'intake-received' && m.to.includes('fails@farsta.example'))
        throw new Error('mailbox rejected');
      return original(m);
    };
    try {
      const id = await submitReferral(system, {
        identityNumber: childId(11, system.clock.now()),
        socialWorkerEmail: 'fails@farsta.example',
      });
      await expect
        .poll(async () => (await system.deps.store.getReferral(id))?.status)
        .toBe('needs-attention');
      const cookie = await signIn('samordnare@bris.example');
      const list = await request('/staff?status=needs-attention', cookie);
      expect(list.text).toContain(id);
      expect(list.text).not.toContain(farsta);
      const detail = await request(`/staff/referrals/${id}`, cookie);
      expect(detail.text).toContain('Försök igen');
      // Staff read a sentence, not the workflow's codes; the error itself is folded away.
      expect(detail.text).toContain('Ärendet stannade i steget Mottagning på grund av ett tekniskt fel.');
      expect(detail.text).toMatch(/<details>\s*<summary>Teknisk information<\/summary>/);
      expect(detail.text).toContain('Tekniskt fel: ärendet behöver åtgärd');
      expect(detail.text).not.toMatch(/(?<![\w-])step-failed(?![\w-])/);
      broken = false;
      const retried = await request(`/staff/referrals/${id}/retry`, cookie, { method: 'POST' });
      expect(retried.status).toBe(200);
      await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(id));
      expect((await system.deps.store.getReferral(id))?.status).toBe('active');
      expect((await request(`/staff/referrals/${id}/retry`, cookie, { method: 'POST' })).status).toBe(409);
    } finally {
      email.send = original;
    }
  });

  it('the report counts per district and downloads as CSV without personal data', async () => {
    const cookie = await signIn('samordnare@bris.example');
    const today = system.clock.now().toISOString().slice(0, 10);
    // Five years back from the system's date: a period the report accepts on any date (at most ten years).
    const from = `${Number(today.slice(0, 4)) - 5}-01-01`;
    const page = await request(`/staff/report?from=${from}&to=${today}`, cookie);
    expect(page.status).toBe(200);
    // The funnel, the monthly trend, referrals and completed per district, and the formats.
    expect(page.text.match(/<svg/g)).toHaveLength(5);
    const csv = await request(`/staff/report.csv?from=${from}&to=${today}`, cookie);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'Stadsdelsområde;Anmälda;Godkända;Samtycke;Placerade;Genomförda;Återkallade;Närvaro;Median dagar till första träff;Veckogrupp;Stödhelg;Barnens snitt (1–5);Familjehemmens snitt (1–5)',
    );
    expect(lines.find((l) => l.startsWith('Farsta;'))).toMatch(/^Farsta;2;/);
    expect(lines.find((l) => l.startsWith('Skarpnäck;'))).toMatch(/^Skarpnäck;1;/);
    expect(lines.at(-1)).toMatch(/^Totalt;3;/);
    for (const name of ['Fanny', 'Sixten']) expect(csv.text).not.toContain(name);
  });
});

const expectSecurityHeaders = (res: RawResponse, what: string) => {
  for (const name of SECURITY_HEADER_NAMES) expect(res.headers[name], `${what}: ${name}`).toBeTruthy();
  expect(res.headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
  expect(res.headers['strict-transport-security'], what).toMatch(/^max-age=\d+/);
};

describe('every response and every POST guarded the same way', () => {
  it('every route, signed in or not, answers with the security headers: pages, redirects, CSV, errors', async () => {
    const cookie = await signIn('samordnare@bris.example');
    const routes = Object.values(FUNCTIONS).flatMap((f) => ('routes' in f ? [...f.routes] : []));
    expect(routes.length).toBeGreaterThan(10);
    const statuses = new Set<number>();
    for (const routeKey of routes) {
      const [method, template] = routeKey.split(' ') as [string, string];
      // Sign-out last, so the session lasts through the loop.
      if (routeKey === 'POST /staff/sign-out') continue;
      const path = template
        .replace('{id}', template.startsWith('/staff') ? farsta : 'A'.repeat(43))
        .replace('{token}', 'A'.repeat(43));
      for (const withCookie of [true, false]) {
        const res = await rawRequest(system.url, method, path, {
          headers: {
            ...(withCookie ? { cookie } : {}),
            ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          body: method === 'POST' ? '' : undefined,
        });
        expect(res.status, routeKey).toBeLessThan(500);
        expectSecurityHeaders(res, `${routeKey}${withCookie ? ' signed in' : ''}`);
        statuses.add(res.status);
      }
    }
    // Pages, redirects, refusals and not-found answers all went through the loop above.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 303, 400, 404]));
    const today = system.clock.now().toISOString().slice(0, 10);
    // Five years back from the system's date: a period the report accepts on any date (at most ten years).
    const from = `${Number(today.slice(0, 4)) - 5}-01-01`;
    const csv = await rawRequest(system.url, 'GET', `/staff/report.csv?from=${from}&to=${today}`, {
      headers: { cookie },
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expectSecurityHeaders(csv, 'CSV');
    // The server's own answers: no such path, no such method, too long, malformed, unparseable method.
    for (const [method, path] of [
      ['GET', '/staff/nothing-here'],
      ['DELETE', '/staff'],
      ['GET', `/staff/${'x'.repeat(3000)}`],
      ['GET', '/staff/referrals/%ZZ'],
      ['POST', '/staff/sign-in'],
    ] as const) {
      const res = await rawRequest(system.url, method, path, {
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expectSecurityHeaders(res, `${method} ${path.slice(0, 40)}`);
    }
    const signOut = await rawRequest(system.url, 'POST', '/staff/sign-out', { headers: { cookie } });
    expect(signOut.status).toBe(303);
    expectSecurityHeaders(signOut, 'sign-out');
    expect(parseSetCookie(String(signOut.headers['set-cookie']))).toMatchObject({
      name: 'bris_staff',
      maxAge: 0,
    });
  });

  it('a staff POST from another site is refused with a Swedish page; from our pages or without the headers it goes through', async () => {
    const cookie = await signIn('samordnare@bris.example');
    const ourOrigin = new URL(system.deps.config.publicBaseUrl).origin;
    const retry = (headers: Record<string, string>) =>
      rawRequest(system.url, 'POST', `/staff/referrals/${farsta}/retry`, { headers: { cookie, ...headers } });
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:1' },
      { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site', origin: ourOrigin },
    ]) {
      const res = await retry(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toMatch(/<html lang="sv">/);
      expect(res.text).toContain('Formuläret kom från en annan webbplats');
      expect(res.text).toContain(ourOrigin);
      expectSecurityHeaders(res, JSON.stringify(headers));
    }
    // From our own page (a browser sends Origin: null under Referrer-Policy: no-referrer), or from a
    // client that sends neither header: the route runs (409: this referral needs no retry).
    for (const headers of <Record<string, string>[]>[
      { 'sec-fetch-site': 'same-origin', origin: ourOrigin },
      { 'sec-fetch-site': 'same-origin', origin: 'null' },
      { 'sec-fetch-site': 'same-origin' },
      { origin: ourOrigin },
      {},
    ])
      expect((await retry(headers)).status, JSON.stringify(headers)).toBe(409);

    // Sign-in and sign-out are staff POSTs too: a cross-site one neither sends a link nor ends a session.
    const mark = system.mailbox.lastId;
    const signInElsewhere = await rawRequest(system.url, 'POST', '/staff/sign-in', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: 'email=samordnare%40bris.example',
    });
    expect(signInElsewhere.status).toBe(403);
    const signOutElsewhere = await rawRequest(system.url, 'POST', '/staff/sign-out', {
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(signOutElsewhere.status).toBe(403);
    expect((await request('/staff', cookie)).status).toBe(200);
    expect(system.mailbox.lastId).toBe(mark);
  });
});

describe('notes: read after sign-in by the coordinator and the social worker who referred, never mailed', () => {
  const REASON = 'Familjen har flyttat inom kommunen; barnet har redan stöd i skolan.';

  it('a social worker who is not on the allow-list signs in with her address and reads the decline reason of her own referral only', async () => {
    const kim = 'kim@kista.example';
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now()),
      childFirstName: 'Kasper',
      district: 'Rinkeby-Kista',
      socialWorkerName: 'Kim Kista',
      socialWorkerEmail: kim,
      custodian1Email: 'c-kim@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    const refused = await postForm(onlyLink(screening), { action: 'decline', reason: 'Gäller 150808-4441.' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Skriv inte personnummer här.');
    const address = await postForm(onlyLink(screening), {
      action: 'decline',
      reason: 'Familjen bor på Storgatan 12, 123 45 Stockholm.',
    });
    expect(address.status).toBe(400);
    expect(address.text).toContain('Skriv inte adresser här.');
    expect((await postForm(onlyLink(screening), { action: 'decline', reason: REASON })).status).toBe(200);

    // The email says there is a reason and links to the staff page; it never quotes it.
    const closed = await system.mailbox.waitFor(
      (m) => m.template === 'closed-declined' && m.to.includes(kim),
    );
    for (const body of [closed.subject, closed.text, closed.html]) {
      expect(body).not.toContain('flyttat inom kommunen');
      expect(body).not.toContain('redan stöd');
    }
    expect(closed.text).toContain('motivering');
    const page = `${system.url}/staff/referrals/${id}`;
    expect(closed.text).toContain(page);

    // The link is no capability: without a session it leads to sign-in.
    expect((await request(new URL(page).pathname)).location).toBe('/staff/sign-in');
    const cookie = await signIn(kim);
    const list = await request('/staff', cookie);
    expect(list.text).toContain(id);
    for (const other of [farsta, skarpnack]) {
      expect(list.text).not.toContain(other);
      expect((await request(`/staff/referrals/${other}`, cookie)).status).toBe(403);
    }
    const detail = await request(new URL(page).pathname, cookie);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('Motivering till avslaget');
    expect(detail.text).toContain(REASON);

    // The coordinator reads it too; a district social worker elsewhere cannot open the referral.
    const coordinator = await request(new URL(page).pathname, await signIn('samordnare@bris.example'));
    expect(coordinator.text).toContain('redan stöd i skolan');
    expect((await request(new URL(page).pathname, await signIn('siv@farsta.example'))).status).toBe(403);
  });

  it('a withdrawal reason is read by the referring social worker and the coordinator, not by a district colleague', async () => {
    const olle = 'olle@farsta.example';
    const id = await submitReferral(system, {
      identityNumber: childId(11, system.clock.now()),
      childFirstName: 'Otto',
      district: 'Farsta',
      socialWorkerName: 'Olle Farsta',
      socialWorkerEmail: olle,
      custodian1Email: 'c-olle@example.org',
    });
    const receipt = await system.mailbox.waitFor(
      (m) => m.template === 'intake-received' && m.text.includes(id),
    );
    expect(
      (await postForm(withdrawalLinkIn(receipt), { action: 'withdraw', reason: 'Skäl 20150909-5559' }))
        .status,
    ).toBe(400);
    expect((await postForm(withdrawalLinkIn(receipt), { action: 'withdraw', reason: REASON })).status).toBe(
      200,
    );
    for (const [template, to] of [
      ['closed-withdrawn', olle],
      ['withdrawn-coordinator', 'samordnare@bris.example'],
    ] as const) {
      const m = await system.mailbox.waitFor(
        (e) => e.template === template && e.to.includes(to) && e.text.includes(id),
      );
      expect(m.text).not.toContain('redan stöd');
      expect(m.text).toContain(`${system.url}/staff/referrals/${id}`);
    }
    const own = await request(`/staff/referrals/${id}`, await signIn(olle));
    expect(own.text).toContain('Skäl till återkallelsen');
    expect(own.text).toContain('redan stöd i skolan');
    expect((await request(`/staff/referrals/${id}`, await signIn('samordnare@bris.example'))).text).toContain(
      'redan stöd i skolan',
    );
    // Siv sees the Farsta referral, but its notes belong to Olle and the coordinator.
    const colleague = await request(`/staff/referrals/${id}`, await signIn('siv@farsta.example'));
    expect(colleague.status).toBe(200);
    expect(colleague.text).not.toContain('redan stöd');
    expect(colleague.text).toContain('Det finns en anteckning');
  });
});
