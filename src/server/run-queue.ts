import { availableParallelism } from "node:os";

/**
 * Runs at once unless `serve --max-runs` says otherwise: one per four cores, at least one. A run already
 * uses up to four threads (its own and audit()'s rule workers, at most 3), so more runs than that only
 * share the same cores and hold more uploads in memory.
 */
export function defaultMaxRuns(): number {
  return Math.max(1, Math.floor(availableParallelism() / 4));
}

/** A run waiting for a slot: `start` runs it and settles when it has ended (done or failed). */
export interface QueuedRun {
  id: string;
  start: () => Promise<void>;
}

/**
 * At most `maxRuns` runs at once; the others wait in upload order (FIFO) and start as slots free.
 * `onWait` hears each waiting run's place (1 = next) whenever it changes.
 */
export class RunQueue {
  private readonly waiting: QueuedRun[] = [];
  private readonly active = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly maxRuns: number,
    private readonly onWait: (id: string, position: number) => void,
  ) {
    if (!(Number.isInteger(maxRuns) && maxRuns >= 1))
      throw new RangeError(`maxRuns must be a whole number ≥ 1 (got ${maxRuns})`);
  }

  add(run: QueuedRun): void {
    this.waiting.push(run);
    // Runs wait only while every slot is taken, so the new run either starts or waits last.
    if (!this.startWaiting()) this.onWait(run.id, this.waiting.length);
  }

  /** A waiting run's place in the queue, 1 for the next to start; undefined when it is not waiting. */
  position(id: string): number | undefined {
    const index = this.waiting.findIndex((run) => run.id === id);
    return index < 0 ? undefined : index + 1;
  }

  /** Starts no more runs; answers the ids of those left waiting. */
  close(): string[] {
    this.closed = true;
    return this.waiting.map((run) => run.id);
  }

  /** Settles when the runs going on now have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.active]);
  }

  /** Starts waiting runs while slots are free; when any started, tells the rest their new places. */
  private startWaiting(): boolean {
    let started = false;
    while (!this.closed && this.active.size < this.maxRuns && this.waiting.length > 0) {
      const run = this.waiting.shift() as QueuedRun;
      started = true;
      const running: Promise<void> = run
        .start()
        // start() records its own failures on the run; a throw must not stop the queue.
        .catch(() => {})
        .finally(() => {
          this.active.delete(running);
          this.startWaiting();
        });
      this.active.add(running);
    }
    if (started)
      this.waiting.forEach((run, index) => {
        this.onWait(run.id, index + 1);
      });
    return started;
  }
}
