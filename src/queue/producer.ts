// The producer of a distributed run (`audit --queue`): shards the inputs onto the shared folder,
// enqueues the flow, waits for it, and hands the shards' results to the run's reporters in input order,
// so the reports are those of a local run of the same inputs.
import { stat } from "node:fs/promises";
import { Job, Queue } from "bullmq";
import type { AuditedRecord } from "../audit-pool.js";
import type { ItemAuditing } from "../audit-scheduler.js";
import type { SourceItem } from "../model.js";
import { readToolInfo } from "../audit.js";
import { connectRedis, QUEUE_NAME, type QueueAddress } from "./connection.js";
import { enqueueRun, readRunState, shardJobId } from "./flow.js";
import { registerRun } from "./run-registry.js";
import {
  prepareRunFolder,
  readManifest,
  resultFile,
  runFolder,
  shardFile,
  storeSpec,
  writeManifest,
  type RunManifest,
} from "./run-folder.js";
import { shardFailedProblem } from "./shard-failed.js";
import { readResults, readShard, writeShards } from "./shards.js";

export interface QueueRunOptions {
  address: QueueAddress;
  /** The shared results folder (absolute). */
  shared: string;
  runId: string;
  shardSize: number;
  /** Enqueue and return: the run goes on without this process (`runs resume` writes its reports). */
  detach: boolean;
  /** This command line, kept with the run for `runs resume`. */
  command: { argv: string[]; cwd: string };
  onProgress?: (progress: QueueProgress) => void;
}

export interface QueueProgress {
  shards: number;
  shardsDone: number;
  listings: number;
  listingsDone: number;
  elapsedMs: number;
}

/** How a distributed run ended, beyond what its reports say. */
export interface QueueRunOutcome {
  shards: number;
  failedShards: number;
  /** Listings of failed shards: reported as `run/shard-failed`, not audited. */
  failedListings: number;
}

/** Thrown by `--detach` once the run is enqueued: there is nothing to report yet. */
export class RunDetachedError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} continues on the queue`);
  }
}

/** The run's folder could not be written (a full disk, no permission): the run cannot be done. */
export class SharedFolderError extends Error {
  constructor(
    readonly folder: string,
    readonly code: string,
  ) {
    super(`cannot write ${folder} (${code})`);
  }
}

/** The run was cancelled (`runs cancel`) or its jobs removed while this process waited. */
export class RunGoneError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} is no longer on the queue`);
  }
}

const POLL_MS = 200;

/** What `audit()` calls instead of auditing on this process, and the outcome it leaves once done. */
export function createQueueRun(options: QueueRunOptions): { auditItems: ItemAuditing; outcome(): QueueRunOutcome } {
  const outcome: QueueRunOutcome = { shards: 0, failedShards: 0, failedListings: 0 };
  const auditItems: ItemAuditing = async (items, handle, scheduling) => {
    const runDir = runFolder(options.shared, options.runId);
    const queue = new Queue(QUEUE_NAME, { connection: options.address.connection, prefix: options.address.prefix });
    const registry = { client: connectRedis(options.address), prefix: options.address.prefix };
    try {
      const manifest =
        (await readManifest(runDir)) ??
        (await shardRun(items, runDir, scheduling.spec, options).catch((error: NodeJS.ErrnoException) => {
          // Only file-system errors are the folder's; anything else (a reader's bug) stays what it is.
          throw error.code === undefined ? error : new SharedFolderError(runDir, error.code);
        }));
      outcome.shards = manifest.shards.length;
      // (Re)registered on every start: a cancelled run enqueued again is running again.
      await registerRun(registry, {
        runId: options.runId,
        shared: options.shared,
        created: manifest.created,
        shards: manifest.shards.length,
        listings: manifest.shards.reduce((n, s) => n + s.listings, 0),
      });
      if ((await readRunState(queue, options.runId)).state === "missing") {
        // Re-running a run enqueues only the shards without results: finished work is not redone.
        const pending: number[] = [];
        for (const [index] of manifest.shards.entries())
          if (!(await isFile(resultFile(runDir, index)))) pending.push(index);
        await enqueueRun(options.address, { runId: options.runId, shared: options.shared }, pending);
      }
      if (options.detach) throw new RunDetachedError(options.runId);
      await mergeShards(queue, runDir, manifest, options, handle, outcome);
    } finally {
      await queue.close();
      registry.client.disconnect();
    }
  };
  return { auditItems, outcome: () => outcome };
}

