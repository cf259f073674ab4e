// Runs a run's records through the auditors in input order: on this thread, or in batches on worker
// threads (src/audit-pool.ts) once enough records have been read for them to pay off.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { auditSafely, type AuditorChooser, type AuditorSpec } from "./audit-environment.js";
import { startAuditPool, type AuditPool } from "./audit-pool.js";
import type { AuditedRecord } from "./audit-wire.js";
import type { Listing, ListingRecord, SourceItem } from "./model.js";

/** What the scheduler needs of a run: how to build and choose auditors, which records not to audit, how many threads. */
export interface Scheduling {
  /** What worker threads build the run's auditors from. */
  spec: AuditorSpec;
  auditorFor: AuditorChooser;
  isAllowlisted(record: ListingRecord): boolean;
  /** Worker threads (see AuditOptions.threads); default one per core beyond this thread's, at most 3. */
  threads?: number;
  /** Records audited on this thread before the workers start (see AuditOptions.threadsAfter). */
  threadsAfter?: number;
}

/**
 * Records per batch sent to a worker thread: large enough that messaging costs little, small enough
 * that records and results die young. Records that wait long in flight outlive two scavenges, move to
 * V8's old generation and inflate this thread's heap until the next full GC: with 256-record batches
 * a 100,000-listing run peaked at ~275 MB of RSS, with 32-record ones at ~230 MB, at the same speed.
 */
const BATCH_SIZE = 32;
/** Characters of text per batch, so a few huge descriptions travel alone rather than 32 at a time. */
const BATCH_CHARS = 4 * 1024 * 1024;
/**
 * Batches each worker may have queued before this thread audits the next one itself (bounded memory,
 * workers never idle). A busy main thread learns late that a worker has answered, so with 2 a worker
 * sat idle 12 % of a 50,000-listing run (event-loop utilisation 0.88 against the main thread's 0.99);
 * with 4 or more it stays at 0.98–0.99.
 */
const IN_FLIGHT_PER_THREAD = 4;
/** Batches this thread may audit while the oldest batch is still on a worker. */
const AHEAD_OF_WORKERS = 2;
/**
 * The most worker threads a run may ask for. Each costs about 40 MB and its share of the cores; past
 * this, more threads only cost memory and start-up time (32 threads took 1.4 GB and 52 s where the default took 6 s).
 */
export const MAX_THREADS = 16;

/** Records audited on the main thread before worker threads start. */
const THREADS_AFTER = 200;
/** More workers than this only wait for the one thread that reads and reports. */
const MAX_DEFAULT_THREADS = 3;

/** One worker per core beyond this thread's, up to MAX_DEFAULT_THREADS. */
function defaultThreads(): number {
  return Math.max(0, Math.min(MAX_DEFAULT_THREADS, availableParallelism() - 1));
}

/** Source items read while worker threads audit, in input order; `index` points into `records` for audited ones. */
interface Chunk {
  entries: { item: SourceItem; index: number }[];
  records: ListingRecord[];
  /** Characters of buyer-visible text in `records`. */
  chars: number;
  /** Resolves to undefined when no worker could audit the batch. */
  outcomes?: Promise<AuditedRecord[] | undefined>;
  /** Sent to a worker (rather than audited here). */
  onWorker?: boolean;
  /** Its outcomes are known: it can be reported without waiting. */
  settled?: boolean;
}

/** What audits a run's source items and hands each to `handle` in input order: this module, or the queue (src/queue/). */
export type ItemAuditing = (
  items: AsyncIterable<SourceItem>,
  handle: (item: SourceItem, outcome?: AuditedRecord) => Promise<void>,
  scheduling: Scheduling,
) => Promise<void>;

/**
 * Hands every source item to `handle` in input order. Records are audited on this thread, or — with
 * `threads` — in batches on worker threads once enough records have been read for them to pay off;
 * while every worker has a full queue, this thread audits the next batch itself, so no core waits.
 */
