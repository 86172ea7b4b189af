/**
 * An entry in the pool stands for a wait, so the band's clock plans from the entries alone and reads no
 * child's referral (a pool's worth of reads on every wait before; issue 15). That holds because every change
 * that ends a wait is written on the referral and then removes the entry, and a child joining reads its
 * referral after writing the entry: whichever comes second sees the other. Here each of those changes lands
 * in the moment between a join's write and its read, on the in-memory store.
 */
import { describe, expect, it } from 'vitest';
import type { Referral } from '../../functions/domain/referral';
import { withdrawalLink } from '../../functions/phases/closure/withdrawal';
import { closeReferral } from '../../functions/phases/closure/closure';
import { poolSnapshot } from '../../functions/phases/groups/groups';
import { bandProposalClock, joinPool } from '../../functions/phases/groups/pool-clock';
import type { LinkRecord } from '../../functions/ports';
import type { MemoryReferralStore } from '../fakes/memory-store';
import { memoryDependencies, STOCKHOLM_PARTNERSHIP } from '../support/memory-deps';
import { referral } from './store.contract';

const DAY = 86_400_000;
const NOW = Date.parse('2027-09-01T08:00:00Z');
const P = STOCKHOLM_PARTNERSHIP;

/** A consented 11-year-old waiting for a group (the store contract's referral, in the pool's phase). */
const child = (n: number): Referral =>
  referral(`R-ENTRY-${String(n).padStart(4, '0')}`, {
    phase: 'group-assignment',
    identityHash: String(n).padStart(64, '0'),
  });

const withdrawalLinkOf = (r: Referral): LinkRecord =>
  ({
    linkHash: `w-${r.referralId}`,
    referralId: r.referralId,
    step: 'withdrawal',
    recipient: {
      role: 'social-worker',
      name: 'Siv Socialsekreterare',
      email: 'siv@farsta.example',
      language: 'sv',
    },
    createdAt: new Date(NOW).toISOString(),
    expiresAt: new Date(NOW + 400 * DAY).toISOString(),
    status: 'open',
    taskToken: '',
  }) as LinkRecord;

/** The social worker withdraws the referral through her link, as the link module applies it. */
async function withdraw(deps: Awaited<ReturnType<typeof memoryDependencies>>['deps'], r: Referral) {
  const recorded = await withdrawalLink.answer!.apply(
    deps,
    { referral: r, link: withdrawalLinkOf(r) } as never,
    { action: 'withdraw', reason: 'Familjen tackar nej.' },
    new Date(NOW).toISOString(),
  );
  if (typeof recorded === 'string') throw new Error(`the withdrawal was not recorded: ${recorded}`);
  expect(recorded.outcome).toBe('done');
  await recorded.beside?.();
}

/** Runs `change` in the moment after a join writes its pool entry and before it reads the referral. */
function landDuringJoin(store: MemoryReferralStore, change: () => Promise<unknown>): void {
  const put = store.putPoolEntry.bind(store);
  store.putPoolEntry = async (id, entry) => {
    const written = await put(id, entry);
    await change();
    return written;
  };
}

const inPool = async (store: { listPool(id: string): Promise<{ referralId: string }[]> }) =>
  (await store.listPool(P.id)).map((e) => e.referralId);

