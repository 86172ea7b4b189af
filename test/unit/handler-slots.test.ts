/**
 * The local engine's handler slots (infra/local/handler-slots.ts): background calls run `most` at once,
 * but one at a time while a person's request is answered and for the grace after it, and never none.
 */
import { describe, expect, it } from 'vitest';
import { HandlerSlots } from '../../infra/local/handler-slots';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function slots(now: { t: number }) {
  return new HandlerSlots({ most: 4, whilePeopleWait: 1, graceMs: 50, now: () => now.t });
}

/** Starts `n` calls; returns how many hold a slot after the event loop settles. */
async function start(s: HandlerSlots, n: number, started: number[]) {
  for (let i = 0; i < n; i++) void s.acquire().then(() => started.push(i));
  await settle();
  return started.length;
}

describe('handler slots: people first', () => {
  it('runs `most` calls at once when nobody waits, and the next when one ends', async () => {
    const s = slots({ t: 0 });
    const started: number[] = [];
    expect(await start(s, 6, started)).toBe(4);
    expect(s.queued).toBe(2);
    s.release();
    await settle();
    expect(started).toHaveLength(5);
  });

  it('while a person waits, a free slot goes to one background call only', async () => {
    const now = { t: 0 };
    const s = slots(now);
    s.personArrives();
    const started: number[] = [];
    expect(await start(s, 3, started)).toBe(1);
    s.release();
    await settle();
    expect(started).toHaveLength(2);
    expect(s.inUse).toBe(1);
  });

  it('never none: with a person waiting, a call still runs when no other does', async () => {
    const s = slots({ t: 0 });
    s.personArrives();
    s.personArrives();
    const started: number[] = [];
    expect(await start(s, 1, started)).toBe(1);
  });

  it('keeps one at a time during the grace after the last person, then opens every slot', async () => {
    const now = { t: 1000 };
    const s = slots(now);
    s.personArrives();
    const started: number[] = [];
    expect(await start(s, 5, started)).toBe(1);
    s.personLeaves();
    now.t += 10; // within the grace: their browser is about to ask again
    s.wake();
    await settle();
    expect(started).toHaveLength(1);
    now.t += 60; // the grace is over
    s.wake();
    await settle();
    expect(started).toHaveLength(4);
  });

  it('a person arriving does not stop calls already running; it holds back new ones', async () => {
    const s = slots({ t: 0 });
    const started: number[] = [];
    expect(await start(s, 3, started)).toBe(3);
    s.personArrives();
    expect(s.inUse).toBe(3);
    expect(await start(s, 1, started)).toBe(3);
    s.release();
    s.release();
    await settle();
    expect(started).toHaveLength(3);
    s.release();
    await settle();
    expect(started).toHaveLength(4);
  });
});
