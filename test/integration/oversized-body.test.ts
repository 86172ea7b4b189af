/**
 * A form far over the size limit gets the 413 page, and the client's next request works: the server says
 * it closes the connection and reads (a bounded part of) the rest of the body first, so the client neither
 * loses the answer to a reset nor reuses a connection the server has dropped.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true, demoReferrals: false });
});
afterAll(async () => {
  await system?.stop();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const oversized = (bytes: number) => 'childFirstName=' + 'x'.repeat(bytes);

/** Sends the body in pieces, as a slow upload does, and reads the answer whether or not all of it was sent. */
function slowPost(url: string, body: string): Promise<{ status: number; text: string; connection?: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: pathname,
        method: 'POST',
        headers: { ...FORM, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, connection: res.headers.connection }),
        );
      },
    );
    req.on('error', reject);
    let at = 0;
    const next = () => {
      if (at >= body.length) return req.end();
      const piece = body.slice(at, (at += 16 * 1024));
      if (req.write(piece)) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

describe('a request body over the limit', () => {
  it('is answered 413 in words, and the same client goes on without a reset', async () => {
    for (let round = 0; round < 3; round++) {
      const big = await fetch(`${system.url}/referrals`, {
        method: 'POST',
        headers: FORM,
        body: oversized(300_000),
      });
      expect(big.status).toBe(413);
      expect(big.headers.get('connection')).toBe('close');
      expect(await big.text()).toMatch(/<h1>/);
      // The next requests on the client's pool: each answered, never ECONNRESET.
      const small = await fetch(`${system.url}/referrals`, {
        method: 'POST',
        headers: FORM,
        body: 'childFirstName=Alva',
      });
      expect(small.status).toBe(400);
      expect((await fetch(`${system.url}/`)).status).toBe(200);
    }
  });

  it('sent slowly in pieces, still gets its 413 page', async () => {
    const answer = await slowPost(`${system.url}/referrals`, oversized(400_000));
    expect(answer.status).toBe(413);
    expect(answer.text).toMatch(/<h1>/);
  });

  it('declared by its Content-Length is refused before it is read', async () => {
    const answer = await slowPost(`${system.url}/links/${'A'.repeat(43)}`, oversized(2_000_000));
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
  });
});
