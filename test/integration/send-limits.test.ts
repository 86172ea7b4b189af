/**
 * Nobody can flood a staff member's inbox through the public sign-in form: at most three sign-in emails per
 * address per quarter of an hour (ten a day); past that the answer is the same as for an address that may
 * not sign in, nothing is sent, and the refusal is audited with a keyed hash of the address only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SIGN_IN_EMAIL_LIMITS } from '../../functions/domain/send-limits';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { postForm } from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';

beforeAll(async () => {
  // The production limits, which the rest of the suite turns off (vitest.config.ts).
  system = await startLocalSystem({ port: 0, quiet: true, signInEmailLimits: SIGN_IN_EMAIL_LIMITS });
});
afterAll(async () => {
  await system?.stop();
});

const signInMails = (to: string) =>
  system.mailbox.list().filter((m) => m.template === 'staff-sign-in' && m.to.includes(to));
const ask = (email: string) => postForm(`${system.url}/staff/sign-in`, { email, language: 'sv' });

it('sends three sign-in emails per address in a quarter of an hour, then answers as for an unknown address', async () => {
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await ask(COORDINATOR));
  const unknown = await ask('okand@example.org');
  // Each answer returns once its email (if any) was handed to the mailbox.
  expect(signInMails(COORDINATOR)).toHaveLength(3);
  for (const a of answers)
    expect({ status: a.status, text: a.text }).toEqual({ status: unknown.status, text: unknown.text });

  // Another address has its own count.
  await ask('siv@farsta.example');
  expect(signInMails('siv@farsta.example')).toHaveLength(1);

  const refused = (await system.deps.store.listAudit('staff')).filter(
    (e) => e.action === 'sign-in-requested' && e.detail?.outcome === 'rate-limited',
  );
  expect(refused).toHaveLength(2);
  for (const e of refused) {
    expect(e.detail?.addressHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(e)).not.toContain('samordnare');
  }
  const metrics = (await (await fetch(`${system.url}/dev/metrics.json`)).json()) as Record<string, number>;
  expect(metrics.SendLimited).toBe(2);
});

it('sends again once the quarter of an hour is over (the day’s limit still counts)', async () => {
  const before = signInMails(COORDINATOR).length;
  await ask(COORDINATOR);
  expect(signInMails(COORDINATOR)).toHaveLength(before);
  system.wallClock.advance(15 * 60_000);
  await ask(COORDINATOR);
  expect(signInMails(COORDINATOR)).toHaveLength(before + 1);
});
