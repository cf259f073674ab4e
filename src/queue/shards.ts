// Shards on the shared folder: NDJSON, one source item a line (a listing with its original location, or
// a reader's problem), and per shard one results line per listing, in the shard's order.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { stat } from "node:fs/promises";
import type { AuditedRecord } from "../audit-wire.js";
import type { SourceItem } from "../model.js";
import { openAtomicFile, type AtomicFile } from "../util/atomic-file.js";
import { shardFile, type ShardInfo } from "./run-folder.js";

/** A shard file already on the folder that does not hold what the inputs hold now. */
export class ShardChangedError extends Error {
  constructor(
    readonly index: number,
    readonly file: string,
  ) {
    super(`shard ${index} (${file}) differs from the inputs read now`);
  }
}

/** Where a shard's lines go: a new file, or the check of a file an earlier producer of the run wrote. */
interface ShardSink {
  write(line: string): Promise<void>;
  /** The shard is complete: its file is in place (or was, and holds the same lines). */
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Writes the items into shards of `shardSize` listings each (reader problems go with the listings around
 * them) and hands each shard to `onShard` as soon as its file is complete, while the next one is read.
 * A shard file that is already there was written, whole, by an earlier producer of the run that was
 * interrupted: it is not written again but checked against the items read now, so a resumed run never
 * mixes two versions of its inputs. A shard that was being written then left only a temporary file.
 */
export async function writeShards(
  items: AsyncIterable<SourceItem>,
  runDir: string,
  shardSize: number,
  onShard: (index: number, shard: ShardInfo) => Promise<void>,
  signal?: AbortSignal,
): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let open: { sink: ShardSink; info: ShardInfo } | undefined;
  const close = async (shard: { sink: ShardSink; info: ShardInfo }): Promise<void> => {
    open = undefined;
    await shard.sink.close();
    shards.push(shard.info);
    await onShard(shards.length - 1, shard.info);
  };
  try {
    for await (const item of items) {
      signal?.throwIfAborted();
      if (open === undefined) open = { sink: await openShard(runDir, shards.length), info: { items: 0, listings: 0 } };
      await open.sink.write(JSON.stringify(item));
      open.info.items++;
      if (item.kind === "listing") open.info.listings++;
      if (open.info.listings >= shardSize) await close(open);
    }
    if (open !== undefined) await close(open);
  } finally {
    await open?.sink.abort();
  }
  return shards;
}

async function openShard(runDir: string, index: number): Promise<ShardSink> {
  const file = shardFile(runDir, index);
  const existing = await stat(file).then(
    (found) => found.isFile(),
    () => false,
  );
  if (existing) return checkShard(index, file);
  const lines = createLineWriter(await openAtomicFile(file));
  return { write: lines.write, close: lines.commit, abort: lines.abort };
}

function checkShard(index: number, file: string): ShardSink {
  const read = createHash("sha256");
  return {
    write: async (line) => {
      read.update(`${line}\n`);
    },
    close: async () => {
      const stored = createHash("sha256");
      for await (const chunk of createReadStream(file)) stored.update(chunk as Buffer);
      if (stored.digest("hex") !== read.digest("hex")) throw new ShardChangedError(index, file);
    },
    abort: async () => {},
  };
}

/** Text gathered into pieces of about this many characters before it goes to the stream. */
const PIECE_CHARS = 64 * 1024;

/** Lines to an atomic file, written in pieces of ~64 KiB (one stream write a line costs more than the line). */
export function createLineWriter(file: AtomicFile): {
  write(line: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
} {
  let piece: string[] = [];
  let chars = 0;
  const flush = async (): Promise<void> => {
    if (piece.length === 0) return;
    const text = piece.join("");
    piece = [];
    chars = 0;
    if (!file.stream.write(text)) await once(file.stream, "drain");
  };
  return {
    write: async (line) => {
      piece.push(line, "\n");
      chars += line.length + 1;
      if (chars >= PIECE_CHARS) await flush();
    },
    commit: async () => {
      await flush();
      await file.commit();
    },
    abort: () => file.abort(),
  };
}

/**
 * The lines of an NDJSON file, parsed, in order. Split by hand in 1 MiB reads: readline's per-line
 * machinery cost about 40 % more CPU than this on shards of 3 KB lines (JSON never holds a raw newline).
 */
export async function* readNdjson<T>(file: string): AsyncIterable<T> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1024 * 1024 })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      if (end > start) yield JSON.parse(text.slice(start, end)) as T;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== "") yield JSON.parse(rest) as T;
}

export const readShard = (file: string): AsyncIterable<SourceItem> => readNdjson<SourceItem>(file);
export const readResults = (file: string): AsyncIterable<AuditedRecord> => readNdjson<AuditedRecord>(file);