describe('an entry in the pool stands for a wait', () => {
  it("the band's clock plans from the entries alone: no referral read, however many wait", async () => {
    const referrals = Array.from({ length: 150 }, (_, i) => child(i + 1));
    const { deps, store } = await memoryDependencies({ start: NOW, referrals });
    for (const r of referrals) await joinPool(deps, r, P);
    let reads = 0;
    const counted = { getReferral: store.getReferral, getReferrals: store.getReferrals };
    store.getReferral = async (id) => (reads++, counted.getReferral.call(store, id));
    store.getReferrals = async (ids) => ((reads += ids.length), counted.getReferrals.call(store, ids));
    const { proposals, waiting } = await bandProposalClock(deps, P, '10-12');
    expect(reads).toBe(0);
    expect(waiting).toHaveLength(150);
    // A band of 150 fills full groups of at most eight with everyone in it.
    expect(new Set(proposals.flatMap((x) => x.members)).size).toBe(150);
  });

  it('a withdrawal takes the child out of the pool at once, before Close runs', async () => {
    const [a, b] = [child(1), child(2)];
    const { deps, store } = await memoryDependencies({ start: NOW, referrals: [a, b] });
    await joinPool(deps, a, P);
    await joinPool(deps, b, P);
    await withdraw(deps, (await store.getReferral(a.referralId))!);
    expect(await inPool(store)).toEqual([b.referralId]);
    const { waiting, proposals } = await bandProposalClock(deps, P, '10-12');
    expect(waiting.map((e) => e.referralId)).toEqual([b.referralId]);
    expect(proposals.flatMap((x) => x.members)).not.toContain(a.referralId);
  });

  it('a withdrawal landing between a join writing its entry and reading the referral: the join leaves again', async () => {
    const a = child(1);
    const { deps, store } = await memoryDependencies({ start: NOW, referrals: [a] });
    // The withdrawal is written after the entry; its own removal ran before the join's read.
    landDuringJoin(store, async () => withdraw(deps, (await store.getReferral(a.referralId))!));
    const joined = await joinPool(deps, a, P);
    expect(joined.withdrawal?.reason).toBe('Familjen tackar nej.');
    expect(await inPool(store)).toEqual([]);
  });

  it('a closing landing between a join writing its entry and reading the referral: the join leaves again', async () => {
    const a = child(1);
    const { deps, store } = await memoryDependencies({ start: NOW, referrals: [a] });
    landDuringJoin(store, () =>
      store.updateReferral(a.referralId, { status: 'closed', phase: 'closed', outcome: 'no-group' }),
    );
    const joined = await joinPool(deps, a, P);
    expect(joined.status).toBe('closed');
    expect(await inPool(store)).toEqual([]);
  });

  it('a closing after the join finds the entry and removes it', async () => {
    const [a, b] = [child(1), child(2)];
    const { deps, store } = await memoryDependencies({ start: NOW, referrals: [a, b] });
    await joinPool(deps, a, P);
    await joinPool(deps, b, P);
    await closeReferral({ referralId: a.referralId, outcome: 'no-group' }, deps);
    expect(await inPool(store)).toEqual([b.referralId]);
  });

  it('a page that reads the pool takes out entries an earlier version left behind, and only those', async () => {
    const [open, closed, placed, withdrawn] = [child(1), child(2), child(3), child(4)];
    const { deps, store } = await memoryDependencies({
      start: NOW,
      referrals: [open, closed, placed, withdrawn],
    });
    for (const r of [open, closed, placed, withdrawn]) await joinPool(deps, r, P);
    // Ended without removing the entry, as a join racing a closing could leave it before stop 31.
    await store.updateReferral(closed.referralId, { status: 'closed', phase: 'closed', outcome: 'no-group' });
    await store.updateReferral(placed.referralId, { group: { groupId: 'G-1', name: 'Grupp 1' } });
    await store.updateReferral(withdrawn.referralId, {
      withdrawal: { at: new Date(NOW).toISOString(), by: { role: 'social-worker' }, reason: 'Flyttar.' },
    });
    expect((await bandProposalClock(deps, P, '10-12')).waiting).toHaveLength(4);
    const warnings: unknown[] = [];
    deps.log = { ...deps.log, warn: (m, f) => warnings.push({ m, f }) };

    const snapshot = await poolSnapshot(deps, 'sv');

    expect(snapshot.everyone.map((m) => m.referralId)).toEqual([open.referralId]);
    expect(await inPool(store)).toEqual([open.referralId]);
    expect((await bandProposalClock(deps, P, '10-12')).waiting.map((e) => e.referralId)).toEqual([
      open.referralId,
    ]);
    expect(warnings).toHaveLength(1);
    // Ids only in the log: no name, no reason.
    expect(JSON.stringify(warnings)).not.toMatch(/Flyttar|Anna/);
    // Nothing left to take out: the next page writes nothing.
    await poolSnapshot(deps, 'sv');
    expect(warnings).toHaveLength(1);
  });

  it('a join that finds the wait still open stays in the pool', async () => {
    const a = child(1);
    const { deps, store } = await memoryDependencies({ start: NOW, referrals: [a] });
    await joinPool(deps, a, P);
    expect(await inPool(store)).toEqual([a.referralId]);
  });
});
