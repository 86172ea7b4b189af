/**
 * Never more than 8 in a group, even under concurrent requests: 200 joins at once against dynalite
 * (the table created from the synthesized definition), 20 rounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoDbReferralStore } from '../../functions/adapters/dynamodb-store';
import { ensureTable, startDynalite, type LocalDynamo } from '../../infra/local/dynalite';
import { synthesizedTemplates } from '../../infra/local/synth';
import { tableDefinition } from '../../infra/local/template';

let dynamo: LocalDynamo;
let store: DynamoDbReferralStore;

beforeAll(async () => {
  const { templates } = await synthesizedTemplates();
  dynamo = await startDynalite(undefined);
  await ensureTable(dynamo.endpoint, 'Capacity', tableDefinition(templates));
  store = new DynamoDbReferralStore(createDocumentClient(dynamo.endpoint), 'Capacity');
});
afterAll(async () => {
  await dynamo?.stop();
});

describe('group capacity under concurrency', () => {
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'round %i: 200 concurrent joins, exactly 8 succeed, 192 are told the group is full',
    async (round) => {
      const groupId = `race-${round}`;
      await store.putGroup({
        partnershipId: 'stockholm-bris',
        groupId,
        name: `Kapplöpning ${round}`,
        format: 'weekly',
        ageBand: '10-12',
        status: 'forming',
        capacity: 8,
        memberCount: 0,
      });
      const at = new Date().toISOString();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.joinGroup(
            'stockholm-bris',
            groupId,
            `R-${String(round).padStart(2, '0')}${String(i).padStart(3, '0')}`,
            at,
          ),
        ),
      );
      expect(results.filter((r) => r === 'joined')).toHaveLength(8);
      expect(results.filter((r) => r === 'full')).toHaveLength(192);
      const group = (await store.listGroups('stockholm-bris')).find((g) => g.groupId === groupId)!;
      expect(group.memberCount).toBe(8);
      expect(await store.listGroupMembers(groupId)).toHaveLength(8);
    },
  );

  it('the same child joining twice at once takes one seat', async () => {
    await store.putGroup({
      partnershipId: 'stockholm-bris',
      groupId: 'twice',
      name: 'Två gånger',
      format: 'weekend',
      ageBand: '7-9',
      status: 'forming',
      capacity: 8,
      memberCount: 0,
    });
    const at = new Date().toISOString();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.joinGroup('stockholm-bris', 'twice', 'R-AAAA-BBBB', at)),
    );
    expect(results.filter((r) => r === 'joined')).toHaveLength(1);
    expect((await store.listGroups('stockholm-bris')).find((g) => g.groupId === 'twice')?.memberCount).toBe(
      1,
    );
  });

  it('two groups confirmed at the same moment take each child once: 20 children, 2 groups, 10 rounds', async () => {
    for (let round = 0; round < 10; round++) {
      const groups = [`left-${round}`, `right-${round}`];
      for (const groupId of groups)
        await store.putGroup({
          partnershipId: 'stockholm-bris',
          groupId,
          name: groupId,
          format: 'weekend',
          ageBand: '13-15',
          status: 'forming',
          capacity: 8,
          memberCount: 0,
        });
      const children = Array.from({ length: 20 }, (_, i) => `R-P${round}${String(i).padStart(2, '0')}-CCCC`);
      const at = new Date().toISOString();
      const results = await Promise.all(
        children.flatMap((child) =>
          groups.map(async (groupId) => ({
            child,
            groupId,
            result: await store.joinGroup('stockholm-bris', groupId, child, at),
          })),
        ),
      );
      const joined = results.filter((r) => r.result === 'joined');
      // Each child in at most one group, each group at most 8 members.
      expect(new Set(joined.map((r) => r.child)).size).toBe(joined.length);
      expect(joined.length).toBeGreaterThanOrEqual(8);
      for (const groupId of groups)
        expect((await store.listGroupMembers(groupId)).length).toBeLessThanOrEqual(8);
      const left = new Set(await store.listGroupMembers(groups[0]!));
      expect((await store.listGroupMembers(groups[1]!)).filter((m) => left.has(m))).toEqual([]);
      // A child who lost both races is not held by a half-made placement: a later group takes it.
      const unplaced = children.filter((c) => !joined.some((r) => r.child === c));
      await store.putGroup({
        partnershipId: 'stockholm-bris',
        groupId: `later-${round}`,
        name: 'later',
        format: 'weekend',
        ageBand: '13-15',
        status: 'forming',
        capacity: 20,
        memberCount: 0,
      });
      for (const child of unplaced)
        expect(await store.joinGroup('stockholm-bris', `later-${round}`, child, at)).toBe('joined');
      for (const r of joined)
        expect(await store.joinGroup('stockholm-bris', `later-${round}`, r.child, at)).toBe(
          'placed-elsewhere',
        );
    }
  });
});
