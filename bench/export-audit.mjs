// Benchmark (not a test): generates a 淘宝助理 export (bench/generate-export.mjs), then, in this one
// process, times (1) the baseline — decoding and csv-parsing the same file with the same libraries —
// (2) reading it through the library's 淘宝助理 reader, (3) the full audit. Prints listings/s, the
// ratio to the baseline and peak RSS; records the figures in bench/results.json; removes its temp files.
// Usage: node bench/export-audit.mjs [--scale 0.1] [--count N]   (run `npm run build` first)
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { countFromArgs, generateExport } from "./generate-export.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(HERE, "results.json");
const HEAD_BYTES = 1024 * 1024;
const GOALS = { maxRssMB: 300, auditRatio: 2 };

const TEMPLATES = `templates:
  - id: "T1"
    name: 偏远地区收费
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }
    regions:
      - areas: [新疆, 西藏]
        first: 1
        firstFee: 20
        next: 1
        nextFee: 10
  - id: "T2"
    name: 包邮
    payer: seller
    valuation: piece
    noDelivery: [港澳台, 海外]
  - id: "T3"
    name: 满99包邮
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 8, next: 1, nextFee: 2 }
    freeWhen:
      - areas: [全国]
        minAmount: 99
`;

const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

async function timed(name, run) {
  const started = process.hrtime.bigint();
  const listings = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, listings, seconds, listingsPerSecond: Math.round(listings / seconds), peakRssMB: Math.round(peakRssMB()) };
}

async function baseline(file) {
  let records = 0;
  const parser = createReadStream(file)
    .pipe(iconv.decodeStream("utf-16le"))
    // Starting at the header line, as the reader does: csv-parse builds an error object for every
    // record whose field count differs from the first record's, which the one-cell version line would be.
    .pipe(parse({ delimiter: "\t", relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"], from_line: 2 }));
  for await (const record of parser) if (record.length > 1) records++;
  return records - 2; // the two header lines
}

async function readHead(file) {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readThroughReader(library, file) {
  const reader = library.readers.find((r) => r.format === "taobao-csv");
  if (!reader) throw new Error("the built library has no taobao-csv reader");
  const input = { name: path.basename(file), head: await readHead(file), open: () => createReadStream(file) };
  if (!reader.detect(input)) throw new Error("the taobao-csv reader does not recognise the generated export");
  let listings = 0;
  let problems = 0;
  for await (const item of reader.read(input, {})) {
    if (item.kind === "listing") listings++;
    else problems++;
  }
  if (problems > 0) console.error(`reader: ${problems} problems in the generated export`);
  return listings;
}

async function fullAudit(library, file, templates) {
  let listings = 0;
  const result = await library.audit({
    inputs: [file],
    cwd: path.dirname(file),
    templates: [templates],
    outputs: [],
    onResult: () => {
      listings++;
    },
  });
  if (!result.ok) throw new Error(`audit failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return listings;
}

function saveResults(entry) {
  let results = [];
  if (existsSync(RESULTS_FILE)) {
    try {
      const parsed = JSON.parse(readFileSync(RESULTS_FILE, "utf8"));
      if (Array.isArray(parsed)) results = parsed;
      else console.error(`${RESULTS_FILE} is not a JSON array; starting it afresh`);
    } catch {
      console.error(`${RESULTS_FILE} is not valid JSON; starting it afresh`);
    }
  }
  results.push(entry);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

const distIndex = path.join(HERE, "..", "dist", "index.js");
if (!existsSync(distIndex)) {
  console.error("export-audit: dist/ is missing; run `npm run build` first");
  process.exit(2);
}
const library = await import(distIndex);

const requested = countFromArgs(process.argv.slice(2));
const templates = path.join(os.tmpdir(), `listing-audit-bench-${process.pid}-templates.yaml`);
let generated;
try {
  writeFileSync(templates, TEMPLATES);
  const genStart = Date.now();
  generated = await generateExport({ count: requested });
  const mb = generated.bytes / 2 ** 20;
  console.log(`export: ${generated.count} listings, ${mb.toFixed(0)} MiB UTF-16LE (titles: ${generated.titles}), generated in ${((Date.now() - genStart) / 1000).toFixed(1)} s`);

  const phases = [await timed("baseline: decode + csv-parse", () => baseline(generated.file))];
  phases.push(await timed("taobao-csv reader", () => readThroughReader(library, generated.file)));
  if (typeof library.audit !== "function") console.log("full audit: `audit` is not exported by the library yet; skipped");
  else {
    try {
      phases.push(await timed("full audit", () => fullAudit(library, generated.file, templates)));
    } catch (error) {
      console.log(`full audit: skipped — ${error.message}`);
    }
  }

  const base = phases[0];
  for (const phase of phases) {
    phase.ratio = Number((phase.seconds / base.seconds).toFixed(2));
    if (phase.listings !== generated.count) console.error(`${phase.name}: ${phase.listings} listings, expected ${generated.count}`);
    console.log(
      `${phase.name.padEnd(30)} ${phase.seconds.toFixed(2).padStart(8)} s ${String(phase.listingsPerSecond).padStart(9)} listings/s  ×${phase.ratio.toFixed(2)} baseline  peak RSS so far ${phase.peakRssMB} MB`,
    );
  }
  const audit = phases.find((p) => p.name === "full audit");
  const peak = Math.round(peakRssMB());
  console.log(`peak RSS ${peak} MB (goal < ${GOALS.maxRssMB} MB); full audit ×${audit?.ratio ?? "n/a"} baseline (goal ≤ ×${GOALS.auditRatio})`);
  saveResults({
    bench: "export-audit",
    date: new Date().toISOString(),
    node: process.version,
    listings: generated.count,
    requested,
    bytes: generated.bytes,
    phases,
    peakRssMB: peak,
    goals: GOALS,
  });
} finally {
  if (generated) rmSync(generated.file, { force: true });
  rmSync(templates, { force: true });
}
