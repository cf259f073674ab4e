import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SourceItem } from "../src/model.js";
import { readersWith, readSources, resolveInputs } from "../src/sources/index.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import { splitJsonListings } from "../src/sources/json-splitter.js";
import { checkListing } from "../src/sources/listing-schema.js";
import { encodeText, inputOf } from "./fixtures/exports/taobao-export.js";
import { collect } from "./helpers/collect.js";

const cwd = fileURLToPath(new URL("./fixtures/cli/", import.meta.url));
const noStdin = Readable.from([]);

async function readAll(args: string[], stdin: Readable = noStdin): Promise<SourceItem[]> {
  const resolved = await resolveInputs(args, { cwd, stdin });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const items: SourceItem[] = [];
  for await (const item of readSources(resolved.value)) items.push(item);
  return items;
}

const summarise = (items: SourceItem[]) =>
  items.map((item) =>
    item.kind === "listing"
      ? { id: item.record.listing.id, ...item.record.source }
      : { code: item.problem.code, ...item.problem.source, skipped: item.skipped },
  );

describe("JSON listings", () => {
  it("audits good records and locates bad ones by row and line", async () => {
    expect(summarise(await readAll(["sources/broken.json"]))).toEqual([
      { id: "1001", file: "sources/broken.json", row: 1, line: 2 },
      { code: "listing/missing-id", file: "sources/broken.json", row: 2, line: 3, skipped: true },
      { code: "listing/invalid-field", file: "sources/broken.json", row: 3, line: 4, field: "price", skipped: true },
      { code: "json/syntax-error", file: "sources/broken.json", row: 4, line: 9, skipped: true },
      { code: "listing/duplicate-id", file: "sources/broken.json", row: 5, line: 10, skipped: false },
      { id: "1001#2", file: "sources/broken.json", row: 5, line: 10 },
      { id: "1006", file: "sources/broken.json", row: 6, line: 11 },
    ]);
  });

  it("reads numeric strings as numbers and numeric ids as strings", async () => {
    const items = await readAll(["sources/broken.json"]);
    const first = items[0];
    expect(first?.kind === "listing" && first.record.listing.price).toBe(39.9);
    const dup = items.find((i) => i.kind === "listing" && i.record.listing.id === "1001#2");
    expect(dup?.kind === "listing" && dup.record.listing.skus).toEqual([{ name: "红色", price: 10 }]);
  });

  it("renames a duplicate id only within its file: the same id in another file is not a problem", async () => {
    const stdin = Readable.from(['{"id":"w2","title":"包邮"}\n{"id":"w2","title":"包邮"}\n']);
    expect(summarise(await readAll(["sources/wrapped.json", "-"], stdin))).toEqual([
      { id: "w1", file: "sources/wrapped.json", row: 1, line: 4 },
      { id: "w2", file: "sources/wrapped.json", row: 2, line: 5 },
      { id: "w2", file: "-", row: 1, line: 1 },
      { code: "listing/duplicate-id", file: "-", row: 2, line: 2, skipped: false },
      { id: "w2#2", file: "-", row: 2, line: 2 },
    ]);
  });

  it("reads the listings array of a wrapper object, skipping other keys", async () => {
    expect(summarise(await readAll(["sources/wrapped.json"]))).toEqual([
      { id: "w1", file: "sources/wrapped.json", row: 1, line: 4 },
      { id: "w2", file: "sources/wrapped.json", row: 2, line: 5 },
    ]);
  });

  it("reports a broken structure at its line and keeps what came before", async () => {
    const events = [];
    for await (const e of splitJsonListings(Readable.from(['[{"id":"a"},\n', '{"id":"b"}\n', "} x"]))) events.push(e);
    expect(events).toEqual([
      { kind: "element", text: '{"id":"a"}', line: 1 },
      { kind: "element", text: '{"id":"b"}\n', line: 2 },
      { kind: "error", message: "unexpected '}' in an array", line: 3 },
      { kind: "end", listings: true, shape: "array" },
    ]);
  });

  it("splits elements across chunk boundaries, strings with brackets included", async () => {
    const text = JSON.stringify(
      {
        listings: [
          { id: "a", title: "包邮]}{" },
          { id: "b", title: '\\"' },
        ],
      },
      null,
      1,
    );
    const chunks = text.match(/[\s\S]{1,3}/g) ?? [];
    const texts: string[] = [];
    for await (const e of splitJsonListings(Readable.from(chunks))) if (e.kind === "element") texts.push(e.text);
    expect(texts.map((t) => JSON.parse(t))).toEqual([
      { id: "a", title: "包邮]}{" },
      { id: "b", title: '\\"' },
    ]);
  });
});

