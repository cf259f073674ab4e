// A queue worker (`listing-audit worker`): takes shard jobs of any run, audits each shard with the same
// auditors a local run builds (from the run's stored spec), and writes the shard's results next to it.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { auditSafely, buildAuditorFor, type AuditorChooser } from "../audit-environment.js";
import { readToolInfo } from "../audit.js";
import { openAtomicFile } from "../util/atomic-file.js";
import { formatLocatedError } from "../util/result.js";
import { QUEUE_NAME, type QueueAddress } from "./connection.js";
import {
  MERGE_JOB,
  SHARD_JOB,
  shardIndexOf,
  type MergeResult,
  type ShardJobData,
  type ShardJobResult,
} from "./flow.js";
import { createCounts, type WorkerCounts } from "./metrics.js";
import { loadSpec, readRunStart, resultFile, runFolder, shardFile } from "./run-folder.js";
import { createLineWriter, readShard } from "./shards.js";

export interface WorkerOptions {
  address: QueueAddress;
  concurrency: number;
  /** This machine's mount point of the shared folder, when it differs from the producer's. */
  shared?: string;
  /** How long a job's lock lasts unrenewed: a worker that died is noticed after about this long. */
  lockMs: number;
  /** Times a job may stall (its worker died) before it fails for good. */
  maxStalls: number;
  /** One line per finished job. */
  log: (line: JobLogLine) => void;
}

export type JobLogLine =
  | { kind: "shard"; runId: string; shard: number; listings: number; ms: number }
  | { kind: "merge"; runId: string; failed: number }
  | { kind: "failed"; runId: string; shard?: number; attempt: number; reason: string };

/** Listings audited between two yields to the event loop, so the job's lock is renewed during long shards. */
const SLICE = 64;
/** Listings between two progress reports to Redis. */
const PROGRESS_EVERY = 2000;
/** Auditors kept for this many runs (a worker usually serves one or two at a time). */
const RUNS_CACHED = 4;

export interface RunningWorker {
  counts: WorkerCounts;
  /** Stops taking jobs and lets the current ones finish. */
  close(): Promise<void>;
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const counts = createCounts();
  const auditors = new Map<string, Promise<AuditorChooser>>();
  const auditorsFor = (runDir: string): Promise<AuditorChooser> => {
    let found = auditors.get(runDir);
    if (found === undefined) {
      found = loadRunAuditors(runDir);
      // A run whose auditors could not be built is tried afresh by the next job.
      found.catch(() => auditors.delete(runDir));
      auditors.set(runDir, found);
      if (auditors.size > RUNS_CACHED) auditors.delete(auditors.keys().next().value as string);
    }
    return found;
  };
  const process = async (job: Job): Promise<ShardJobResult | MergeResult> => {
    counts.jobsActive++;
    try {
      return job.name === MERGE_JOB ? await mergeJob(job) : await shardJob(job, options, auditorsFor, counts);
    } finally {
      counts.jobsActive--;
    }
  };
  const worker = new Worker(QUEUE_NAME, process, {
    connection: options.address.connection,
    prefix: options.address.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
    maxStalledCount: options.maxStalls,
  });
  worker.on("completed", (job, result: ShardJobResult | MergeResult) => {
    counts.jobsCompleted++;
    const { runId } = job.data as ShardJobData;
    if (job.name === SHARD_JOB && "listings" in result)
      options.log({ kind: "shard", runId, shard: result.index, listings: result.listings, ms: result.ms });
    else if ("failed" in result) options.log({ kind: "merge", runId, failed: Object.keys(result.failed).length });
  });
  worker.on("failed", (job, error) => {
    counts.jobsFailed++;
    if (job === undefined) return;
    const data = job.data as ShardJobData;
    options.log({
      kind: "failed",
      runId: data.runId,
      ...(job.name === SHARD_JOB ? { shard: data.index } : {}),
      attempt: job.attemptsMade,
      reason: error.message,
    });
  });
  // Connection errors are retried by the client (a Redis restart); without a listener they would be thrown.
  worker.on("error", () => {});
  return { counts, close: () => worker.close() };
}

async function loadRunAuditors(runDir: string): Promise<AuditorChooser> {
  const run = await readRunStart(runDir);
  if (run === undefined) throw new Error(`no run in ${runDir} (is the shared folder mounted here?)`);
  const tool = readToolInfo();
  // The same findings need the same rules: a worker of another version would report something else.
  if (run.tool.version !== tool.version)
    throw new UnrecoverableError(`run made by version ${run.tool.version}, this worker is ${tool.version}`);
  const built = await buildAuditorFor(await loadSpec(runDir));
  if (!built.ok) throw new UnrecoverableError(built.errors.map(formatLocatedError).join("; "));
  return built.value;
}

async function shardJob(
  job: Job,
  options: WorkerOptions,
  auditorsFor: (runDir: string) => Promise<AuditorChooser>,
  counts: WorkerCounts,
): Promise<ShardJobResult> {
  const data = job.data as ShardJobData;
  const started = Date.now();
  const runDir = runFolder(options.shared ?? data.shared, data.runId);
  const auditorFor = await auditorsFor(runDir);
  // The results appear whole or not at all: a worker that dies leaves only a temporary dot-file.
  const results = createLineWriter(await openAtomicFile(resultFile(runDir, data.index)));
  let listings = 0;
  try {
    for await (const item of readShard(shardFile(runDir, data.index))) {
      if (item.kind !== "listing") continue;
      const { findings, problems } = auditSafely(auditorFor(item.record), item.record);
      await results.write(JSON.stringify({ findings, problems }));
      listings++;
      if (listings % SLICE === 0) await yieldToEventLoop();
      if (listings % PROGRESS_EVERY === 0) await job.updateProgress(listings);
    }
    await results.commit();
  } catch (error) {
    await results.abort();
    throw error;
  }
  const ms = Date.now() - started;
  counts.listingsAudited += listings;
  counts.auditMs += ms;
  return { index: data.index, listings, ms };
}

/** The parent job: runs once every shard is done or failed for good, and names the failed ones. */
async function mergeJob(job: Job): Promise<MergeResult> {
  const failures = await job.getIgnoredChildrenFailures();
  const failed: Record<string, string> = {};
  for (const [key, reason] of Object.entries(failures)) {
    const index = shardIndexOf(key);
    if (index !== undefined) failed[String(index)] = reason;
  }
  return { failed };
}
