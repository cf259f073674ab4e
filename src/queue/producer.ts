// The producer of a distributed run (`audit --queue`): shards the inputs onto the shared folder, enqueuing
// each shard as soon as it is written, and meanwhile hands the shards' results to the run's reporters in
// input order as they come, so the reports are those of a local run of the same inputs.
import { stat } from "node:fs/promises";
import { Job, Queue } from "bullmq";
import type { AuditedRecord } from "../audit-wire.js";
import type { ItemAuditing } from "../audit-scheduler.js";
import type { SourceItem } from "../model.js";
import { readToolInfo } from "../audit.js";
import { connectRedis, QUEUE_NAME, type QueueAddress } from "./connection.js";
import { closeRun, enqueueRun, enqueueShard, openRun, readRunState, shardJobId } from "./flow.js";
import { registerRun, type Registry, type RunEntry } from "./run-registry.js";
import {
  prepareRunFolder,
  readManifest,
  resultFile,
  runFolder,
  shardFile,
  storeSpec,
  writeManifest,
  writeRunStart,
  type RunManifest,
  type ShardInfo,
} from "./run-folder.js";
import { createShardFeed, settledFeed, unlessAborted, type ShardFeed } from "./shard-feed.js";
import { shardFailedProblem } from "./shard-failed.js";
import { readResults, readShard, ShardChangedError, writeShards } from "./shards.js";

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

/** A resumed run's inputs no longer hold what its shards hold: it cannot go on with them. */
export class InputsChangedError extends Error {
  constructor(
    readonly runId: string,
    readonly file: string,
  ) {
    super(`the inputs of run ${runId} changed since ${file} was written`);
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
      const manifest = await readManifest(runDir);
      if (manifest !== undefined) {
        // Every shard was written and enqueued: the reports are what is left (and the jobs, if Redis lost them).
        await resumeEnqueued(queue, registry, runDir, manifest, options);
        outcome.shards = manifest.shards.length;
        if (options.detach) throw new RunDetachedError(options.runId);
        await mergeShards(queue, runDir, settledFeed(manifest.shards), options, handle, outcome, undefined);
        return;
      }
      const feed = createShardFeed();
      const stop = new AbortController();
      const sharding = shardAndEnqueue(
        items,
        scheduling.spec,
        queue,
        registry,
        runDir,
        options,
        feed,
        stop.signal,
      ).then((shards) => {
        outcome.shards = shards.length;
        feed.end();
      });
      if (options.detach) {
        await sharding;
        throw new RunDetachedError(options.runId);
      }
      await together(stop, [sharding, mergeShards(queue, runDir, feed, options, handle, outcome, stop.signal)]);
    } finally {
      await queue.close();
      registry.client.disconnect();
    }
  };
  return { auditItems, outcome: () => outcome };
}

