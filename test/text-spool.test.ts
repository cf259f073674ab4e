import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { audit } from "../src/audit.js";
import { reporters } from "../src/report/index.js";
import { createFileSpools, SPOOL_MEMORY_LIMIT } from "../src/report/file-spool.js";
import { createMemorySpool, SPOOL_CHUNK_LENGTH } from "../src/report/memory-spool.js";
import type { Reporter, TextSpool } from "../src/report/reporter.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), "spool-test-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Lines of mixed widths: ASCII, 3-byte 汉字 and 4-byte emoji, so 1 MiB reads end mid-character. */
function mixedLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i}: 运费模板 包邮 🎁${"x".repeat(i % 7)}\n`);
}

function appendAll(spool: TextSpool, texts: readonly string[]): TextSpool {
  for (const text of texts) spool.append(text);
  return spool;
}

describe("memory spool", () => {
  it("gives back everything in order, also when asked twice", () => {
    const lines = mixedLines(1000);
    const spool = appendAll(createMemorySpool(), lines);
    expect([...spool.chunks()].join("")).toBe(lines.join(""));
    expect([...spool.chunks()].join("")).toBe(lines.join(""));
  });

  it("yields chunks of bounded size", () => {
    const spool = appendAll(
      createMemorySpool(),
      Array.from({ length: 300 }, () => "字".repeat(10_000)),
    );
    const chunks = [...spool.chunks()];
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(SPOOL_CHUNK_LENGTH);
  });

  it("is empty when nothing was appended", () => {
    expect([...appendAll(createMemorySpool(), ["", ""]).chunks()]).toEqual([]);
  });
});

describe("file spool", () => {
  it("stays in memory below the limit", () => {
    const spools = createFileSpools({ directory: folder });
    const lines = mixedLines(100);
    expect([...appendAll(spools.spool(), lines).chunks()].join("")).toBe(lines.join(""));
    expect(readdirSync(folder)).toEqual([]);
    spools.dispose();
  });

  it("moves to one private temporary file past 1 MiB and reads back identical text, characters whole", () => {
    const spools = createFileSpools({ directory: folder });
    const lines = mixedLines(120_000);
    const expected = lines.join("");
    expect(Buffer.byteLength(expected)).toBeGreaterThan(3 * SPOOL_MEMORY_LIMIT);
    const spool = appendAll(spools.spool(), lines);
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(statSync(path.join(folder, files[0] ?? "")).mode & 0o777).toBe(0o600);
    const chunks = [...spool.chunks()];
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk).not.toContain("\uFFFD");
      expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(SPOOL_MEMORY_LIMIT + 4);
    }
    expect(chunks.join("")).toBe(expected);
    expect([...spool.chunks()].join("")).toBe(expected);
    spools.dispose();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("keeps each spool of a run apart and removes all of them on dispose", () => {
    const spools = createFileSpools({ directory: folder });
    const a = appendAll(
      spools.spool(),
      Array.from({ length: 3 }, () => "a".repeat(SPOOL_MEMORY_LIMIT)),
    );
    const b = appendAll(
      spools.spool(),
      Array.from({ length: 2 }, () => "b".repeat(SPOOL_MEMORY_LIMIT)),
    );
    expect(readdirSync(folder)).toHaveLength(2);
    expect([...a.chunks()].join("")).toBe("a".repeat(3 * SPOOL_MEMORY_LIMIT));
    expect([...b.chunks()].join("")).toBe("b".repeat(2 * SPOOL_MEMORY_LIMIT));
    spools.dispose();
    spools.dispose();
    expect(readdirSync(folder)).toEqual([]);
    expect(() => a.append("late")).toThrow(/disposed/);
    expect(() => spools.spool()).toThrow(/disposed/);
  });

  it("names the folder when the temporary file cannot be created", () => {
    const spools = createFileSpools({ directory: path.join(folder, "missing") });
    const spool = spools.spool();
    expect(() => spool.append("x".repeat(SPOOL_MEMORY_LIMIT))).toThrow(
      /could not create the report's spool file .*missing/,
    );
    spools.dispose();
  });
});

describe("spools in audit()", () => {
  const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

  /** An export of records without ids: each one a listing/missing-id problem, well over 1 MiB of them. */
  function writeBadExport(): string {
    const file = path.join(folder, "bad.jsonl");
    writeFileSync(file, Array.from({ length: 15_000 }, (_, i) => `{"title":"保温杯 ${i} 全国包邮"}\n`).join(""));
    return file;
  }

  async function withTmpdir<T>(tmp: string, run: () => Promise<T>): Promise<T> {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      return await run();
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  }

  it("spools a large JSON report's problems to a file, writes them whole and removes the file", async () => {
    writeBadExport();
    const spoolFolder = mkdtempSync(path.join(folder, "tmp-"));
    let text = "";
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        text += chunk.toString("utf8");
        done();
      },
    });
    let filesAtEnd: string[] = [];
    const json = reporters.json();
    const spy: Reporter = {
      ...json,
      end: (summary) => {
        filesAtEnd = readdirSync(spoolFolder);
        return json.end(summary);
      },
    };
    const outcome = await withTmpdir(spoolFolder, () =>
      audit({ inputs: ["bad.jsonl"], cwd: folder, outputs: [{ reporter: spy, stream }] }),
    );
    expect(outcome.ok).toBe(true);
    expect(filesAtEnd).toHaveLength(1);
    expect(Buffer.byteLength(text)).toBeGreaterThan(SPOOL_MEMORY_LIMIT);
    const report = JSON.parse(text);
    expect(report.problems).toHaveLength(15_000);
    expect(report.problems[14_999].source.row).toBe(15_000);
    expect(readdirSync(spoolFolder)).toEqual([]);
  });

  it("removes the temporary file when the run throws", async () => {
    writeBadExport();
    const spoolFolder = mkdtempSync(path.join(folder, "tmp-"));
    let filesAtEnd: string[] = [];
    const failing: Reporter = {
      start: () => "",
      listing: () => "",
      problem: () => "",
      end: () => {
        filesAtEnd = readdirSync(spoolFolder);
        throw new Error("reporter failed");
      },
    };
    const outputs = [
      { reporter: reporters.json(), stream: discard() },
      { reporter: failing, stream: discard() },
    ];
    await expect(withTmpdir(spoolFolder, () => audit({ inputs: ["bad.jsonl"], cwd: folder, outputs }))).rejects.toThrow(
      "reporter failed",
    );
    expect(filesAtEnd).toHaveLength(1);
    expect(readdirSync(spoolFolder)).toEqual([]);
  });
});