export async function auditInOrder(
  items: AsyncIterable<SourceItem>,
  handle: (item: SourceItem, outcome?: AuditedRecord) => Promise<void>,
  scheduling: Scheduling,
): Promise<void> {
  const threads = scheduling.threads ?? defaultThreads();
  const script = threads > 0 ? findWorkerScript() : undefined;
  const after = scheduling.threadsAfter ?? THREADS_AFTER;
  let pool: AuditPool | undefined;
  let poolReady = false;
  const startPool = (worker: URL): AuditPool => {
    const started = startAuditPool(worker, scheduling.spec, threads);
    void started.ready.then(() => (poolReady = true));
    return started;
  };
  let chunk: Chunk = { entries: [], records: [], chars: 0 };
  const inFlight: Chunk[] = [];
  const flush = async (done: Chunk): Promise<void> => {
    const outcomes = await done.outcomes;
    for (const entry of done.entries) await handle(entry.item, entry.index < 0 ? undefined : outcomes?.[entry.index]);
  };
  try {
    let records = 0;
    let caught: unknown;
    try {
      // No head start for this thread: the workers are started, and waited for, before the first record.
      if (after === 0 && script !== undefined) {
        pool = startPool(script);
        await pool.ready;
        poolReady = true;
      }
      for await (const item of items) {
        // Small runs stay on this thread: starting workers costs more than it saves on a few hundred records.
        if (pool === undefined && script !== undefined && item.kind === "listing" && ++records > after)
          pool = startPool(script);
        // Workers take a moment to build their auditors: this thread audits until they are ready.
        if (pool === undefined || !poolReady) {
          await handle(item);
          continue;
        }
        const audited = item.kind === "listing" && !scheduling.isAllowlisted(item.record);
        const index = audited ? chunk.records.push(item.record) - 1 : -1;
        if (audited) chunk.chars += countTextChars(item.record.listing);
        chunk.entries.push({ item, index });
        if (chunk.entries.length >= BATCH_SIZE || chunk.chars >= BATCH_CHARS) {
          // Workers with a full queue: this thread audits the batch itself instead of waiting idle.
          const workersBusy = inFlight.filter((c) => c.onWorker && !c.settled).length >= IN_FLIGHT_PER_THREAD * threads;
          inFlight.push(workersBusy ? auditHere(chunk, scheduling.auditorFor) : dispatchChunk(pool, chunk));
          chunk = { entries: [], records: [], chars: 0 };
          // Finished batches are reported in order; reading waits only when too many are queued (flat memory).
          while (
            inFlight[0] !== undefined &&
            (inFlight[0].settled || inFlight.length > IN_FLIGHT_PER_THREAD * threads + AHEAD_OF_WORKERS)
          ) {
            await flush(inFlight.shift()!);
          }
        }
      }
    } catch (error) {
      caught = error;
    }
    // What was read before a failing input is still reported, in order.
    if (pool !== undefined) inFlight.push(dispatchChunk(pool, chunk));
    for (const done of inFlight.splice(0)) await flush(done);
    if (caught !== undefined) throw caught;
  } finally {
    await pool?.close();
  }
}

/** The length of the text fields a worker reads: what a batch costs to send and to audit. */
function countTextChars(listing: Listing): number {
  let chars = 0;
  for (const text of [listing.title, listing.subtitle, listing.description, listing.mobileDescription])
    if (typeof text === "string") chars += text.length;
  for (const sku of listing.skus ?? []) if (typeof sku.name === "string") chars += sku.name.length;
  return chars;
}

function dispatchChunk(pool: AuditPool, chunk: Chunk): Chunk {
  if (chunk.records.length === 0) return { ...chunk, settled: true };
  // A batch no worker could answer has no outcomes: `handle` audits its records on this thread.
  const outcomes = pool.auditBatch(chunk.records).then((outcome) => (outcome.ok ? outcome.results : undefined));
  const sent: Chunk = { ...chunk, outcomes, onWorker: true };
  void sent.outcomes?.then(() => (sent.settled = true));
  return sent;
}

/** Audits a batch on this thread, now, so that it is ready when its turn to be reported comes. */
function auditHere(chunk: Chunk, auditorFor: AuditorChooser): Chunk {
  const outcomes = chunk.records.map((record): AuditedRecord => {
    const { findings, problems } = auditSafely(auditorFor(record), record);
    return { findings, problems };
  });
  return { ...chunk, outcomes: Promise.resolve(outcomes), settled: true };
}

/** The built worker entry next to this module, or undefined when running from sources (tests), which audit on this thread. */
function findWorkerScript(): URL | undefined {
  const script = new URL("./audit-worker.js", import.meta.url);
  return existsSync(fileURLToPath(script)) ? script : undefined;
}
