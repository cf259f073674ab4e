import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAuditPool } from "../src/audit-pool.js";
import type { audit as auditFunction } from "../src/audit.js";
import type { ListingRecord } from "../src/model.js";
import type { reporters as reporterTable } from "../src/report/index.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
let work: string;
let built: { audit: typeof auditFunction; reporters: typeof reporterTable };
/** The same package with a worker that exits on its first batch. */
let brokenAudit: typeof auditFunction;
/** The same package with a worker that answers every batch late. */
let slowAudit: typeof auditFunction;
/** The same package with a worker whose answers are not JSON. */
let garbledAudit: typeof auditFunction;

// Worker threads load JavaScript, which the sources under vitest are not: the library is transpiled
// (without type checks, about a second) into a throwaway package that shares rules/ and node_modules/.
beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "audit-threads-"));
  const pkg = path.join(work, "pkg");
  transpileSources(path.join(ROOT, "src"), path.join(pkg, "dist"));
  for (const name of ["package.json", "rules", "schemas", "node_modules"])
    symlinkSync(path.join(ROOT, name), path.join(pkg, name));
  brokenAudit = await withWorker(
    pkg,
    "broken",
    'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ ready: true });\nparentPort.on("message", () => process.exit(3));\n',
  );
  // Every batch waits 100 ms before the real worker sees it, so this thread audits most batches itself.
  slowAudit = await withWorker(
    pkg,
    "slow",
    'import { parentPort } from "node:worker_threads";\nconst on = parentPort.on.bind(parentPort);\n' +
      'parentPort.on = (event, handler) => on(event, event === "message" ? (m) => setTimeout(() => handler(m), 100) : handler);\n' +
      'await import("./real-audit-worker.js");\n',
  );
  garbledAudit = await withWorker(
    pkg,
    "garbled",
    'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ ready: true });\n' +
      'parentPort.on("message", (m) => parentPort.postMessage({ seq: m.seq, results: "[{\\"findings\\": [" }));\n',
  );
  built = {
    audit: ((await import(pathToFileURL(path.join(pkg, "dist", "audit.js")).href)) as { audit: typeof auditFunction })
      .audit,
    reporters: (
      (await import(pathToFileURL(path.join(pkg, "dist", "report", "index.js")).href)) as {
        reporters: typeof reporterTable;
      }
    ).reporters,
  };
  execFileSync(
    process.execPath,
    ["bench/generate-export.mjs", "--count", "400", "--out", path.join(work, "export.csv")],
    { cwd: ROOT },
  );
  const { TEMPLATES_YAML } = (await import(pathToFileURL(path.join(ROOT, "bench", "generate-export.mjs")).href)) as {
    TEMPLATES_YAML: string;
  };
  writeFileSync(path.join(work, "templates.yaml"), TEMPLATES_YAML);
});

/** A copy of the package at `pkg` whose audit-worker.js is `source` (the real one stays as real-audit-worker.js); its audit(). */
async function withWorker(pkg: string, name: string, source: string): Promise<typeof auditFunction> {
  const copy = path.join(work, name);
  cpSync(path.join(pkg, "dist"), path.join(copy, "dist"), { recursive: true });
  for (const entry of ["package.json", "rules", "schemas", "node_modules"])
    symlinkSync(path.join(ROOT, entry), path.join(copy, entry));
  cpSync(path.join(copy, "dist", "audit-worker.js"), path.join(copy, "dist", "real-audit-worker.js"));
  writeFileSync(path.join(copy, "dist", "audit-worker.js"), source);
  return ((await import(pathToFileURL(path.join(copy, "dist", "audit.js")).href)) as { audit: typeof auditFunction })
    .audit;
}

/** The 400-listing export beforeAll generates, and the templates it names. */
function generatedExport(): { inputs: string[]; templates: string } {
  return { inputs: [path.join(work, "export.csv")], templates: path.join(work, "templates.yaml") };
}

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function transpileSources(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) transpileSources(source, path.join(to, entry.name));
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const output = ts.transpileModule(readFileSync(source, "utf8"), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    mkdirSync(to, { recursive: true });
    writeFileSync(path.join(to, entry.name.replace(/\.ts$/, ".js")), output.outputText);
  }
}

