/**
 * Reliability under load and bad input. Reduced sizes in `npm test`; `npm run test:soak` (SOAK=1) runs
 * the full sizes: 1 000 concurrent submissions with 10 % double-submitted, and 10 000 fuzz cases per endpoint.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, postForm, referenceFrom, referralForm } from '../support/local';

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
