/**
 * One client cannot flood the public POST routes: the local server enforces the per-client limits of
 * infra/public-post-limits.ts per remote address (as the optional WAF rate-based rule does in AWS). Past
 * the limit: 429 with Retry-After and a page in Swedish and English saying when to try again and that
 * nothing typed was lost; another client still submits. Two clients are two loopback source addresses
 * (127.0.0.1 and 127.0.0.2): the server trusts no header for who the client is.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PUBLIC_POST_LIMITS } from '../../infra/public-post-limits';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { CHILD_IDS, referralForm, referenceFrom } from '../support/local';

let system: LocalSystem;
const FORM_LIMIT = PUBLIC_POST_LIMITS.find((l) => l.routeKey === 'POST /referrals')!.perClient;

beforeAll(async () => {
  // The production limits, which the rest of the suite turns off (vitest.config.ts).
  system = await startLocalSystem({ port: 0, quiet: true, clientLimits: PUBLIC_POST_LIMITS });
  // To the start of a limit window, so that the flood below falls in one.
  const windowMs = FORM_LIMIT.windowSeconds * 1000;
  system.wallClock.advance(windowMs - (system.wallClock.now().getTime() % windowMs) + 1000);
});
afterAll(async () => {
  await system?.stop();
});

/** A form POST from the loopback address `from`, with the headers of the answer. */
function postFrom(
  from: string,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const body = new URLSearchParams(fields).toString();
  const url = new URL(path, system.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const metric = async (name: string) =>
  ((await (await fetch(`${system.url}/dev/metrics.json`)).json()) as Record<string, number>)[name] ?? 0;

it('a flood from one client on POST /referrals gets 429 with a clear page, while another client still submits', async () => {
  // The flood: forms with a mistake (answered 400, nothing stored), as fast as the server answers.
  const flood = [];
  for (let i = 0; i < FORM_LIMIT.max; i++)
    flood.push(await postFrom('127.0.0.1', '/referrals', referralForm({ childFirstName: '' })));
  expect(flood.map((r) => r.status)).toEqual(Array(FORM_LIMIT.max).fill(400));

  // Past the limit even a good form from the same client is refused, and says what to do.
  const refused = await postFrom('127.0.0.1', '/referrals', referralForm({ identityNumber: CHILD_IDS[0]! }), {
    // A client cannot name itself another client.
    'x-forwarded-for': '203.0.113.7',
  });
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(FORM_LIMIT.windowSeconds);
  expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(refused.text).toContain('<h1>För många försök på kort tid</h1>');
  expect(refused.text).toMatch(/Försök\s+igen om \d+ minuter|Försök\s+igen om en minut/);
  expect(refused.text).toContain('Ingenting av det du skrev har försvunnit.');
  expect(refused.text).toContain('lang="en"');
  expect(refused.text).toContain('Nothing you typed has been lost.');
  expect(refused.text).toContain('/assets/site.css');
  expect(await metric('ClientLimited')).toBe(1);

  // Another client, at the same time, is not affected.
  const other = await postFrom('127.0.0.2', '/referrals', referralForm({ identityNumber: CHILD_IDS[0]! }));
  expect(other.status).toBe(201);
  const id = referenceFrom(other.text);
  await system.mailbox.waitFor((m) => m.template === 'intake-received' && m.text.includes(id));

  // The flooding client's other routes have their own limits.
  expect((await postFrom('127.0.0.1', '/staff/sign-in', { email: 'okand@example.org' })).status).not.toBe(
    429,
  );

  // After the window, the first client may submit again.
  system.wallClock.advance(retryAfter * 1000);
  const later = await postFrom('127.0.0.1', '/referrals', referralForm({ identityNumber: CHILD_IDS[1]! }));
  expect(later.status).toBe(201);
});
