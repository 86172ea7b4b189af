/**
 * The planner's proposal through the coordinator's page: groups meet at Bris's premises, so six children
 * of one age band living in six districts make one weekly group, proposed at once (six is a full group),
 * shown on the proposal page over HTTP with every child ticked, and confirmed as one weekly group. The
 * planner reads the whole pool: a band short of a group takes a neighbouring band's child at the edge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { auditActions, childId, confirmGroup, consentedChild, get, onlyLink } from '../support/local';

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

  it('fills a band of five 12-year-olds with a 13-year-old of the next band, and confirming places it once', async () => {
    // Five 12-year-olds wait in 10-12: not a group of six, and none is near the longest wait, so only the
    // edge rule can fill the group, with a 13-year-old waiting alone in 13-15 (a year apart).
    const twelves: string[] = [];
    for (const i of [0, 1, 2, 3, 4])
      twelves.push(
        await consentedChild(system, 700 + i, {
          identityNumber: childId(12, system.clock.now(), { minDaysToBirthday: 60, serial: 700 + i }),
          district: DISTRICTS[i]!,
        }),
      );
    const thirteen = await consentedChild(system, 705, {
      identityNumber: childId(13, system.clock.now(), { minDaysToBirthday: 60, serial: 705 }),
      district: 'Hägersten-Liljeholmen',
    });
    const store = system.deps.store;
    expect((await store.getReferral(thirteen))!.child.ageBand).toBe('13-15');

    const proposal = await system.mailbox.waitFor(
      (m) => m.template === 'group-proposal' && m.to.includes(COORDINATOR) && m.text.includes(thirteen),
    );
    expect(proposal.text).toContain('för 10-12 år');
    expect(proposal.text).toContain('med 6 barn');
    const page = await get(onlyLink(proposal));
    expect(page.status).toBe(200);
    for (const id of [...twelves, thirteen])
      expect(page.text).toMatch(new RegExp(`id="member-${id}"[^>]*checked`));
    expect(page.text).toContain('<td>Hägersten-Liljeholmen</td>');

    const confirmed = await confirmGroup(system, onlyLink(proposal), [...twelves, thirteen], {
      format: 'weekly',
    });
    expect(confirmed.status).toBe(200);
    expect(await store.getGroup('stockholm-bris', confirmed.groupId)).toMatchObject({
      ageBand: '10-12',
      memberCount: 6,
    });
    // The neighbour's child is placed, its wait ended as placed (its home visit came next and was recorded),
    // and it left its own band's pool: placed once, nobody left waiting.
    expect((await store.getReferral(thirteen))!.group?.groupId).toBe(confirmed.groupId);
    expect(await store.listPool('stockholm-bris', '13-15')).toEqual([]);
    expect(await store.listPool('stockholm-bris', '10-12')).toEqual([]);
    const actions = await auditActions(system, thirteen);
    expect(actions.filter((a) => a === 'group-confirmed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'seat-confirmed')).toHaveLength(1);
  });
});