async function jsonReport(
  inputs: string[],
  templates: string[],
  threads: number,
  threadsAfter: number,
  run = built.audit,
): Promise<string> {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const outcome = await run({
    inputs,
    templates,
    cwd: ROOT,
    threads,
    threadsAfter,
    outputs: [{ reporter: built.reporters.json(), stream }],
  });
  expect(outcome.ok).toBe(true);
  return text;
}

describe("threaded audit", () => {
  test("the samples give the same JSON report, byte for byte, with and without worker threads", async () => {
    const inputs = ["samples/taobao-export.csv", "samples/listings.json"];
    const single = await jsonReport(inputs, ["samples/templates"], 0, 0);
    expect(await jsonReport(inputs, ["samples/templates"], 2, 0)).toBe(single);
  });

  test("batches a worker cannot answer (it exits) are audited on the main thread: the report is unchanged", async () => {
    const { inputs, templates } = generatedExport();
    const single = await jsonReport(inputs, [templates], 0, 0);
    const withDeadWorker = await jsonReport(inputs, [templates], 1, 0, brokenAudit);
    expect(JSON.parse(withDeadWorker).problems.filter((p: { code: string }) => p.code === "rule/crashed")).toEqual([]);
    expect(withDeadWorker).toBe(single);
  });

  test("answers that are not JSON are batches no worker could audit: audited on the main thread, the report unchanged", async () => {
    const { inputs, templates } = generatedExport();
    const single = await jsonReport(inputs, [templates], 0, 0);
    expect(await jsonReport(inputs, [templates], 1, 0, garbledAudit)).toBe(single);
  });

  test("batches this thread audits while a slow worker holds older ones are still reported in input order", async () => {
    const { inputs, templates } = generatedExport();
    const single = await jsonReport(inputs, [templates], 0, 0);
    expect(await jsonReport(inputs, [templates], 1, 0, slowAudit)).toBe(single);
  });

  test("HTML pages carry their own shipping templates (JSON-LD) through a worker unchanged", async () => {
    const single = await jsonReport(["samples/shop-site"], ["samples/templates"], 0, 0);
    expect(JSON.parse(single).summary.findings).toBeGreaterThan(0);
    expect(await jsonReport(["samples/shop-site"], ["samples/templates"], 1, 0)).toBe(single);
  });

  test("a generated export read partly on the main thread, then in batches across workers, keeps input order", async () => {
    const { inputs, templates } = generatedExport();
    const single = await jsonReport(inputs, [templates], 0, 0);
    expect(JSON.parse(single).summary.listings).toBe(400);
    // 100 records here, then batches of 32 across the workers (and this thread while they are busy).
    expect(await jsonReport(inputs, [templates], 2, 100)).toBe(single);
  });
});

describe("audit pool", () => {
  const records: ListingRecord[] = [1, 2, 3].map((n) => ({
    listing: { id: `L${n}`, title: "包邮" },
    source: { file: "x.csv", row: n },
  }));

  test("a worker that fails to start fails its batches, saying why", async () => {
    const script = path.join(work, "broken-worker.mjs");
    writeFileSync(script, 'throw new Error("cannot load");\n');
    const pool = startAuditPool(pathToFileURL(script), {}, 1);
    const outcome = await pool.auditBatch(records);
    await pool.close();
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining("cannot load") as unknown });
  });

  test("a worker that exits mid-run fails its pending batches instead of leaving the run waiting", async () => {
    const script = path.join(work, "exiting-worker.mjs");
    writeFileSync(
      script,
      'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n',
    );
    const pool = startAuditPool(pathToFileURL(script), {}, 2);
    const outcomes = await Promise.all([
      pool.auditBatch(records),
      pool.auditBatch(records.slice(0, 1)),
      pool.auditBatch(records.slice(1)),
    ]);
    await pool.close();
    expect(outcomes).toEqual(
      [1, 2, 3].map(() => ({ ok: false, reason: expect.stringContaining("exited with code 3") as unknown })),
    );
  });
});
