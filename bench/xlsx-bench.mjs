// Benchmark 6, reading a large .xlsx (issue 18 §6): our XLSX reader against exceljs 4.4's streaming
// WorkbookReader, which it replaced, over the same generated JD-style workbook of 200,000 listings with
// Chinese titles (written by exceljs's streaming writer, as a JavaScript back-end would: shared strings,
// sizes after the data). Ours does more — it maps every row to a listing and checks each entry's CRC —
// exceljs only turns the rows into cell strings, as the reader built on it did first. Each read runs in
// a child process of its own, so its peak RSS is its alone; the two alternate, `--runs` times each.
//   node bench/xlsx-bench.mjs [--scale 0.1] [--count N] [--runs 2]   (run `npm run build` first)
import { spawn } from "node:child_process";
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_MODULES } from "./lib/bench-dependencies.mjs";
import { random, titleSource } from "./lib/corpus.mjs";
import { importDist } from "./lib/dist-library.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_ROWS = 200_000;
const HEADER = ["商品编号", "商品名称", "广告词", "京东价", "运费模板ID", "重量(kg)", "是否开发票"];
const SUBTITLES = [
  "全国包邮（新疆西藏除外）",
  "满99包邮",
  "偏远地区不包邮",
  "可开增值税专用发票",
  "顺丰包邮 当天发货",
  "",
];
const READERS = ["ours", "exceljs"];

const values = readOptions("xlsx-bench", {
  count: { type: "string" },
  runs: { type: "string" },
  child: { type: "string" },
  file: { type: "string" },
});

if (values.child) await readInChild(values.child, values.file).catch((error) => stopWith("xlsx-bench (child)", error));
else await measure().catch((error) => stopWith("xlsx-bench", error));

function loadExcelJs() {
  return createRequire(path.join(BENCH_MODULES, "index.js"))("exceljs");
}

/** The child: one read of the workbook, its figures as the last line of stdout. */
async function readInChild(reader, file) {
  const started = performance.now();
  const rows = reader === "ours" ? await readWithOurs(file) : await readWithExcelJs(file);
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  console.log(JSON.stringify({ rows, seconds, cpuSeconds, peakRssMB: usage.maxRSS / 1024 }));
}

async function readWithOurs(file) {
  const { xlsxReader } = await importDist("sources/xlsx.js");
  const head = Buffer.alloc(1024 * 1024);
  const fd = openSync(file, "r");
  const headBytes = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const input = { name: path.basename(file), head: head.subarray(0, headBytes), open: () => createReadStream(file) };
  let listings = 0;
  for await (const item of xlsxReader.read(input, {})) if (item.kind === "listing") listings++;
  return listings;
}

/** exceljs's streaming reader with the options the old reader used; cells become strings as it made them. */
async function readWithExcelJs(file) {
  const reader = new (loadExcelJs().stream.xlsx.WorkbookReader)(createReadStream(file), {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const cells = [];
      for (const [column, value] of Object.entries(row.values)) cells[Number(column) - 1] = cellText(value);
      if (cells.length > 0) rows++;
    }
  }
  return rows - 1;
}

function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return "richText" in value ? value.richText.map((part) => part.text).join("") : "";
  return String(value);
}

async function writeWorkbook(file, count) {
  const rand = random(20261207);
  const titles = titleSource(rand);
  const writer = new (loadExcelJs().stream.xlsx.WorkbookWriter)({ filename: file, useSharedStrings: true });
  const sheet = writer.addWorksheet("商品");
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < count; i++) {
    const price = Math.round(rand() * 50000) / 100;
    sheet
      .addRow([
        100012345678 + i,
        titles.next(),
        SUBTITLES[i % SUBTITLES.length],
        price,
        `T${1 + (i % 3)}`,
        Math.round(rand() * 500) / 100,
        i % 4 === 0 ? "是" : "否",
      ])
      .commit();
  }
  await sheet.commit();
  await writer.commit();
  return titles.kind;
}

async function measure() {
  const count = readCount("xlsx-bench", values, "count", scaled(DEFAULT_ROWS, values.scale));
  const runs = readCount("xlsx-bench", values, "runs", 2);
  const machine = describeMachine();
  console.log(`machine: ${formatMachine(machine)}`);
  const folder = mkdtempSync(path.join(os.tmpdir(), "listing-audit-xlsx-bench-"));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  process.once("exit", removeFolder);
  try {
    const file = path.join(folder, "jd-export.xlsx");
    const titleKind = await writeWorkbook(file, count);
    const bytes = statSync(file).size;
    console.log(
      `workbook: ${count} rows, titles from ${titleKind}, ${(bytes / 2 ** 20).toFixed(1)} MiB (exceljs's writer)`,
    );
    const results = { ours: [], exceljs: [] };
    for (let run = 0; run < runs; run++) {
      // Alternating which goes first, so a machine whose speed drifts moves both sides alike.
      for (const reader of run % 2 === 0 ? READERS : [...READERS].reverse()) {
        const result = await runChild(reader, file);
        if (result.rows !== count) throw new Error(`${reader} read ${result.rows} rows, not ${count}`);
        results[reader].push(result);
        console.log(
          `  ${reader.padEnd(7)} run ${run + 1}: ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s), ${Math.round(count / result.seconds)} rows/s, peak RSS ${Math.round(result.peakRssMB)} MB`,
        );
      }
    }
    const figures = Object.fromEntries(READERS.map((reader) => [reader, summarise(results[reader], count)]));
    const ratios = {
      speed: Number((figures.exceljs.seconds / figures.ours.seconds).toFixed(2)),
      cpu: Number((figures.ours.cpuSeconds / figures.exceljs.cpuSeconds).toFixed(2)),
      peakRss: Number((figures.ours.peakRssMB / figures.exceljs.peakRssMB).toFixed(2)),
    };
    for (const reader of READERS)
      console.log(
        `${reader}: ${figures[reader].seconds} s (mean of ${runs}), CPU ${figures[reader].cpuSeconds} s, ${figures[reader].rowsPerSecond} rows/s, peak RSS ${figures[reader].peakRssMB} MB`,
      );
    console.log(
      `ours reads ×${ratios.speed} as fast as exceljs, with ×${ratios.cpu} of its CPU time and ×${ratios.peakRss} of its peak RSS (same workbook, same run)`,
    );
    handOver(values, {
      bench: "xlsx",
      date: new Date().toISOString(),
      machine,
      scale: values.scale,
      rows: count,
      workbookBytes: bytes,
      titles: titleKind,
      runs,
      ours: figures.ours,
      exceljs: figures.exceljs,
      ratios,
    });
  } finally {
    removeFolder();
  }
}

function summarise(results, count) {
  const mean = (key) => results.reduce((sum, r) => sum + r[key], 0) / results.length;
  const seconds = mean("seconds");
  return {
    seconds: Number(seconds.toFixed(2)),
    cpuSeconds: Number(mean("cpuSeconds").toFixed(2)),
    rowsPerSecond: Math.round(count / seconds),
    peakRssMB: Math.round(Math.max(...results.map((r) => r.peakRssMB))),
  };
}

function runChild(reader, file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", reader, "--file", file], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (data) => (out += data));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`the ${reader} child failed (${signal ?? `exit ${code}`})`));
      else resolve(JSON.parse(last));
    });
  });
}
