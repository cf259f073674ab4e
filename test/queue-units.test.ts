// The queue's pieces that need no Redis: the queue address, shards on disk, the spec that travels with a
// run, job keys and the workers' metrics text.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { AuditorSpec } from "../src/audit-environment.js";
import type { SourceItem } from "../src/model.js";
import { parseQueueUrl } from "../src/queue/connection.js";
import { mergeJobId, shardIndexOf, shardJobId } from "../src/queue/flow.js";
import { createCounts, formatPrometheus } from "../src/queue/metrics.js";
import { loadSpec, prepareRunFolder, shardFile, storeSpec } from "../src/queue/run-folder.js";
import { createShardFeed } from "../src/queue/shard-feed.js";
import { readNdjson, readShard, ShardChangedError, writeShards } from "../src/queue/shards.js";

const work = mkdtempSync(path.join(os.tmpdir(), "queue-units-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The items of a run's first `count` shards, in order. */
async function readShardsBack(runDir: string, count: number): Promise<SourceItem[]> {
  const back: SourceItem[] = [];
  for (let index = 0; index < count; index++)
    for await (const item of readShard(shardFile(runDir, index))) back.push(item);
  return back;
}

describe("parseQueueUrl", () => {
  test.each([
    ["redis://127.0.0.1:6379", { host: "127.0.0.1", port: 6379 }, "bull"],
    ["redis://redis:6380/2", { host: "redis", port: 6380, db: 2 }, "bull"],
    ["redis://u:p%40ss@h/0?prefix=team-a", { host: "h", port: 6379, db: 0, username: "u", password: "p@ss" }, "team-a"],
  ])("%s", (url, connection, prefix) => {
    const parsed = parseQueueUrl(url);
    expect(parsed.ok && parsed.value.connection).toMatchObject({ ...connection, maxRetriesPerRequest: null });
    expect(parsed.ok && parsed.value.prefix).toBe(prefix);
    expect(parsed.ok && parsed.value.shown).not.toMatch(/p%40ss|p@ss/);
  });

  test.each([
    ["127.0.0.1:6379", /not a URL|expected redis:/],
    ["http://h:6379", /expected redis:\/\/host:port\[\/db\], got http:/],
    ["redis://h/x", /the database must be a number, got "x"/],
    ["redis://h/0?prefix=a:b", /the prefix may hold letters, digits/],
  ])("%s is refused", (url, message) => {
    const parsed = parseQueueUrl(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe("shards", () => {
  const listing = (id: string): SourceItem => ({
    kind: "listing",
    record: { listing: { id, title: `商品 ${id}` }, source: { file: "a.csv", row: Number(id), line: Number(id) + 2 } },
  });
  const problem: SourceItem = {
    kind: "problem",
    problem: { code: "csv/field-count", message: "bad", source: { file: "a.csv", row: 3 } },
    skipped: true,
  };

  async function* from(items: readonly SourceItem[], onRead?: (item: SourceItem) => void) {
    for (const item of items) {
      onRead?.(item);
      yield item;
    }
  }

  test("hold `shardSize` listings each, reader problems with the listings around them, every item once in order", async () => {
    const runDir = path.join(work, "run-1");
    await prepareRunFolder(runDir);
    const items = [listing("1"), listing("2"), problem, listing("4"), listing("5"), listing("6")];
    const shards = await writeShards(from(items), runDir, 2, async () => {});
    expect(shards).toEqual([
      { items: 2, listings: 2 },
      { items: 3, listings: 2 },
      { items: 1, listings: 1 },
    ]);
    expect(await readShardsBack(runDir, shards.length)).toEqual(items);
  });

  test("each shard is handed on once its file is complete, before the items of the next are read", async () => {
    const runDir = path.join(work, "run-handed-on");
    await prepareRunFolder(runDir);
    const events: string[] = [];
    const items = [listing("1"), listing("2"), listing("3"), listing("4"), listing("5")];
    await writeShards(
      from(items, (item) => events.push(`read ${item.kind === "listing" ? item.record.listing.id : "?"}`)),
      runDir,
      2,
      async (index, shard) => {
        // Whole, under its own name, when it is handed on.
        const lines = readFileSync(shardFile(runDir, index), "utf8").split("\n").filter(Boolean);
        events.push(`shard ${index}: ${lines.length} of ${shard.items}`);
      },
    );
    expect(events).toEqual([
      "read 1",
      "read 2",
      "shard 0: 2 of 2",
      "read 3",
      "read 4",
      "shard 1: 2 of 2",
      "read 5",
      "shard 2: 1 of 1",
    ]);
  });

  test("an input that fails half-way leaves no shard file behind for the shard being written", async () => {
    const runDir = path.join(work, "run-2");
    await prepareRunFolder(runDir);
    async function* failing() {
      yield listing("1");
      yield listing("2");
      yield listing("3");
      throw new Error("disk went away");
    }
    const handed: number[] = [];
    await expect(writeShards(failing(), runDir, 2, async (index) => void handed.push(index))).rejects.toThrow(
      "disk went away",
    );
    expect(handed).toEqual([0]);
    expect(readFileSync(shardFile(runDir, 0), "utf8").split("\n")).toHaveLength(3);
    expect(() => readFileSync(shardFile(runDir, 1))).toThrow(/ENOENT/);
    expect(readdirSync(path.join(runDir, "shards"))).toEqual(["000000.ndjson"]);
  });

  test("run again over the same inputs (a resumed producer): written shards are checked, not rewritten; the rest are written", async () => {
    const runDir = path.join(work, "run-resumed");
    await prepareRunFolder(runDir);
    const items = [listing("1"), listing("2"), problem, listing("4"), listing("5"), listing("6")];
    async function* cut() {
      yield* items.slice(0, 4);
      throw new Error("producer stopped");
    }
    await expect(writeShards(cut(), runDir, 2, async () => {})).rejects.toThrow("producer stopped");
    const first = statSync(shardFile(runDir, 0));
    const handed: number[] = [];
    const shards = await writeShards(from(items), runDir, 2, async (index) => void handed.push(index));
    expect(handed).toEqual([0, 1, 2]);
    expect(shards).toEqual([
      { items: 2, listings: 2 },
      { items: 3, listings: 2 },
      { items: 1, listings: 1 },
    ]);
    const again = statSync(shardFile(runDir, 0));
    expect([again.ino, again.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
    expect(await readShardsBack(runDir, shards.length)).toEqual(items);
  });

  test("run again over inputs that changed: the shard that differs stops the run before it is handed on", async () => {
    const runDir = path.join(work, "run-changed");
    await prepareRunFolder(runDir);
    await writeShards(from([listing("1"), listing("2"), listing("3")]), runDir, 2, async () => {});
    const handed: number[] = [];
    const changed = writeShards(from([listing("1"), listing("9"), listing("3")]), runDir, 2, async (index) => {
      handed.push(index);
    });
    await expect(changed).rejects.toBeInstanceOf(ShardChangedError);
    await expect(changed).rejects.toThrow(/shard 0 .*000000\.ndjson.* differs from the inputs read now/);
    expect(handed).toEqual([]);
  });

  test("a stop asked for while sharding ends the writing with its reason", async () => {
    const runDir = path.join(work, "run-stopped");
    await prepareRunFolder(runDir);
    const stop = new AbortController();
    const items = [listing("1"), listing("2"), listing("3"), listing("4")];
    const writing = writeShards(
      from(items),
      runDir,
      1,
      async (index) => {
        if (index === 1) stop.abort(new Error("the run was cancelled"));
      },
      stop.signal,
    );
    await expect(writing).rejects.toThrow("the run was cancelled");
    expect(readdirSync(path.join(runDir, "shards"))).toEqual(["000000.ndjson", "000001.ndjson"]);
  });
});

test("NDJSON read back line for line across reads of the file, multi-byte text included, with or without a last newline", async () => {
  const lines = Array.from({ length: 1500 }, (_, i) => ({
    i,
    text: `第 ${i} 行：包邮，新疆西藏除外 `.repeat(40 + (i % 7)),
  }));
  const file = path.join(work, "lines.ndjson");
  const text = lines.map((line) => JSON.stringify(line)).join("\n");
  expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
  for (const ending of ["", "\n"]) {
    writeFileSync(file, text + ending);
    const back: unknown[] = [];
    for await (const line of readNdjson(file)) back.push(line);
    expect(back).toEqual(lines);
  }
});

test("the merge's shard feed: a shard once it is added, undefined past the end, the stop's reason when stopped", async () => {
  const feed = createShardFeed();
  const second = feed.shard(1);
  feed.add({ items: 1, listings: 1 });
  expect(await feed.shard(0)).toEqual({ items: 1, listings: 1 });
  feed.add({ items: 3, listings: 2 });
  expect(await second).toEqual({ items: 3, listings: 2 });
  const stop = new AbortController();
  const waiting = feed.shard(2, stop.signal);
  stop.abort(new Error("sharding failed"));
  await expect(waiting).rejects.toThrow("sharding failed");
  const last = feed.shard(2);
  feed.end();
  expect(await last).toBeUndefined();
  expect(feed.known()).toHaveLength(2);
});

test("the stored spec carries copies of the templates that keep their names relative to the run's folder", async () => {
  const cwd = path.join(work, "shop");
  mkdirSync(path.join(cwd, "templates"), { recursive: true });
  writeFileSync(path.join(cwd, "templates", "t.yaml"), "templates: []\n");
  writeFileSync(path.join(work, "outside.yaml"), "templates: []\n");
  const spec: AuditorSpec = {
    cwd,
    templatePaths: [path.join(cwd, "templates"), path.join(work, "outside.yaml")],
    promotions: [],
    platform: "taobao",
    lang: "zh",
  };
  const runDir = path.join(work, "shared", "run-3");
  await prepareRunFolder(runDir);
  await storeSpec(runDir, spec);
  // As a worker that mounts the shared folder elsewhere sees it.
  const moved = path.join(work, "elsewhere");
  mkdirSync(moved);
  await import("node:fs/promises").then((fs) => fs.cp(runDir, path.join(moved, "run-3"), { recursive: true }));
  const loaded = await loadSpec(path.join(moved, "run-3"));
  expect(loaded.templatePaths.map((t) => path.relative(loaded.cwd, t))).toEqual(["templates", "../outside.yaml"]);
  expect(readFileSync(path.join(loaded.templatePaths[0] ?? "", "t.yaml"), "utf8")).toBe("templates: []\n");
  expect(loaded.templatePaths.every((t) => t.startsWith(moved))).toBe(true);
});

test("job ids derive from the run id; a job key names its shard", () => {
  expect(shardJobId("run-a", 12)).toBe("run-a.shard.12");
  expect(mergeJobId("run-a")).toBe("run-a.merge");
  expect(shardIndexOf("bull:listing-audit:run-a.shard.12")).toBe(12);
  expect(shardIndexOf("bull:listing-audit:run-a.merge")).toBeUndefined();
});

test("worker counts in Prometheus text format", () => {
  const counts = { ...createCounts(), listingsAudited: 62, jobsCompleted: 3 };
  const text = formatPrometheus(counts, { user: 1_500_000, system: 250_000 });
  expect(text).toContain(
    "# HELP listing_audit_worker_listings_audited_total Listings audited.\n# TYPE listing_audit_worker_listings_audited_total counter\nlisting_audit_worker_listings_audited_total 62\n",
  );
  expect(text).toMatch(/^listing_audit_worker_jobs_completed_total 3$/m);
  expect(text).toMatch(/^# TYPE listing_audit_worker_jobs_active gauge$/m);
  expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.75$/m);
});
