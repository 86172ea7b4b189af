/**
 * One active referral per child, whatever the interleaving. Two social workers (or two tabs) hold two
 * different forms, so two idempotency keys, and send the same child at the same moment: exactly one
 * referral and one clear "already active" answer. Then the crash cases: an intake that died between
 * taking the child's lock and storing the referral keeps the lock for its lease (the same form sent again
 * finishes it; another form is refused), and only a lock past its lease may be taken over.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_LOCK_LEASE_MS } from '../../functions/domain/child-lock';
import { identityNumber } from '../../infra/local/simulated-people';
import type { LocalSystem } from '../../infra/local/system';
import { dieAt as crashAt, itemsPut, systemOnDisk, type DbCommand } from '../support/crash';
import { postForm, referenceFrom, referralForm } from '../support/local';

const disk = systemOnDisk('bris-one-per-child-');
let system: LocalSystem;

const start = async () => {
  system = await disk.start();
};
beforeAll(start);
afterAll(async () => {
  await system?.stop();
  disk.remove();
});

let serial = 0;
/** A child of about ten on the local system's clock, with an identity number no other test child has. */
function nextChild(): string {
  serial += 1;
  const born = DateTime.fromJSDate(system.clock.now())
    .setZone('Europe/Stockholm')
    .minus({ years: 10, days: serial % 300 });
  return identityNumber(born.toFormat('yyMMdd'), serial);
}

let keys = 0;
const formFor = (identityNumber: string) =>
  referralForm({ identityNumber, idempotencyKey: `race-${process.pid}-${++keys}-key-abcdef` });

const submit = (form: Record<string, string>) => postForm(`${system.url}/referrals`, form);

async function referralsStored(): Promise<number> {
  return (await system.deps.store.listReferralsByDistrict('Farsta')).length;
}

describe('the same child sent twice at the same moment, with two different forms', () => {
  it('gives exactly one referral and one "already active" answer per child, in every round', async () => {
    const rounds = 10;
    const children = 20;
    const before = await referralsStored();
    for (let round = 1; round <= rounds; round++) {
      const ids = Array.from({ length: children }, nextChild);
      const answers = await Promise.all(
        ids
          .flatMap((id) => [submit(formFor(id)), submit(formFor(id))])
          .map((p, i) => p.then((a) => ({ ...a, child: ids[Math.floor(i / 2)]! }))),
      );
      for (const id of ids) {
        const mine = answers.filter((a) => a.child === id);
        expect(
          mine.map((a) => a.status).sort(),
          `round ${round}, child ${id}: ${mine.map((a) => a.text.slice(0, 200)).join(' | ')}`,
        ).toEqual([201, 409]);
        expect(mine.find((a) => a.status === 409)!.text).toContain('redan en pågående anmälan');
      }
      expect(await referralsStored()).toBe(before + round * children);
    }
  });
});

type Command = DbCommand;
type Written = { entity?: string; action?: string };
/** The command puts such an item, alone or in a batch (the intake's events go in one batch). */
const puts = (c: Command, matches: (i: Written) => boolean) => itemsPut<Written>(c).some(matches);

const dieAt = (matches: (c: Command) => boolean) => crashAt(system, matches);

/** Ages the child's lock in the table, as if its holder had died `ms` ago. */
async function ageLock(identityNumberText: string, ms: number): Promise<void> {
  const normalized = identityNumberText.replace('-', '');
  const hash = await system.deps.identity.hash(normalized);
  const db = (system.deps.store as unknown as { db: DynamoDBDocumentClient }).db;
  await db.send(
    new UpdateCommand({
      TableName: system.deps.config.tableName,
      Key: { PK: `CHILD#${hash}`, SK: 'ACTIVE' },
      UpdateExpression: 'SET claimedAt = :at',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': Date.now() - ms },
    }),
  );
}

/** The writes between taking the child's lock and storing the referral, as a crash could fall between them. */
const CRASH_POINTS: [string, (c: Command) => boolean][] = [
  ['after the lock, before the first audit event', (c) => puts(c, (i) => i.action === 'referral-submitted')],
  ['after the audit events, before the referral', (c) => puts(c, (i) => i.entity === 'referral')],
];

describe('an intake that died between the child lock and the referral', () => {
  for (const [when, matches] of CRASH_POINTS) {
    it(`keeps the child for its own form, and refuses another form within the lease: ${when}`, async () => {
      const child = nextChild();
      const first = formFor(child);
      const died = dieAt(matches);
      expect((await submit(first)).status).toBe(500);
      expect(died()).toBe(true);
      await system.stop();
      await start();
      const before = await referralsStored();

      // Another social worker's form for the same child, right after: the first intake may still be running.
      expect((await submit(formFor(child))).status).toBe(409);
      // The first form sent again finishes the same referral, once.
      const again = await submit(first);
      expect(again.status).toBe(201);
      const reference = referenceFrom(again.text);
      const actions = (await system.deps.store.listAudit(reference)).map((e) => e.action);
      expect(actions.filter((a) => a === 'referral-submitted')).toHaveLength(1);
      expect(await referralsStored()).toBe(before + 1);
      expect((await submit(formFor(child))).status).toBe(409);
    });
  }

  it('is taken over only once the lease has passed, and the dead form then refused', async () => {
    const child = nextChild();
    const first = formFor(child);
    dieAt((c) => puts(c, (i) => i.entity === 'referral'));
    expect((await submit(first)).status).toBe(500);
    await system.stop();
    await start();
    const before = await referralsStored();

    await ageLock(child, CHILD_LOCK_LEASE_MS - 10_000);
    expect((await submit(formFor(child))).status).toBe(409);

    await ageLock(child, CHILD_LOCK_LEASE_MS + 1_000);
    // Two forms race for the stale lock: one takes it over.
    const [a, b] = await Promise.all([submit(formFor(child)), submit(formFor(child))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await referralsStored()).toBe(before + 1);
    // The dead intake's form, sent again later, can no longer store a second referral.
    expect((await submit(first)).status).toBe(409);
    expect(await referralsStored()).toBe(before + 1);
  });
});
