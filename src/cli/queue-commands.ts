// The command line of distributed runs (docs/scale.md): `audit --queue`, `worker` and `runs`.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { Queue } from "bullmq";
import type { Lang } from "../model.js";
import { connectRedis, parseQueueUrl, QUEUE_NAME, type QueueAddress } from "../queue/connection.js";
import { mergeJobId, readRunState, SHARD_ATTEMPTS } from "../queue/flow.js";
import { serveMetrics } from "../queue/metrics.js";
import {
  createQueueRun,
  InputsChangedError,
  RunDetachedError,
  RunGoneError,
  SharedFolderError,
  type QueueProgress,
  type QueueRunOutcome,
} from "../queue/producer.js";
import { findRun, listRuns, registerRun, type Registry } from "../queue/run-registry.js";
import { readRunStart, RUN_ID_PATTERN, runFolder } from "../queue/run-folder.js";
import { startWorker, type JobLogLine } from "../queue/worker.js";
import { escapeTerminalText } from "../report/escape-terminal.js";
import type { ItemAuditing } from "../audit-scheduler.js";
import type { CliIo } from "./io.js";
import type { CliOptions } from "./options.js";
import { QUEUE_MESSAGES as M } from "./queue-messages.js";
import type { Say } from "./say.js";
import { EXIT_ERROR, EXIT_OK, runLang, usageError } from "./shared.js";

/** Exit status of a distributed run whose reports lack the listings of shards that failed for good. */
export const EXIT_INCOMPLETE = 3;
/** Default listings per shard: about 20 s of one core's work, a few MB of NDJSON. */
const SHARD_SIZE = 20_000;
/** A job's lock lasts this long unrenewed (BullMQ's default): a dead worker's shard is handed on after about this. */
const LOCK_MS = 30_000;

/** A distributed run as the audit command drives it. */
export interface QueuedAudit {
  runId: string;
  auditItems: ItemAuditing;
  outcome(): QueueRunOutcome;
  /** Clears the progress line, when one is shown. */
  clearProgress(): void;
}

const stderrLine = (io: CliIo, message: Say): void => {
  io.stderr.write(`listing-audit: ${escapeTerminalText(message[runLang(io)])}\n`);
};

function queueAddress(options: CliOptions, io: CliIo, command: string): QueueAddress | number {
  if (options.queue.url === undefined) return usageError(io, M.needsQueue(command));
  const parsed = parseQueueUrl(options.queue.url);
  return parsed.ok ? parsed.value : usageError(io, M.badQueueUrl(parsed.message));
}

/**
 * The queue side of `audit`: undefined without `--queue`, an exit status when the options or the shared
 * folder do not allow a run.
 */
export async function prepareQueuedAudit(
  options: CliOptions,
  io: CliIo,
  showProgress: boolean,
): Promise<QueuedAudit | undefined | number> {
  const q = options.queue;
  if (q.url === undefined) {
    const stray = q.shared !== undefined || q.shardSize !== undefined || q.runId !== undefined || q.detach;
    return stray ? usageError(io, M.queueOnly) : undefined;
  }
  const address = queueAddress(options, io, "audit");
  if (typeof address === "number") return address;
  if (q.shared === undefined) return usageError(io, M.needsShared);
  if (q.runId !== undefined && !RUN_ID_PATTERN.test(q.runId)) return usageError(io, M.badRunId(q.runId));
  const shared = path.resolve(io.cwd, q.shared);
  const unwritable = await mkdir(shared, { recursive: true })
    .then(() => access(shared, constants.W_OK))
    .then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
  if (unwritable !== undefined) {
    stderrLine(io, M.sharedUnwritable(q.shared, unwritable));
    return EXIT_ERROR;
  }
  const runId = q.runId ?? newRunId();
  const progress = showProgress ? createQueueProgress(io) : undefined;
  if (io.interruption && progress) io.interruption.clearProgress = progress.clear;
  const run = createQueueRun({
    address,
    shared,
    runId,
    shardSize: q.shardSize ?? SHARD_SIZE,
    detach: q.detach,
    command: { argv: argvToResume(options.argv, runId), cwd: io.cwd },
    ...(progress ? { onProgress: progress.show } : {}),
  });
  return { runId, ...run, clearProgress: () => progress?.clear() };
}

