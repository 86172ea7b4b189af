/** Link attacks: forged, expired, reused, another recipient's and another step's links change nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { get, childId, onlyLink, postForm, submitReferral, withdrawalLinkIn } from '../support/local';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

describe('link attacks', () => {
  it('are refused and change no state', async () => {
    const id = await submitReferral(system, {
      identityNumber: childId(13, system.clock.now()),
      custodian1Email: 'a-mother@example.org',
      custodian2Name: 'B Father',
      custodian2Contact: 'email',
      custodian2Email: 'b-father@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    const link = onlyLink(screening);
    const snapshot = async () => JSON.stringify(await system.deps.store.getReferral(id));

    // Forged: a well-formed token that was never issued, and a tampered real one (its address's hint kept).
    let before = await snapshot();
    const tampered = new URL(link);
    const token = tampered.pathname.split('/').pop()!;
    tampered.pathname = `/links/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [`${system.url}/links/${'Q'.repeat(43)}`, tampered.toString()]) {
      expect((await postForm(forged, { action: 'approve' })).status).toBe(404);
    }
    expect(await snapshot()).toBe(before);

    // Another step's action through this link.
    expect((await postForm(link, { action: 'consent' })).status).toBe(400);
    expect(await snapshot()).toBe(before);

    // Used once; reused: refused.
    expect((await postForm(link, { action: 'approve' })).status).toBe(200);
    // Let the workflow settle in the consent phase before comparing.
    await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('b-father@example.org'),
    );
    await expect.poll(() => system.engine.waitingState(id)).toBe('AwaitConsent');
    before = await snapshot();
    expect((await postForm(link, { action: 'decline', reason: 'Nej nej nej.' })).status).toBe(409);
    expect(await snapshot()).toBe(before);

    // Another recipient's link answers only for that recipient: the mother's consent is not the father's.
    const mother = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('a-mother@example.org'),
    );
    expect((await postForm(onlyLink(mother), { action: 'consent' })).status).toBe(200);
    const r = (await system.deps.store.getReferral(id))!;
    expect(r.custodians.map((c) => c.consent?.given)).toEqual([true, undefined]);
    expect((await postForm(onlyLink(mother), { action: 'refuse' })).status).toBe(409);
    expect((await system.deps.store.getReferral(id))!.custodians[1]?.consent).toBeUndefined();

    // Expired: fifteen days on, the father's link is refused (it offers renewal instead).
    const father = await system.mailbox.waitFor(
      (m) => m.template === 'consent-request' && m.to.includes('b-father@example.org'),
    );
    system.clock.advance(15 * 86_400_000);
    before = await snapshot();
    expect((await postForm(onlyLink(father), { action: 'consent' })).status).toBe(410);
    expect(await snapshot()).toBe(before);

    // A withdrawal link: GET never acts, it works once, and a second use is refused.
    const withdraw = withdrawalLinkIn(mother);
    expect((await get(withdraw)).status).toBe(200);
    expect((await system.deps.store.getReferral(id))!.withdrawal).toBeUndefined();
    expect((await postForm(withdraw, { action: 'withdraw', reason: 'Vi har ändrat oss.' })).status).toBe(200);
    expect((await postForm(withdraw, { action: 'withdraw', reason: 'Igen.' })).status).toBe(409);
    await expect.poll(async () => (await system.deps.store.getReferral(id))?.outcome).toBe('withdrawn');
  });
});
