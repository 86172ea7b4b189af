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
});
