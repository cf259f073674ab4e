// The producer of a distributed run (`audit --queue`): shards the inputs onto the shared folder,
// enqueues the flow, waits for it, and hands the shards' results to the run's reporters in input order,
// so the reports are those of a local run of the same inputs.
import { access, constants } from "node:fs";
import { promisify } from "node:util";
import { Queue } from "bullmq";
import type { AuditedRecord } from "../audit-pool.js";
import type { ItemAuditing } from "../audit-scheduler.js";
import type { SourceItem } from "../model.js";
import { readToolInfo } from "../audit.js";
import { connectRedis, QUEUE_NAME, type QueueAddress } from "./connection.js";
import { enqueueRun, readRunState, type MergeResult } from "./flow.js";
import { findRun, registerRun } from "./run-registry.js";
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

/** The run was cancelled (`runs cancel`) or its jobs removed while this process waited. */
export class RunGoneError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} is no longer on the queue`);
  }
}

const POLL_MS = 500;

/** What `audit()` calls instead of auditing on this process, and the outcome it leaves once done. */
export function createQueueRun(options: QueueRunOptions): { auditItems: ItemAuditing; outcome(): QueueRunOutcome } {
  const outcome: QueueRunOutcome = { shards: 0, failedShards: 0, failedListings: 0 };
  const auditItems: ItemAuditing = async (items, handle, scheduling) => {
    const runDir = runFolder(options.shared, options.runId);
    const queue = new Queue(QUEUE_NAME, { connection: options.address.connection, prefix: options.address.prefix });
    const registry = { client: connectRedis(options.address), prefix: options.address.prefix };
    try {
      const manifest = (await readManifest(runDir)) ?? (await shardRun(items, runDir, scheduling.spec, options));
      outcome.shards = manifest.shards.length;
      if ((await findRun(registry, options.runId)) === undefined) {
        await registerRun(registry, {
          runId: options.runId,
          shared: options.shared,
          created: manifest.created,
          shards: manifest.shards.length,
          listings: manifest.shards.reduce((n, s) => n + s.listings, 0),
        });
      }
      if ((await readRunState(queue, options.runId)).state === "missing") {
        // Re-running a run enqueues only the shards without results: finished work is not redone.
        const pending: number[] = [];
        for (const [index] of manifest.shards.entries())
          if (!(await exists(resultFile(runDir, index)))) pending.push(index);
        await enqueueRun(options.address, { runId: options.runId, shared: options.shared }, pending);
      }
      if (options.detach) throw new RunDetachedError(options.runId);
      const merged = await waitForMerge(queue, manifest, options);
      await mergeShards(runDir, manifest, merged, handle, outcome);
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

async function waitForMerge(queue: Queue, manifest: RunManifest, options: QueueRunOptions): Promise<MergeResult> {
  const started = Date.now();
  const listings = manifest.shards.reduce((n, s) => n + s.listings, 0);
  for (;;) {
    const state = await readRunState(queue, options.runId);
    if (state.state === "completed" && state.result) return state.result;
    if (state.state === "failed")
      throw new Error(`the merge job of run ${options.runId} failed: ${state.failedReason}`);
    if (state.state === "missing") throw new RunGoneError(options.runId);
    // Shards finished before a resume are not in this flow: they count as done from the start.
    const shardsDone = manifest.shards.length - state.unprocessed;
    let listingsDone = 0;
    for (const [index, shard] of manifest.shards.entries()) if (index < shardsDone) listingsDone += shard.listings;
    options.onProgress?.({
      shards: manifest.shards.length,
      shardsDone,
      listings,
      listingsDone,
      elapsedMs: Date.now() - started,
    });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Hands every shard's items to `handle` in input order, each listing with its result; a failed shard's
 * listings become `run/shard-failed` problems (skipped records), its reader problems are reported as read.
 */
async function mergeShards(
  runDir: string,
  manifest: RunManifest,
  merged: MergeResult,
  handle: (item: SourceItem, outcome?: AuditedRecord) => Promise<void>,
  outcome: QueueRunOutcome,
): Promise<void> {
  for (const [index, shard] of manifest.shards.entries()) {
    const results = resultFile(runDir, index);
    const reason = merged.failed[String(index)] ?? ((await exists(results)) ? undefined : "no results");
    if (reason !== undefined) {
      outcome.failedShards++;
      outcome.failedListings += shard.listings;
      for await (const item of readShard(shardFile(runDir, index))) {
        if (item.kind === "listing")
          await handle({ kind: "problem", problem: shardFailedProblem(item.record, index, reason), skipped: true });
        else await handle(item);
      }
      continue;
    }
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
  }
}

const accessAsync = promisify(access);

async function exists(file: string): Promise<boolean> {
  return accessAsync(file, constants.R_OK).then(
    () => true,
    () => false,
  );
}
