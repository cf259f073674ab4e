// Shards on the shared folder: NDJSON, one source item a line (a listing with its original location, or
// a reader's problem), and per shard one results line per listing, in the shard's order.
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { AuditedRecord } from "../audit-pool.js";
import type { SourceItem } from "../model.js";
import { openAtomicFile, type AtomicFile } from "../util/atomic-file.js";
import { shardFile, type ShardInfo } from "./run-folder.js";

/** Writes the items into shards of `shardSize` listings each (reader problems go with the listings around them). */
export async function writeShards(
  items: AsyncIterable<SourceItem>,
  runDir: string,
  shardSize: number,
): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let open: { file: AtomicFile; info: ShardInfo } | undefined;
  try {
    for await (const item of items) {
      if (open === undefined) {
        open = { file: await openAtomicFile(shardFile(runDir, shards.length)), info: { items: 0, listings: 0 } };
      }
      await writeLine(open.file, JSON.stringify(item));
      open.info.items++;
      if (item.kind === "listing") open.info.listings++;
      if (open.info.listings >= shardSize) {
        await open.file.commit();
        shards.push(open.info);
        open = undefined;
      }
    }
    if (open !== undefined) {
      await open.file.commit();
      shards.push(open.info);
      open = undefined;
    }
  } finally {
    await open?.file.abort();
  }
  return shards;
}

export async function writeLine(file: AtomicFile, line: string): Promise<void> {
  if (!file.stream.write(`${line}\n`)) await once(file.stream, "drain");
}

/** The lines of an NDJSON file, parsed, in order. */
export async function* readNdjson<T>(file: string): AsyncIterable<T> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== "") yield JSON.parse(line) as T;
}

export const readShard = (file: string): AsyncIterable<SourceItem> => readNdjson<SourceItem>(file);
export const readResults = (file: string): AsyncIterable<AuditedRecord> => readNdjson<AuditedRecord>(file);
