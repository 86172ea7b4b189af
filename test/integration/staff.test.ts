/**
 * Staff pages: sign-in by an emailed link, sessions, roles (a social worker sees only her district, a
 * partnership administrator only the report), the overview with retry, and the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../functions/ports';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, postForm, submitReferral } from '../support/local';

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
    expect(post.setCookie[0]).toMatch(
      /^bris_staff=[A-Za-z0-9_-]{43}; Path=\/staff; HttpOnly; Secure; SameSite=Strict; Max-Age=7200$/,
    );
    expect((await request(path, undefined, { method: 'POST' })).status).toBe(410);
    const cookie = post.setCookie[0]!.split(';')[0]!;
    expect((await request('/staff', cookie)).status).toBe(200);
    system.clock.advance(3 * 3_600_000); // sessions last two hours
    expect((await request('/staff', cookie)).location).toBe('/staff/sign-in');
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
      expect(detail.text).toContain('step-failed');
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
    const page = await request(`/staff/report?from=2000-01-01&to=${today}`, cookie);
    expect(page.status).toBe(200);
    expect(page.text.match(/<svg/g)).toHaveLength(3);
    const csv = await request(`/staff/report.csv?from=2000-01-01&to=${today}`, cookie);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'district,referrals,screenedIn,consented,placed,completed,withdrawn,attendanceRate,medianDaysToFirstMeeting,weekly,weekend,childScore,carerScore',
    );
    expect(lines.find((l) => l.startsWith('Farsta,'))).toMatch(/^Farsta,2,/);
    expect(lines.find((l) => l.startsWith('Skarpnäck,'))).toMatch(/^Skarpnäck,1,/);
    expect(lines.at(-1)).toMatch(/^Totalt,3,/);
    for (const name of ['Fanny', 'Sixten']) expect(csv.text).not.toContain(name);
  });
});
