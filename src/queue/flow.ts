// The BullMQ side of a run: one job per shard under a parent "merge" job (a flow). The producer opens
// the flow before it reads the inputs and adds each shard's job as soon as the shard is written; a
// "sharding" child holds the merge job back until the last shard is in. Job ids derive from the run id,
// so enqueuing a run again adds nothing twice, and two runs never share a job.
import { FlowProducer, Job, type JobsOptions, Queue } from "bullmq";
import type { QueueAddress } from "./connection.js";
import { QUEUE_NAME, SHARDING_QUEUE_NAME } from "./connection.js";

export const SHARD_JOB = "shard";
export const MERGE_JOB = "merge";
/** Attempts of a shard whose worker threw; a worker that dies is counted by BullMQ's stalled-job check. */
export const SHARD_ATTEMPTS = 3;

export const shardJobId = (runId: string, index: number): string => `${runId}.shard.${index}`;
export const mergeJobId = (runId: string): string => `${runId}.merge`;
export const shardingJobId = (runId: string): string => `${runId}.sharding`;

/** A job names a shard on the shared folder; it carries no listing. */
export interface ShardJobData {
  runId: string;
  /** The shared folder as the producer sees it (a worker may be told its own mount point). */
  shared: string;
  index: number;
}

export interface ShardJobResult {
  index: number;
  listings: number;
  ms: number;
}

/** What the merge job hands the producer: the shards that failed for good, with the last reason. */
export interface MergeResult {
  failed: Record<string, string>;
}

const shardJobOptions = (runId: string, index: number): JobsOptions => ({
  jobId: shardJobId(runId, index),
  attempts: SHARD_ATTEMPTS,
  backoff: { type: "exponential", delay: 1000 },
  // A shard that fails for good is reported as such by the merge, not a reason to drop the run.
  ignoreDependencyOnFailure: true,
});

/**
 * Opens the run's flow when it has none: the merge job waiting for one child, the "sharding" job, which
 * sits on a queue no worker takes from until `closeRun` lets the merge go. Shards come with `enqueueShard`.
 */
export async function openRun(queue: Queue, address: QueueAddress, run: { runId: string; shared: string }) {
  if ((await queue.getJobState(mergeJobId(run.runId))) !== "unknown") return;
  const flow = new FlowProducer({ connection: address.connection, prefix: address.prefix });
  try {
    await flow.add({
      name: MERGE_JOB,
      queueName: QUEUE_NAME,
      data: run,
      opts: { jobId: mergeJobId(run.runId) },
      children: [
        { name: "sharding", queueName: SHARDING_QUEUE_NAME, data: run, opts: { jobId: shardingJobId(run.runId) } },
      ],
    });
  } finally {
    await flow.close();
  }
}

/**
 * Adds a written shard's job under the run's merge job, unless it has one: a job that failed for good
 * and were added again would count as pending and hold the merge back for ever. False when the merge job
 * is gone (the run was cancelled).
 */
export async function enqueueShard(
  queue: Queue,
  run: { runId: string; shared: string },
  index: number,
): Promise<boolean> {
  if ((await queue.getJobState(shardJobId(run.runId, index))) !== "unknown") return true;
  try {
    await queue.add(SHARD_JOB, { ...run, index } satisfies ShardJobData, {
      ...shardJobOptions(run.runId, index),
      parent: { id: mergeJobId(run.runId), queue: queue.qualifiedName },
    });
    return true;
  } catch (error) {
    // BullMQ refuses a child whose parent is gone; anything else (Redis down for good) stays an error.
    if ((await queue.getJobState(mergeJobId(run.runId))) === "unknown") return false;
    throw error;
  }
}

/** Every shard is enqueued: the merge job runs once they are settled. Safe to repeat. */
export async function closeRun(address: QueueAddress, runId: string): Promise<void> {
  const sharding = new Queue(SHARDING_QUEUE_NAME, { connection: address.connection, prefix: address.prefix });
  try {
    const job = await Job.fromId(sharding, shardingJobId(runId));
    if (job === undefined) return;
    // Out of the merge job's dependencies first (which lets the merge job go when no shard is pending), then gone.
    await job.removeChildDependency();
    await job.remove();
  } finally {
    await sharding.close();
  }
}

/** Enqueues a run whose jobs are gone (a Redis that lost its data) as one flow: the shards in `pending` (those without results yet). */
export async function enqueueRun(
  address: QueueAddress,
  run: { runId: string; shared: string },
  pending: readonly number[],
): Promise<void> {
  const flow = new FlowProducer({ connection: address.connection, prefix: address.prefix });
  try {
    await flow.add({
      name: MERGE_JOB,
      queueName: QUEUE_NAME,
      data: { runId: run.runId, shared: run.shared },
      opts: { jobId: mergeJobId(run.runId) },
      children: pending.map((index) => ({
        name: SHARD_JOB,
        queueName: QUEUE_NAME,
        data: { ...run, index } satisfies ShardJobData,
        opts: shardJobOptions(run.runId, index),
      })),
    });
  } finally {
    await flow.close();
  }
}

/** Shard index from a job key or id (`…<runId>.shard.<n>`). */
export function shardIndexOf(jobKey: string): number | undefined {
  const match = /\.shard\.(\d+)$/.exec(jobKey);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export interface RunState {
  state: "waiting" | "completed" | "failed" | "missing";
  /** Shards finished (done or failed for good) in this flow. */
  finished: number;
  failed: number;
  /** Shards still to do in this flow (and, while the run is sharding, its "sharding" job). */
  unprocessed: number;
  result?: MergeResult;
  failedReason?: string;
}

/** Where the run's flow stands: its merge job and how many of its shards are finished. */
export async function readRunState(queue: Queue, runId: string): Promise<RunState> {
  const job = await Job.fromId<unknown, MergeResult>(queue, mergeJobId(runId));
  if (job === undefined) return { state: "missing", finished: 0, failed: 0, unprocessed: 0 };
  const state = await job.getState();
  const counts = await job.getDependenciesCount({ processed: true, ignored: true, failed: true, unprocessed: true });
  const failed = (counts.ignored ?? 0) + (counts.failed ?? 0);
  const base = { finished: (counts.processed ?? 0) + failed, failed, unprocessed: counts.unprocessed ?? 0 };
  if (state === "completed") return { ...base, state, result: job.returnvalue };
  if (state === "failed") return { ...base, state, failedReason: job.failedReason };
  return { ...base, state: "waiting" };
}