/** The command line `runs resume` runs again: the same run id, and waiting for the reports. */
function argvToResume(argv: readonly string[], runId: string): string[] {
  const kept = argv.filter((arg) => arg !== "--detach");
  return kept.some((arg) => arg === "--run-id" || arg.startsWith("--run-id=")) ? kept : [...kept, "--run-id", runId];
}

function newRunId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "");
  return `run-${stamp}-${randomBytes(3).toString("hex")}`;
}

/** A progress line on a terminal while the workers audit (in place of a local run's): shards, listings, rate and time left. */
function createQueueProgress(io: CliIo): { show(progress: QueueProgress): void; clear(): void } {
  const lang = runLang(io);
  let shown = false;
  const clear = (): void => {
    if (shown) io.stderr.write("\r\u001b[K");
    shown = false;
  };
  const show = (p: QueueProgress): void => {
    const rate = p.elapsedMs > 0 ? Math.round((p.listingsDone * 1000) / p.elapsedMs) : 0;
    const eta = rate > 0 ? formatDuration(((p.listings - p.listingsDone) / rate) * 1000, lang) : "?";
    const line = M.progress(p.shardsDone, p.shards, p.listingsDone, p.listings, rate, eta)[lang];
    io.stderr.write(`\r\u001b[K${line}`);
    shown = true;
  };
  return { show, clear };
}

function formatDuration(ms: number, lang: Lang): string {
  const seconds = Math.round(ms / 1000);
  const [m, s] = [Math.floor(seconds / 60), seconds % 60];
  return lang === "zh" ? `${m} 分 ${s} 秒` : `${m}m ${s}s`;
}

/** What the audit command returns when a distributed run stopped short on purpose or lost its jobs. */
export function queuedAuditStopped(error: unknown, io: CliIo): number | undefined {
  if (error instanceof RunDetachedError) {
    stderrLine(io, M.detached(error.runId));
    return EXIT_OK;
  }
  if (error instanceof RunGoneError) {
    stderrLine(io, M.gone(error.runId));
    return EXIT_ERROR;
  }
  if (error instanceof InputsChangedError) {
    stderrLine(io, M.inputsChanged(error.runId, error.file));
    return EXIT_ERROR;
  }
  if (error instanceof SharedFolderError) {
    stderrLine(io, M.sharedUnwritable(error.folder, error.code));
    return EXIT_ERROR;
  }
  return undefined;
}

/** After the reports are written: a run with failed shards says so and exits 3. */
export function queuedAuditIncomplete(queued: QueuedAudit, io: CliIo): number | undefined {
  const { failedShards, failedListings } = queued.outcome();
  if (failedShards === 0) return undefined;
  stderrLine(io, M.incomplete(failedShards, failedListings));
  return EXIT_INCOMPLETE;
}

/** `listing-audit worker --queue redis://… [--concurrency N] [--shared DIR] [--metrics-port N] [--lock-ms N]`. */
export async function runWorkerCommand(options: CliOptions, io: CliIo): Promise<number> {
  const address = queueAddress(options, io, "worker");
  if (typeof address === "number") return address;
  const lang = runLang(io);
  const concurrency = options.crawl.concurrency ?? 1;
  const worker = startWorker({
    address,
    concurrency,
    ...(options.queue.shared === undefined ? {} : { shared: path.resolve(io.cwd, options.queue.shared) }),
    lockMs: options.queue.lockMs ?? LOCK_MS,
    // A shard that kills its worker is tried as often as one that throws.
    maxStalls: SHARD_ATTEMPTS - 1,
    log: (line) => io.stdout.write(`${formatJobLine(line, lang)}\n`),
  });
  const metrics =
    options.queue.metricsPort === undefined ? undefined : await serveMetrics(worker.counts, options.queue.metricsPort);
  stderrLine(io, M.workerReady(address.shown, concurrency));
  const where = metrics?.address();
  if (where && typeof where === "object") stderrLine(io, M.metricsAt(`http://127.0.0.1:${where.port}/metrics`));
  await new Promise<void>((resolve) => {
    if (io.interruption) io.interruption.graceful = resolve;
  });
  stderrLine(io, M.workerStopping);
  await worker.close();
  metrics?.close();
  return EXIT_OK;
}

