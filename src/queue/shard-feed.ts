// The shards of a run as the producer enqueues them, for its merge to take in order: shard k is merged
// once it is enqueued (and done) while the producer writes later ones.
import type { ShardInfo } from "./run-folder.js";

/** The shards known so far, in order, for the merge to wait on while the producer writes more. */
export interface ShardFeed {
  add(shard: ShardInfo): void;
  end(): void;
  /** The shard at `index` once it is enqueued; undefined when the run has fewer shards. */
  shard(index: number, signal?: AbortSignal): Promise<ShardInfo | undefined>;
  known(): readonly ShardInfo[];
}

export function createShardFeed(): ShardFeed {
  const shards: ShardInfo[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = (): void => {
    wake?.();
    changed = new Promise<void>((resolve) => (wake = resolve));
  };
  return {
    add: (shard) => {
      shards.push(shard);
      notify();
    },
    end: () => {
      ended = true;
      notify();
    },
    shard: async (index, signal) => {
      while (index >= shards.length && !ended) {
        signal?.throwIfAborted();
        await unlessAborted(changed, signal);
      }
      return shards[index];
    },
    known: () => shards,
  };
}

/** `wait`, or the abort's reason as soon as `signal` aborts. */
export function unlessAborted(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return wait;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    void wait.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

export function settledFeed(shards: readonly ShardInfo[]): ShardFeed {
  const feed = createShardFeed();
  for (const shard of shards) feed.add(shard);
  feed.end();
  return feed;
}
