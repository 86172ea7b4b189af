/**
 * Reliability under load and bad input. Reduced sizes in `npm test`; `npm run test:soak` (SOAK=1) runs
 * the full sizes: 1 000 concurrent submissions with 10 % double-submitted, and 10 000 fuzz cases per endpoint
 * (bodies, and paths × methods × content types).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, postForm, referenceFrom, referralForm } from '../support/local';
import { asPathBytes, rawRequest, SECURITY_HEADER_NAMES, type RawResponse } from '../support/raw-http';

const SOAK = process.env.SOAK === '1';
const SUBMISSIONS = SOAK ? 1000 : 100;
const FUZZ_RUNS = SOAK ? 10_000 : 150;

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

const activeCount = async () => (await system.deps.store.listReferralsByStatus('active')).length;

describe('concurrent submissions', () => {
  it(`${SUBMISSIONS} at once, 10 % of them twice: one referral per submission, no 5xx`, async () => {
    const forms = Array.from({ length: SUBMISSIONS }, (_, i) =>
      referralForm({
        // Distinct children of 8–17 on the system's date: ten ages × a hundred birthdays, serials by index.
        identityNumber: childId(8 + (i % 10), system.clock.now(), {
          minDaysToBirthday: 30 + (((i / 10) | 0) % 300),
          serial: i % 1000,
        }),
        custodian1Email: `load${i}@example.org`,
      }),
    );
    const posts = forms.flatMap((f, i) => (i % 10 === 0 ? [f, f] : [f]));
    const before = await activeCount();
    const results = await Promise.all(posts.map((f) => postForm(`${system.url}/referrals`, f)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
    const byKey = new Map<string, Set<string>>();
    results.forEach((r, i) => {
      const key = posts[i]!.idempotencyKey!;
      byKey.set(key, (byKey.get(key) ?? new Set()).add(referenceFrom(r.text)));
    });
    expect(byKey.size).toBe(SUBMISSIONS);
    expect([...byKey.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(statuses.filter((s) => s === 201)).toHaveLength(SUBMISSIONS);
    await expect.poll(activeCount, { timeout: 30_000 }).toBe(before + SUBMISSIONS);
    console.log(
      `[reliability] ${posts.length} posts → ${SUBMISSIONS} referrals, ${statuses.filter((s) => s === 200).length} repeats answered with the first receipt, 0 × 5xx`,
    );
  }, 300_000);
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '<script>alert(1)</script>',
    '20150312-1236',
    'a@b.se',
    'Farsta',
    'on',
    'sv',
    'en',
    'paper',
    'x'.repeat(5000),
  ),
);

describe('fuzzing the endpoints', () => {
  it(`POST /referrals with ${FUZZ_RUNS} malformed forms: only 4xx with field-level messages, nothing stored`, async () => {
    const fields = [
      'idempotencyKey',
      'district',
      'childFirstName',
      'identityNumber',
      'childWish',
      'socialWorkerName',
      'socialWorkerEmail',
      'custodian1Name',
      'custodian1Email',
      'custodian1Contact',
      'custodian2Name',
      'custodian2Email',
      'carerName',
      'carerEmail',
      'consentBasis',
    ];
    const before = await activeCount();
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields), text, { maxKeys: fields.length }),
        async (form) => {
          // Without a valid identity number a form can never be accepted; keep the case malformed.
          const res = await postForm(`${system.url}/referrals`, {
            ...form,
            identityNumber: `${form.identityNumber ?? ''}x`,
          });
          expect([400, 413]).toContain(res.status);
          if (res.status === 400) expect(res.text).toMatch(/class="field-error"|error-summary/);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await activeCount()).toBe(before);
  }, 600_000);

  it(`POST /links/{id} with ${FUZZ_RUNS} forged tokens and bodies: refused, never 5xx, nothing changes`, async () => {
    const token = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      fc.constant('A'.repeat(43)),
    );
    const before = await activeCount();
    await fc.assert(
      fc.asyncProperty(
        token,
        fc.dictionary(
          fc.constantFrom('action', 'reason', 'groupId', 'paperReference', 'format', 'startDate'),
          text,
        ),
        async (t, body) => {
          const res = await postForm(`${system.url}/links/${encodeURIComponent(t)}`, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await activeCount()).toBe(before);
  }, 600_000);
});

/** A clear answer: never a 5xx; an error is an HTML page in Swedish or English with a heading, and the security headers. */
function expectReadable(res: RawResponse, method: string, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  for (const name of SECURITY_HEADER_NAMES) expect(res.headers[name], `${what}: ${name}`).toBeTruthy();
  if (res.status < 400) return;
  expect(res.headers['content-type'], what).toMatch(/^text\/html; charset=utf-8/);
  if (method === 'HEAD') {
    expect(res.text, what).toBe('');
    return;
  }
  expect(res.text, what).toMatch(/<html lang="(sv|en)">/);
  expect(res.text, what).toMatch(/<h1>[^<]+<\/h1>/);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'MKCOL'] as const;

