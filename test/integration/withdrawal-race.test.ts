/**
 * A withdrawal that lands while a step is being entered — after the step read the referral, before its
 * link holds the task token — must still end the referral: the withdrawal finds no waiting token to fail,
 * so the entering step, having stored its token, reads the withdrawal and fails its own wait.
 */
import type { ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../infra/local/system';
import { itemsPut, type DbCommand } from '../support/crash';
import { childId, postForm, referenceFrom, referralForm, withdrawalLinkIn } from '../support/local';

let system: LocalSystem;
beforeAll(async () => {
  system = await startLocalSystem({ port: 0, quiet: true });
});
afterAll(async () => {
  await system?.stop();
});

it('a withdrawal between the step reading the referral and storing its link still closes the referral', async () => {
  const res = await postForm(
    `${system.url}/referrals`,
    referralForm({ identityNumber: childId(10, system.clock.now()), custodian1Email: 'race@example.org' }),
  );
  expect(res.status).toBe(201);
  const id = referenceFrom(res.text);
  const receipt = await system.mailbox.waitFor(
    (m) => m.template === 'intake-received' && m.text.includes(id),
  );

  // Hold the screening link's write until the social worker's withdrawal has gone through.
  const db = (system.deps.store as unknown as { db: { send: (c: DbCommand) => Promise<ServiceOutputTypes> } })
    .db;
  const send = db.send.bind(db);
  let withdrawn: Promise<{ status: number }> | undefined;
  type Written = { entity?: string; step?: string; referralId?: string };
  // The link is written alone (PutItem) or with its step record (BatchWriteItem).
  const written = (c: DbCommand) => itemsPut<Written>(c);
  db.send = (c: DbCommand) => {
    const link = written(c).find(
      (item) => item.entity === 'link' && item.step === 'screening' && item.referralId === id,
    );
    if (!withdrawn && link) {
      withdrawn = postForm(withdrawalLinkIn(receipt), { action: 'withdraw', reason: 'Familjen tackar nej.' });
      return withdrawn.then(() => send(c));
    }
    return send(c);
  };

  const closed = await system.mailbox.waitFor(
    (m) => m.template === 'closed-withdrawn' && m.text.includes(id),
  );
  expect(closed.to).toContain('siv@farsta.example');
  expect((await withdrawn)?.status).toBe(200);
  await expect.poll(async () => (await system.deps.store.getReferral(id))?.status).toBe('closed');
  expect((await system.deps.store.getReferral(id))?.outcome).toBe('withdrawn');
});
