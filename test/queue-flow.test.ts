// The BullMQ flow of a run that is enqueued while it is sharded, against the real Redis on 127.0.0.1:6379:
// the merge job waits for the sharding job however fast the shards are done, a shard is never added
// twice (not even one that failed for good), and a run whose merge job is gone takes no more shards.
import { type Job, Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseQueueUrl, QUEUE_NAME, type QueueAddress } from "../src/queue/connection.js";
import {
  closeRun,
  enqueueShard,
  MERGE_JOB,
  mergeJobId,
  openRun,
  readRunState,
  SHARD_JOB,
  shardJobId,
} from "../src/queue/flow.js";
import { dropPrefix, queueUrl, uniquePrefix, waitFor } from "./helpers/queue-harness.js";

const prefix = uniquePrefix("flow");
let address: QueueAddress;
let queue: Queue;
let worker: Worker;
const processed: string[] = [];

beforeAll(async () => {
  const parsed = parseQueueUrl(queueUrl(prefix));
  if (!parsed.ok) throw new Error(parsed.message);
  address = parsed.value;
  queue = new Queue(QUEUE_NAME, { connection: address.connection, prefix });
  // Shard 1 of every run fails for good; the merge job names nothing (the producer reads the failures itself).
  worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      processed.push(job.id ?? "");
      if (job.name === SHARD_JOB && (job.data as { index: number }).index === 1) throw new Error("poison");
      return job.name === MERGE_JOB ? { failed: {} } : { index: job.data.index, listings: 1, ms: 0 };
    },
    { connection: address.connection, prefix },
  );
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  await dropPrefix(prefix);
});

const run = (runId: string) => ({ runId, shared: "/shared" });
const settled = async (runId: string) => (await readRunState(queue, runId)).finished;

describe("a run enqueued while it is sharded", () => {
  test("the merge job waits for the sharding job, not only for the shards; then runs once", async () => {
    await openRun(queue, address, run("a"));
    // Opening again (a resumed producer) changes nothing.
    await openRun(queue, address, run("a"));
    expect(await enqueueShard(queue, run("a"), 0)).toBe(true);
    expect(await waitFor(() => processed.includes(shardJobId("a", 0)), 30_000)).toBe(true);
    expect(await queue.getJobState(mergeJobId("a"))).toBe("waiting-children");
    expect(await enqueueShard(queue, run("a"), 1)).toBe(true);
    expect(await enqueueShard(queue, run("a"), 2)).toBe(true);
    let finished = 0;
    for (const until = Date.now() + 30_000; finished < 3 && Date.now() < until; ) {
      finished = await settled("a");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await readRunState(queue, "a")).toMatchObject({ state: "waiting", finished: 3, failed: 1, unprocessed: 1 });
    expect(await queue.getJobState(mergeJobId("a"))).toBe("waiting-children");
    expect(processed).not.toContain(mergeJobId("a"));

    // A resumed producer enqueues the same shards again: nothing is added, the failed shard included.
    for (const index of [0, 1, 2]) expect(await enqueueShard(queue, run("a"), index)).toBe(true);
    await closeRun(address, "a");
    await closeRun(address, "a");
    let state = await readRunState(queue, "a");
    for (const until = Date.now() + 30_000; state.state !== "completed" && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await readRunState(queue, "a");
    }
    expect(state).toMatchObject({ state: "completed", finished: 3, failed: 1, unprocessed: 0 });
    expect(processed.filter((id) => id === shardJobId("a", 0) || id === mergeJobId("a"))).toHaveLength(2);
  });

  test("a run with no shard at all: the merge job runs once the sharding job is out", async () => {
    await openRun(queue, address, run("empty"));
    await closeRun(address, "empty");
    expect(await waitFor(() => processed.includes(mergeJobId("empty")), 30_000)).toBe(true);
  });

  test("a cancelled run (its merge job removed) takes no more shards", async () => {
    await openRun(queue, address, run("gone"));
    expect(await queue.remove(mergeJobId("gone"), { removeChildren: true })).toBe(1);
    expect(await enqueueShard(queue, run("gone"), 0)).toBe(false);
    expect(await queue.getJobState(shardJobId("gone", 0))).toBe("unknown");
  });
});