/** One line per job: what, which run and shard, how many listings, how long. */
function formatJobLine(line: JobLogLine, lang: Lang): string {
  switch (line.kind) {
    case "shard":
      return `${M.shardDone[lang]} run=${line.runId} shard=${line.shard} listings=${line.listings} ms=${line.ms}`;
    case "merge":
      return `${M.mergeDone[lang]} run=${line.runId} failed=${line.failed}`;
    case "failed":
      return `${M.jobFailed[lang]} run=${line.runId}${line.shard === undefined ? "" : ` shard=${line.shard}`} attempt=${line.attempt} reason=${JSON.stringify(line.reason)}`;
  }
}

/** `listing-audit runs list|show <id>|cancel <id>|resume <id> --queue redis://…`. */
/**
 * `runs list|show|cancel|resume`; `rerun` runs a command line as the CLI does (resuming is running the
 * producer's command again), passed in so this module does not import the CLI that imports it.
 */
export async function runRunsCommand(
  options: CliOptions,
  io: CliIo,
  rerun: (argv: readonly string[], io: CliIo) => Promise<number>,
): Promise<number> {
  const [action, runId] = options.positionals;
  const known = ["list", "show", "cancel", "resume"];
  if (action === undefined || !known.includes(action) || (action !== "list" && runId === undefined))
    return usageError(io, M.runsUsage);
  const address = queueAddress(options, io, "runs");
  if (typeof address === "number") return address;
  const queue = new Queue(QUEUE_NAME, { connection: address.connection, prefix: address.prefix });
  const registry: Registry = { client: connectRedis(address), prefix: address.prefix };
  try {
    if (action === "list") return await printRuns(queue, registry, undefined, io);
    const entry = await findRun(registry, runId ?? "");
    if (entry === undefined) {
      stderrLine(io, M.noSuchRun(runId ?? ""));
      return EXIT_ERROR;
    }
    if (action === "show") return await printRuns(queue, registry, entry.runId, io);
    if (action === "cancel") {
      const removed = await queue.remove(mergeJobId(entry.runId), { removeChildren: true });
      await registerRun(registry, { ...entry, cancelled: true });
      io.stdout.write(`${M.cancelled(entry.runId, removed === 1)[runLang(io)]}\n`);
      return EXIT_OK;
    }
    const runDir = runFolder(
      options.queue.shared ? path.resolve(io.cwd, options.queue.shared) : entry.shared,
      entry.runId,
    );
    const command = (await readRunStart(runDir))?.command;
    if (command === undefined) {
      stderrLine(io, M.noCommand(entry.runId, runDir));
      return EXIT_ERROR;
    }
    // Resuming is running the producer's command again: finished shards keep their results.
    return await rerun(command.argv, { ...io, cwd: command.cwd });
  } finally {
    await queue.close();
    registry.client.disconnect();
  }
}

/** Shards of a run with results (temporary dot-files of workers at work are not results). */
async function countResults(runDir: string): Promise<number> {
  const names = await readdir(path.join(runDir, "results")).catch(() => []);
  return names.filter((name) => !name.startsWith(".")).length;
}

async function printRuns(queue: Queue, registry: Registry, only: string | undefined, io: CliIo): Promise<number> {
  const lang = runLang(io);
  const entries = (await listRuns(registry)).filter((e) => only === undefined || e.runId === only);
  if (entries.length === 0) io.stdout.write(`${M.noRuns[lang]}\n`);
  for (const entry of entries) {
    const state = await readRunState(queue, entry.runId);
    const sharding = entry.sharding === true && state.state === "waiting";
    const shown = entry.cancelled ? M.runStates.cancelled : sharding ? M.runStates.sharding : M.runStates[state.state];
    // A run without jobs (cancelled) counts the results it has; a run still sharding, of the shards enqueued so far.
    const done =
      state.state === "completed"
        ? entry.shards
        : state.state === "missing"
          ? await countResults(runFolder(entry.shared, entry.runId))
          : sharding
            ? state.finished
            : entry.shards - state.unprocessed;
    const failed = state.result ? Object.keys(state.result.failed).length : state.failed;
    io.stdout.write(`${M.runLine(entry.runId, shown[lang], done, entry.shards, failed, entry.listings)[lang]}\n`);
    if (only !== undefined) {
      io.stdout.write(`  ${runFolder(entry.shared, entry.runId)}\n`);
      for (const [index, reason] of Object.entries(state.result?.failed ?? {}))
        io.stdout.write(`  ${escapeTerminalText(M.failedShard(index, reason)[lang])}\n`);
    }
  }
  return EXIT_OK;
}
