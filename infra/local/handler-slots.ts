/**
 * Slots for the workflow engine's handler calls (the local stand-in for Lambda's concurrency), with people
 * first. In AWS the workflows run on Lambdas of their own and never slow a person's page; here they share
 * one event loop with the HTTP server, so while people's requests are being answered (and for a moment
 * after, while their browsers send the next one) background calls run `whilePeopleWait` at a time (the
 * engine sets four: workflow-engine.ts) instead of `most`.
 * Never none: a request that waits on background work (a bounce the mailbox reports) still finishes.
 * Measured on the intake bench (100 connections of POST /referrals, 1 000 referrals starting their
 * workflows): one at a time took the median answer from ~1.3 s to ~0.25 s on the loaded 2-core machine.
 */
export interface HandlerSlotOptions {
  /** Calls at once when no person is waiting (16: enough to keep dynalite's thread busy). */
  most: number;
  /** Calls at once while people wait. */
  whilePeopleWait: number;
  /** People count as waiting this long after their last request ended. */
  graceMs: number;
  /** Milliseconds, monotonic (performance.now). */
  now?: () => number;
}

export class HandlerSlots {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private peopleWaiting = 0;
  private peopleLeftAt = -Infinity;
  private graceTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: HandlerSlotOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Calls that may run now. */
  get limit(): number {
    const peopleFirst = this.peopleWaiting > 0 || this.now() - this.peopleLeftAt < this.options.graceMs;
    return peopleFirst ? this.options.whilePeopleWait : this.options.most;
  }

  get inUse(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Resolves when the call may run; `release` must follow. */
  async acquire(): Promise<void> {
    while (this.running >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
  }

  release(): void {
    this.running--;
    this.wake();
  }

  personArrives(): void {
    this.peopleWaiting++;
  }

  personLeaves(): void {
    this.peopleWaiting--;
    if (this.peopleWaiting > 0) return;
    this.peopleLeftAt = this.now();
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => this.wake(), this.options.graceMs + 1);
    this.graceTimer.unref();
  }

  /** Wakes as many queued calls as there are free slots (each checks again when it runs). */
  wake(): void {
    for (let free = this.limit - this.running; free > 0 && this.queue.length; free--) this.queue.shift()!();
  }
}