describe('fuzzing paths and methods', () => {
  const token = 'A'.repeat(43);
  const malformed = [
    '/links/%ZZ',
    '/links/%E0%A4%A',
    '/links/%',
    '/links/%ZZ/renew',
    '/links/%C0%80',
    '/links/%00',
    '/staff/referrals/%',
    '/staff/referrals/%/retry',
    '/staff/referrals/%E0%A4%A',
    '/staff/sign-in/%ZZ',
    `/links/${'A'.repeat(3000)}`,
    `/links/${'%41'.repeat(1000)}`,
    `/staff/referrals/${'R'.repeat(3000)}`,
    `/staff/referrals/R-${'1'.repeat(300)}`,
    `/${'x'.repeat(5000)}`,
    `/?${'q='.repeat(2000)}`,
    '/links/..%2F..%2Fetc%2Fpasswd',
    '/links//',
    '/staff/',
  ];
  // Existing pages, and paths a URL parser normalises into one (`/links/%2e%2e` is `/`): any status below 500.
  const pages = [
    '/',
    '/staff',
    '/staff/sign-in',
    `/links/${token}`,
    '/staff/report.csv',
    '/referrals',
    '/links/%2e%2e',
    '//links',
  ];

  it('malformed, over-long and unknown paths under every method: a 4xx page, never a 5xx', async () => {
    for (const path of [...malformed, ...pages])
      for (const method of METHODS) {
        const res = await rawRequest(system.url, method, path, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: method === 'GET' || method === 'HEAD' ? undefined : 'action=consent',
        });
        expectReadable(res, method, `${method} ${path.slice(0, 80)}`);
        if (malformed.includes(path))
          expect(res.status, `${method} ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      }
  }, 120_000);

  it('the cases of the issue answer with the right status', async () => {
    for (const path of ['/links/%ZZ', '/links/%E0%A4%A', '/staff/referrals/%'])
      for (const method of ['GET', 'POST']) {
        const res = await rawRequest(system.url, method, path);
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.text).toContain('Adressen är felaktig');
      }
    const long = await rawRequest(system.url, 'GET', `/links/${'A'.repeat(3000)}`);
    expect(long.status).toBe(414);
    const propfind = await rawRequest(system.url, 'PROPFIND', `/links/${token}`);
    expect(propfind.status).toBe(405);
    expect(propfind.headers.allow).toBe('GET, HEAD, POST');
    const del = await rawRequest(system.url, 'DELETE', '/');
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD');
    const unknownMethod = await rawRequest(system.url, 'FOO', '/');
    expect(unknownMethod.status).toBe(400);
    expect(unknownMethod.text).toMatch(/<html lang="sv">/);
    // HEAD is GET without a body.
    const head = await rawRequest(system.url, 'HEAD', '/');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toMatch(/^text\/html/);
    expect(head.text).toBe('');
    // An id of the right alphabet but too long for any key: not found, not a database error.
    const longId = await rawRequest(system.url, 'GET', `/links/${'A'.repeat(1500)}`);
    expect(longId.status).toBe(404);
  });

  it('a POST in another format than a form is refused with 415 and says what to do', async () => {
    const bodies = [
      ['application/json', '{"action":"consent"}'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      ],
      ['text/plain', 'action=consent'],
      ['', 'action=consent'],
    ] as const;
    for (const path of ['/referrals', `/links/${token}`, '/staff/sign-in', '/staff/sign-out'])
      for (const [type, body] of bodies) {
        const res = await rawRequest(system.url, 'POST', path, {
          headers: type ? { 'content-type': type } : {},
          body,
        });
        expect(res.status, `${path} ${type}`).toBe(415);
        expectReadable(res, 'POST', `${path} ${type}`);
        expect(res.text).toContain('Skicka formuläret från sidan igen');
      }
  });

  it(`${FUZZ_RUNS} random methods × paths × content types: never a 5xx, always a readable page`, async () => {
    const prefix = fc.constantFrom(
      '/',
      '/links/',
      `/links/${token}/`,
      '/staff/',
      '/staff/referrals/',
      '/staff/sign-in/',
      '/assets/',
      '/referrals/',
    );
    const percentJunk = fc
      .tuple(
        fc.string({ maxLength: 6 }),
        fc.stringMatching(/^%[0-9A-Za-z%]{0,2}$/),
        fc.string({ maxLength: 6 }),
      )
      .map(([a, p, b]) => `${asPathBytes(a)}${p}${asPathBytes(b)}`);
    const segment = fc.oneof(
      fc.string({ maxLength: 60 }).map(asPathBytes),
      fc.string({ unit: 'grapheme', maxLength: 30 }).map(asPathBytes),
      fc.string({ unit: 'binary', maxLength: 30 }).map(asPathBytes),
      percentJunk,
      fc.constantFrom(token, 'R-ABCD-1234', 'retry', 'renew', '.', '..', '%', 'x'.repeat(2100)),
    );
    const path = fc
      .tuple(prefix, fc.array(segment, { maxLength: 3 }))
      .map(([p, segs]) => p + segs.join('/'))
      .filter((p) => !p.startsWith('/dev'));
    const contentType = fc.constantFrom(
      undefined,
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/json',
      'multipart/form-data; boundary=x',
      'text/plain',
      'Application/X-WWW-Form-Urlencoded',
    );
    const before = await activeCount();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        path,
        contentType,
        fc.string({ maxLength: 40 }),
        async (method, p, type, body) => {
          const res = await rawRequest(system.url, method, p, {
            headers: type ? { 'content-type': type } : {},
            body: method === 'GET' || method === 'HEAD' ? undefined : body,
          });
          expectReadable(res, method, `${method} ${p.slice(0, 80)} (${type ?? 'no type'})`);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    expect(await activeCount()).toBe(before);
  }, 600_000);
});
