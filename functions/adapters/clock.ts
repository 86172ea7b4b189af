import type { Clock } from '../ports';

export const systemClock: Clock = { now: () => new Date() };

/**
 * The local runtime's clock: time runs `factor` times faster than real time, and can jump forward
 * (`advance`) for demos and tests. Everything that waits in the local runtime — human-step
 * deadlines, Wait states — sleeps on this clock, so a jump wakes whatever is due.
 */
export class FastForwardClock implements Clock {
  private readonly realStart = Date.now();
  private offsetMs: number;
  /** Each sleeper's wake-up check and the instant it waits for. */
  private readonly sleepers = new Map<() => void, number>();

  /**
   * `startAt`: where local time stands now (a restarted runtime continues from its saved time). It never
   * starts behind the machine's time unless `exact`: a run deliberately set on an earlier date.
   */
  constructor(
    readonly factor = 1,
    startAt?: Date,
    exact = false,
  ) {
    const ahead = startAt ? startAt.getTime() - this.realStart : 0;
    this.offsetMs = exact ? ahead : Math.max(0, ahead);
  }

  now(): Date {
    return new Date(this.realStart + (Date.now() - this.realStart) * this.factor + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    for (const wake of [...this.sleepers.keys()]) wake();
  }

  /** The earliest instant anything sleeps until (a simulation jumps straight there when all else is idle). */
  nextWakeAt(): Date | undefined {
    let next = Infinity;
    for (const at of this.sleepers.values()) next = Math.min(next, at);
    return Number.isFinite(next) ? new Date(next) : undefined;
  }

  /** Resolves when the clock reaches `instant` (by time passing or by `advance`); rejects on abort. */
  sleepUntil(instant: Date, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(check);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal?.reason ?? new Error('aborted'));
      };
      const check = () => {
        clearTimeout(timer);
        const remaining = instant.getTime() - this.now().getTime();
        if (remaining <= 0) {
          done();
          resolve();
          return;
        }
        // Re-check at least every second so a long sleep never overflows setTimeout.
        timer = setTimeout(check, Math.min(1000, Math.ceil(remaining / this.factor)));
        timer.unref?.();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      this.sleepers.set(check, instant.getTime());
      check();
    });
  }
}