async function shardRun(
  items: AsyncIterable<SourceItem>,
  runDir: string,
  spec: Parameters<typeof storeSpec>[1],
  options: QueueRunOptions,
): Promise<RunManifest> {
  await prepareRunFolder(runDir);
  await storeSpec(runDir, spec);
  const shards = await writeShards(items, runDir, options.shardSize);
  const manifest: RunManifest = {
    version: 1,
    runId: options.runId,
    tool: readToolInfo(),
    created: new Date().toISOString(),
    shards,
    command: options.command,
  };
  await writeManifest(runDir, manifest);
  return manifest;
}

/**
 * Hands every shard's items to `handle` in input order, each listing with its result, as soon as the
 * shard's results are there (reporting overlaps the workers' auditing); a shard that failed for good has
 * its listings reported as `run/shard-failed` problems (skipped records) and its reader problems as read.
 * Ends when the flow's merge job has confirmed the run.
 */
async function mergeShards(
  queue: Queue,
  runDir: string,
  manifest: RunManifest,
  options: QueueRunOptions,
  handle: (item: SourceItem, outcome?: AuditedRecord) => Promise<void>,
  outcome: QueueRunOutcome,
): Promise<void> {
  const started = Date.now();
  const progress = (shardsDone: number, listingsDone: number): void =>
    options.onProgress?.({
      shards: manifest.shards.length,
      shardsDone,
      listings: manifest.shards.reduce((n, s) => n + s.listings, 0),
      listingsDone,
      elapsedMs: Date.now() - started,
    });
  let listingsDone = 0;
  for (const [index, shard] of manifest.shards.entries()) {
    const results = resultFile(runDir, index);
    const reason = await waitForShard(queue, options.runId, index, results, () => progress(index, listingsDone));
    if (reason !== undefined) {
      outcome.failedShards++;
      outcome.failedListings += shard.listings;
      for await (const item of readShard(shardFile(runDir, index))) {
        if (item.kind === "listing")
          await handle({ kind: "problem", problem: shardFailedProblem(item.record, index, reason), skipped: true });
        else await handle(item);
      }
    } else {
      const audited = readResults(results)[Symbol.asyncIterator]();
      for await (const item of readShard(shardFile(runDir, index))) {
        if (item.kind !== "listing") {
          await handle(item);
          continue;
        }
        const next = await audited.next();
        if (next.done) throw new Error(`the results of shard ${index} end before its listings (${results})`);
        await handle(item, next.value);
      }
      if (!(await audited.next()).done)
        throw new Error(`the results of shard ${index} go past its listings (${results})`);
    }
    listingsDone += shard.listings;
    progress(index + 1, listingsDone);
  }
  await waitForMergeJob(queue, options.runId);
}

/**
 * Waits until a shard is settled: undefined once its results are written (whole: they appear by rename),
 * the reason when its job failed for good. A shard with neither a job nor results left the queue.
 */
async function waitForShard(
  queue: Queue,
  runId: string,
  index: number,
  results: string,
  onWait: () => void,
): Promise<string | undefined> {
  for (;;) {
    if (await isFile(results)) return undefined;
    const job = await Job.fromId(queue, shardJobId(runId, index));
    // The results may have appeared between the two looks.
    if (job === undefined) {
      if (await isFile(results)) return undefined;
      throw new RunGoneError(runId);
    }
    if ((await job.getState()) === "failed") return job.failedReason || "failed";
    onWait();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The flow's parent job has run once every shard is settled; a run whose jobs were removed has none. */
async function waitForMergeJob(queue: Queue, runId: string): Promise<void> {
  for (;;) {
    const state = await readRunState(queue, runId);
    if (state.state === "completed" || state.state === "missing") return;
    if (state.state === "failed") throw new Error(`the merge job of run ${runId} failed: ${state.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (found) => found.isFile(),
    () => false,
  );
}
