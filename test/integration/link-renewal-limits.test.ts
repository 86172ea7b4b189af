/**
 * Nobody can flood a person's inbox through "Send me a new link" on an expired link: fresh links are
 * limited per link and per recipient (here one per link and two per recipient a day, set for the test;
 * the defaults are LINK_RENEWAL_LIMITS). Past a limit the answer is the same as for a sent link, nothing
 * is sent, the refusal is audited with a keyed hash of the recipient, and SendLimited counts it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { CHILD_IDS, onlyLink, postForm, submitReferral } from '../support/local';
import { renewalOf } from '../../infra/local/mailbox';

const DAY = 86_400_000;
const COORDINATOR = 'samordnare@bris.example';
let system: LocalSystem;
/** Three referrals whose screening links (all to the coordinator) have expired. */
const referrals: { id: string; link: string; requestId: number }[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    port: 0,
    quiet: true,
    linkRenewalLimits: {
      perLink: [{ window: 'day', lengthMs: DAY, max: 1 }],
      perRecipient: [{ window: 'day', lengthMs: DAY, max: 2 }],
    },
  });
});
afterAll(async () => {
  await system?.stop();
});

it('three referrals wait in screening with their links (to the coordinator) expired', async () => {
  // Reminders replace a link before it expires; without screening reminders it expires on day 14.
  const partnership = (await system.deps.store.getPartnership('stockholm-bris'))!;
  await system.deps.store.putPartnership({
    ...partnership,
    stepTiming: { screening: { reminderDays: [], escalationDays: 18, deadlineDays: 21 } },
  });
  for (const identityNumber of CHILD_IDS.slice(0, 3)) {
    const id = await submitReferral(system, { identityNumber });
    const request = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    await expect.poll(() => system.engine.waitingState(id)).toBe('Screening');
    referrals.push({ id, link: onlyLink(request), requestId: request.id });
  }
  // Past the links' 14 days, to just after a midnight (UTC): the day's counters start from nothing.
  const now = system.clock.now().getTime();
  system.clock.advance(15 * DAY + (DAY - (now % DAY)) + 60_000);
  expect((await postForm(referrals[0]!.link, { action: 'approve' })).status).toBe(410);
});

const renewedRequests = (id: string) =>
  system.mailbox.list().filter((m) => m.template === 'screening-request' && m.text.includes(id)).length - 1;
const renew = (link: string) => postForm(renewalOf(link), {});
const refusals = async (id: string) =>
  (await system.deps.store.listAudit(id)).filter(
    (e) => e.action === 'link-renewal' && e.detail?.outcome === 'rate-limited',
  );
const sendLimited = async () =>
  ((await (await fetch(`${system.url}/dev/metrics.json`)).json()) as Record<string, number>).SendLimited ?? 0;

it('a flood on one expired link sends at most its limit, answering as for a sent link', async () => {
  const [a] = referrals;
  const answers = await Promise.all(Array.from({ length: 12 }, () => renew(a!.link)));
  const fresh = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.text.includes(a!.id),
    { afterId: a!.requestId },
  );
  expect(fresh.to).toEqual([COORDINATOR]);
  const sent = answers.find((r) => r.status === 200)!;
  for (const r of answers)
    // Answered before the first renewal superseded the link: as sent; after it: "there is a newer link".
    expect(r.status === 200 ? r.text : 'superseded').toBe(r.status === 200 ? sent.text : 'superseded');
  expect(answers.filter((r) => r.status !== 200).every((r) => r.status === 410)).toBe(true);
  expect(renewedRequests(a!.id)).toBe(1);
  const refused = await refusals(a!.id);
  expect(await sendLimited()).toBe(refused.length);
});

it('the per-recipient limit holds across links, and resets after its window', async () => {
  const [, b, c] = referrals;
  const sent = await renew(b!.link);
  expect(sent.status).toBe(200);
  await system.mailbox.waitFor((m) => m.template === 'screening-request' && m.text.includes(b!.id), {
    afterId: b!.requestId,
  });
  const before = await sendLimited();

  // The coordinator's third fresh link today (one for each of a and b): refused, answered the same.
  const refused = await renew(c!.link);
  // Each page's language switch links to its own address; apart from that, the answers are the same.
  const ownAddress = (text: string) => text.replace(/\/links\/[A-Za-z0-9_-]{43}/g, '/links/…');
  expect({ status: refused.status, text: ownAddress(refused.text) }).toEqual({
    status: sent.status,
    text: ownAddress(sent.text),
  });
  expect(renewedRequests(c!.id)).toBe(0);
  const [event] = await refusals(c!.id);
  expect(event?.detail?.addressHash).toMatch(/^[0-9a-f]{16}$/);
  expect(JSON.stringify(event)).not.toContain(COORDINATOR);
  expect(await sendLimited()).toBe(before + 1);

  // A day later the same link may be renewed again: it is still expired, not superseded.
  system.clock.advance(DAY);
  expect((await renew(c!.link)).status).toBe(200);
  const fresh = await system.mailbox.waitFor(
    (m) => m.template === 'screening-request' && m.text.includes(c!.id),
    { afterId: c!.requestId },
  );
  expect(fresh.to).toEqual([COORDINATOR]);
});
