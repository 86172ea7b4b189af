/**
 * The planner's proposal through the coordinator's page: groups meet at Bris's premises, so six children
 * of one age band living in six districts make one weekly group, proposed at once (six is a full group),
 * shown on the proposal page over HTTP with every child ticked, and confirmed as one weekly group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { childId, confirmGroup, consentedChild, get, onlyLink } from '../support/local';

let system: LocalSystem;
const COORDINATOR = 'samordnare@bris.example';
const DISTRICTS = ['Rinkeby-Kista', 'Bromma', 'Södermalm', 'Farsta', 'Skärholmen', 'Östermalm'];

beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

describe('the planner on the proposal page', () => {
  it('proposes one weekly group of six children from six districts, and the coordinator confirms it', async () => {
    const ids: string[] = [];
    for (const [i, district] of DISTRICTS.entries())
      ids.push(
        await consentedChild(system, 600 + i, {
          identityNumber: childId(11, system.clock.now(), { minDaysToBirthday: 60, serial: 600 + i }),
          district,
        }),
      );
    // The sixth child fills the band's group: the coordinator is told a weekly group can form.
    const proposal = await system.mailbox.waitFor(
      (m) => m.template === 'group-proposal' && m.to.includes(COORDINATOR) && m.text.includes(ids[5]!),
    );
    expect(proposal.text).toContain('veckogrupp (barn från flera stadsdelsområden) för 10-12 år');
    expect(proposal.text).toContain('med 6 barn');

    const page = await get(onlyLink(proposal));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Förslag: veckogrupp (barn från flera stadsdelsområden) med 6 barn.');
    for (const [i, id] of ids.entries()) {
      expect(page.text).toMatch(new RegExp(`id="member-${id}"[^>]*checked`));
      expect(page.text).toContain(`<td>${DISTRICTS[i]}</td>`);
    }
    expect(page.text).toMatch(/id="format-weekly"[^>]*checked/);

    const confirmed = await confirmGroup(system, onlyLink(proposal), ids, { format: 'weekly' });
    expect(confirmed.status).toBe(200);
    const group = (await system.deps.store.getGroup('stockholm-bris', confirmed.groupId))!;
    expect(group).toMatchObject({ format: 'weekly', ageBand: '10-12', memberCount: 6 });
    const placed = await Promise.all(ids.map((id) => system.deps.store.getReferral(id)));
    expect(new Set(placed.map((r) => r!.district))).toEqual(new Set(DISTRICTS));
    expect(placed.every((r) => r!.group?.groupId === confirmed.groupId)).toBe(true);
  });
});