describe("JSONL and YAML listings", () => {
  it("reads JSONL line by line; a broken line is one problem", async () => {
    expect(summarise(await readAll(["sources/listings.jsonl"]))).toEqual([
      { id: "j1", file: "sources/listings.jsonl", row: 1, line: 1 },
      { code: "jsonl/syntax-error", file: "sources/listings.jsonl", row: 2, line: 3, skipped: true },
      { id: "j3", file: "sources/listings.jsonl", row: 3, line: 4 },
    ]);
  });

  it("reads YAML listings with lines", async () => {
    expect(summarise(await readAll(["sources/listings.yaml"]))).toEqual([
      { id: "y1", file: "sources/listings.yaml", row: 1, line: 3 },
      { code: "listing/missing-title", file: "sources/listings.yaml", row: 2, line: 6, skipped: true },
      { id: "y3", file: "sources/listings.yaml", row: 3, line: 8 },
    ]);
  });

  it("reads JSON, JSONL and YAML written on Windows: UTF-16 from PowerShell, GBK from Notepad", async () => {
    const documents = {
      "listings.json":
        '[\n  {"id": "w1", "title": "宝贝 全国包邮", "price": 9.9},\n  {"id": "w2", "title": "新疆西藏不发货"}\n]\n',
      "listings.jsonl":
        '{"id": "w1", "title": "宝贝 全国包邮", "price": 9.9}\n{"id": "w2", "title": "新疆西藏不发货"}\n',
      "listings.yaml": "- id: w1\n  title: 宝贝 全国包邮\n  price: 9.9\n- id: w2\n  title: 新疆西藏不发货\n",
    };
    const run = readersWith(htmlPageReader);
    for (const [name, text] of Object.entries(documents)) {
      for (const encoding of [
        "utf-8",
        "utf-8-bom",
        "utf-16le-bom",
        "utf-16be-bom",
        "utf-16le",
        "utf-16be",
        "gb18030",
      ] as const) {
        const input = inputOf(name.replace("listings", "x"), encodeText(text, encoding), 7);
        const reader = run.find((r) => r.detect(input));
        expect(reader?.format, `${name} ${encoding}`).toBe(name.split(".")[1]);
        const items = await collect(reader!.read(input, {}));
        expect(
          items.map((i) => (i.kind === "listing" ? i.record.listing : i.problem.message)),
          `${name} ${encoding}`,
        ).toEqual([
          { id: "w1", title: "宝贝 全国包邮", price: 9.9 },
          { id: "w2", title: "新疆西藏不发货" },
        ]);
      }
    }
  });

  it("reads stdin", async () => {
    const items = await readAll(
      ["-"],
      Readable.from([Buffer.from('{"id":"s1","title":"包邮"}\n{"id":"s2","title":"x"}\n')]),
    );
    expect(summarise(items)).toEqual([
      { id: "s1", file: "-", row: 1, line: 1 },
      { id: "s2", file: "-", row: 2, line: 2 },
    ]);
  });
});

describe("inputs", () => {
  it("walks folders: template files are set aside, other files are problems", async () => {
    const resolved = await resolveInputs(["sources"], { cwd, stdin: noStdin });
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(resolved.value.listings.map((l) => [l.input.name, l.reader.format])).toEqual([
      ["sources/broken.json", "json"],
      ["sources/empty.json", "json"],
      ["sources/listings.jsonl", "jsonl"],
      ["sources/listings.yaml", "yaml"],
      ["sources/wrapped.json", "json"],
    ]);
    expect(resolved.value.templateFiles.map((f) => path.basename(f))).toEqual(["templates.yaml"]);
    expect(resolved.value.problems.map((p) => [p.code, p.source.file])).toEqual([
      ["input/not-a-listing-source", "sources/notes.txt"],
      ["input/not-a-listing-source", "sources/other.json"],
    ]);
  });

  it("skips Excel's lock file and Windows' folder files in walks and globs", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "listing-audit-walk-"));
    try {
      await writeFile(path.join(dir, "goods.json"), '[{"id": "1", "title": "包邮"}]');
      for (const name of ["~$goods.xlsx", "Thumbs.db", "desktop.ini"])
        await writeFile(path.join(dir, name), "\u000bOwner\u0000");
      for (const arg of [dir, path.join(dir, "*")]) {
        const resolved = await resolveInputs([arg], { cwd, stdin: noStdin });
        expect(resolved.ok && resolved.value.listings.map((l) => path.basename(l.input.name)), arg).toEqual([
          "goods.json",
        ]);
        expect(resolved.ok && resolved.value.problems, arg).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("expands globs", async () => {
    const resolved = await resolveInputs(["sources/*.json"], { cwd, stdin: noStdin });
    expect(resolved.ok && resolved.value.listings.map((l) => l.input.name)).toEqual([
      "sources/broken.json",
      "sources/empty.json",
      "sources/wrapped.json",
    ]);
  });

  it("refuses a named file that is not a listing source, and a missing one", async () => {
    const resolved = await resolveInputs(["sources/other.json", "sources/nope.json"], { cwd, stdin: noStdin });
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.errors.map((e) => e.file)).toEqual(["sources/other.json", "sources/nope.json"]);
    expect(resolved.errors[0]?.message).toMatch(
      /not a listing source \(expected listings as html-table, jsonl, json, yaml/,
    );
  });

  it("keeps URLs for the crawler", async () => {
    const resolved = await resolveInputs(["https://shop.example/item/1"], { cwd, stdin: noStdin });
    expect(resolved.ok && resolved.value.urls).toEqual(["https://shop.example/item/1"]);
  });
});

describe("checkListing", () => {
  it.each([
    [{ id: "", title: "x" }, "listing/missing-id"],
    [{ id: "a" }, "listing/missing-title"],
    [{ id: "a", title: "x", freightPayer: "shop" }, "listing/invalid-field"],
    [{ id: "a", title: "x", fees: { ems: "free" } }, "listing/invalid-field"],
    [{ id: "a", title: "x", invoice: "yes" }, "listing/invalid-field"],
    [["a"], "listing/not-an-object"],
  ])("%j → %s", (raw, code) => {
    const result = checkListing(raw, { file: "f", row: 1, line: 1 });
    expect(result.ok ? "ok" : result.problem.code).toBe(code);
  });

  it("ignores unknown keys and null values", () => {
    const result = checkListing({ id: 5, title: "x", extra: 1, price: null }, {});
    expect(result).toEqual({ ok: true, listing: { id: "5", title: "x" } });
  });
});