/** Runs tasks side by side; the first to fail stops the others (through `stop`), and its error is thrown. */
async function together(stop: AbortController, tasks: Promise<void>[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  await Promise.all(
    tasks.map((task) =>
      task.catch((error: unknown) => {
        failure ??= { error };
        stop.abort(error);
      }),
    ),
  );
  if (failure !== undefined) throw failure.error;
}

const runEntry = (options: QueueRunOptions, created: string, shards: readonly ShardInfo[]): RunEntry => ({
  runId: options.runId,
  shared: options.shared,
  created,
  shards: shards.length,
  listings: shards.reduce((n, s) => n + s.listings, 0),
});

/** A run whose shards were all enqueued before: enqueued again if Redis lost them, and its merge let go. */
async function resumeEnqueued(
  queue: Queue,
  registry: Registry,
  runDir: string,
  manifest: RunManifest,
  options: QueueRunOptions,
): Promise<void> {
  // (Re)registered on every start: a cancelled run enqueued again is running again.
  await registerRun(registry, runEntry(options, manifest.created, manifest.shards));
  const run = { runId: options.runId, shared: options.shared };
  if ((await readRunState(queue, options.runId)).state === "missing") {
    // Re-running a run enqueues only the shards without results: finished work is not redone.
    const pending: number[] = [];
    for (const [index] of manifest.shards.entries())
      if (!(await isFile(resultFile(runDir, index)))) pending.push(index);
    await enqueueRun(options.address, run, pending);
  } else {
    // A producer that stopped between its manifest and letting the merge job go.
    await closeRun(options.address, options.runId);
  }
}

/**
 * Reads the inputs into shards, each enqueued as soon as its file is complete (the workers start on the
 * first while the producer reads on), then writes the manifest and lets the merge job go. A producer
 * interrupted before the manifest is run again from the start of the inputs: the shards already written
 * are checked rather than written, and those already enqueued are not enqueued twice.
 */
async function shardAndEnqueue(
  items: AsyncIterable<SourceItem>,
  spec: Parameters<typeof storeSpec>[1],
  queue: Queue,
  registry: Registry,
  runDir: string,
  options: QueueRunOptions,
  feed: ShardFeed,
  signal: AbortSignal,
): Promise<readonly ShardInfo[]> {
  // Only file-system errors are the folder's; anything else (a reader's bug, Redis, the merge) stays what it is.
  const folderError = (error: NodeJS.ErrnoException): unknown =>
    error.code === undefined || error === signal.reason ? error : new SharedFolderError(runDir, error.code);
  const inFolder = async <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: NodeJS.ErrnoException) => {
      throw folderError(error);
    });
  const created = new Date().toISOString();
  const run = { runId: options.runId, shared: options.shared };
  await inFolder(
    prepareRunFolder(runDir)
      .then(() => storeSpec(runDir, spec))
      .then(() => writeRunStart(runDir, { runId: options.runId, tool: readToolInfo(), command: options.command })),
  );
  await registerRun(registry, { ...runEntry(options, created, []), sharding: true });
  await openRun(queue, options.address, run);
  let enqueueFailure: unknown;
  const enqueue = async (index: number, shard: ShardInfo): Promise<void> => {
    try {
      // A shard with results (a run enqueued again after Redis lost it) is not redone.
      const done = await isFile(resultFile(runDir, index));
      if (!done && !(await enqueueShard(queue, run, index))) throw new RunGoneError(options.runId);
      feed.add(shard);
      await registerRun(registry, { ...runEntry(options, created, feed.known()), sharding: true });
    } catch (error) {
      enqueueFailure = error;
      throw error;
    }
  };
  const shards = await writeShards(items, runDir, options.shardSize, enqueue, signal).catch(
    (error: NodeJS.ErrnoException) => {
      if (error instanceof ShardChangedError) throw new InputsChangedError(options.runId, error.file);
      throw error === enqueueFailure ? error : folderError(error);
    },
  );
  const manifest: RunManifest = {
    version: 1,
    runId: options.runId,
    tool: readToolInfo(),
    created,
    shards,
    command: options.command,
  };
  await inFolder(writeManifest(runDir, manifest));
  await registerRun(registry, runEntry(options, created, shards));
  await closeRun(options.address, options.runId);
  return shards;
}

/**
 * Hands every shard's items to `handle` in input order, each listing with its result, as soon as the
 * shard's results are there (reporting overlaps the workers' auditing); a shard that failed for good has
 * its listings reported as `run/shard-failed` problems (skipped records) and its reader problems as read.
 * Shard k is merged once shards 0..k are, while later ones may still be being written. Ends when the
 * flow's merge job has confirmed the run.
 */
async function mergeShards(
  queue: Queue,
  runDir: string,
  feed: ShardFeed,
  options: QueueRunOptions,
  handle: (item: SourceItem, outcome?: AuditedRecord) => Promise<void>,
  outcome: QueueRunOutcome,
  signal: AbortSignal | undefined,
): Promise<void> {
  const started = Date.now();
  // While sharding goes on, the totals are those enqueued so far.
  const progress = (shardsDone: number, listingsDone: number): void =>
    options.onProgress?.({
      shards: feed.known().length,
      shardsDone,
      listings: feed.known().reduce((n, s) => n + s.listings, 0),
      listingsDone,
      elapsedMs: Date.now() - started,
    });
  let listingsDone = 0;
  for (let index = 0; ; index++) {
    const shard = await feed.shard(index, signal);
    if (shard === undefined) break;
    const results = resultFile(runDir, index);
    const reason = await waitForShard(queue, options.runId, index, results, signal, () =>
      progress(index, listingsDone),
    );
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
  await waitForMergeJob(queue, options.runId, signal);
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
  signal: AbortSignal | undefined,
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
    await poll(signal);
  }
}

/** The flow's parent job has run once every shard is settled; a run whose jobs were removed has none. */
async function waitForMergeJob(queue: Queue, runId: string, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    const state = await readRunState(queue, runId);
    if (state.state === "completed" || state.state === "missing") return;
    if (state.state === "failed") throw new Error(`the merge job of run ${runId} failed: ${state.failedReason}`);
    await poll(signal);
  }
}

const poll = (signal: AbortSignal | undefined): Promise<void> =>
  unlessAborted(new Promise((resolve) => setTimeout(resolve, POLL_MS)), signal);

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (found) => found.isFile(),
    () => false,
  );
}
