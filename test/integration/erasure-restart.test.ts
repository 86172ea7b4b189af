/**
 * Erasure survives a restart in the middle of the retention period: the referral's execution ended at
 * Close, and the only record of the erasure to come is the due-erasure index in the table (on disk). A
 * runtime started again on the same data restarts no execution for the closed referral, and its daily
 * sweep still erases the referral on time: not before the twelve months, within a day after.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system';
import { dieAt, systemOnDisk } from '../support/crash';
import {
  advanceToAndSweep,
  childId,
  closedAndRetained,
  dueErasureOf,
  nextSweep,
  onlyLink,
  postForm,
  submitReferral,
} from '../support/local';

const DAY = 86_400_000;
const disk = systemOnDisk('bris-erasure-restart-');
let system: LocalSystem | undefined;
afterAll(async () => {
  await system?.stop();
  disk.remove();
});

describe('a restart in the middle of the retention period', () => {
  it('loses nothing: the sweep of the restarted runtime erases the referral on time', async () => {
    system = await disk.start();
    const id = await submitReferral(system, {
      identityNumber: childId(13, system.clock.now(), { minDaysToBirthday: 200 }),
      childFirstName: 'Ingrid',
      custodian1Email: 'restart-retention@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    expect((await postForm(onlyLink(screening), { action: 'decline', reason: 'Flyttar.' })).status).toBe(200);
    await closedAndRetained(system, id);
    const eraseAt = new Date((await dueErasureOf(system, id))!.eraseAt);

    // Half-way through the retention period, the runtime stops (its clock is saved) and starts again.
    await advanceToAndSweep(system, new Date(eraseAt.getTime() - 180 * DAY));
    await system.stop();
    system = undefined;
    system = await disk.start();

    // Nothing to resume for a closed referral: no execution is started for it.
    expect(system.engine.history.filter((e) => e.referralId === id)).toEqual([]);
    expect(await system.deps.store.getReferral(id)).toMatchObject({ status: 'closed', outcome: 'declined' });
    expect(await dueErasureOf(system, id)).toEqual({ referralId: id, eraseAt: eraseAt.toISOString() });
    // The catch-up sweep at start ran, and left it (not due yet).
    await expect.poll(() => system!.schedules.runs.some((r) => r.occurrence === 'start')).toBe(true);
    expect((await system.deps.store.getReferral(id))?.status).toBe('closed');

    await advanceToAndSweep(system, new Date(eraseAt.getTime() - DAY));
    expect((await system.deps.store.getReferral(id))?.status).toBe('closed');
    let erasedAt: Date | undefined;
    for (let day = 0; day < 3 && !erasedAt; day++) {
      const occurrence = await nextSweep(system);
      if (((await system.deps.store.getReferral(id))?.status as string) === 'erased') erasedAt = occurrence;
    }
    expect(erasedAt, 'erased by a sweep after the restart').toBeDefined();
    expect(erasedAt!.getTime()).toBeGreaterThanOrEqual(eraseAt.getTime());
    expect(erasedAt!.getTime()).toBeLessThan(eraseAt.getTime() + DAY);
    const after = JSON.stringify(await system.deps.store.rawReferralItems(id));
    for (const p of ['Ingrid', 'Flyttar', 'restart-retention@example.org']) expect(after, p).not.toContain(p);
    expect(await dueErasureOf(system, id)).toBeUndefined();
  });

  it('a process that dies inside Close, before the erasure is recorded, runs Close again at start', async () => {
    await system?.stop();
    system = await disk.start();
    const id = await submitReferral(system, {
      identityNumber: childId(12, system.clock.now(), { minDaysToBirthday: 200 }),
      childFirstName: 'Greta',
      custodian1Email: 'die-in-close@example.org',
    });
    const screening = await system.mailbox.waitFor(
      (m) => m.template === 'screening-request' && m.text.includes(id),
    );
    // The referral is marked closed; the process dies on the write that records its erasure.
    const died = dieAt(system, (c) => (c.input.Item as { PK?: string } | undefined)?.PK === 'ERASURE');
    expect((await postForm(onlyLink(screening), { action: 'decline', reason: 'Flyttar.' })).status).toBe(200);
    await expect.poll(() => died(), { timeout: 20_000 }).toBe(true);
    await system.stop();
    system = await disk.start();

    // Close ran again and recorded the erasure; the sweep then erases it on time.
    await expect
      .poll(async () => (await dueErasureOf(system!, id))?.eraseAt, { timeout: 20_000 })
      .toBeDefined();
    expect(await system.deps.store.getReferral(id)).toMatchObject({ status: 'closed', outcome: 'declined' });
    const eraseAt = new Date((await dueErasureOf(system, id))!.eraseAt);
    await advanceToAndSweep(system, new Date(eraseAt.getTime() + DAY));
    await expect
      .poll(async () => (await system!.deps.store.getReferral(id))?.status as string)
      .toBe('erased');
  });
});
