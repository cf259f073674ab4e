// Benchmark 5, compare (issue 14, red-team #3): peak RSS of `--compare` against the previous JSON report of
// a 1,000,000-listing run (one finding a listing, written as `-f json` writes them: about 1.3 GB in the
// system temp folder) while auditing the bundled samples. The run is the installed command in a child
// process of its own, so the figure is its alone. Goal: under 300 MB (the YAML parser this replaced died
// of OOM at 65 MB). `--scale` shrinks it.
//   node bench/compare-bench.mjs [--scale 0.1] [--count N]   (run `npm run build` first)
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./lib/dist-library.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_LISTINGS = 1_000_000;
const GOAL_MB = 300;

const values = readOptions("compare-bench", { count: { type: "string" } });
await measure().catch((error) => stopWith("compare-bench", error));

async function measure() {
  const listings = readCount("compare-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
  const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-compare-bench-"));
  try {
    const previous = path.join(work, "previous.json");
    let started = performance.now();
    await writeFile(previous, previousReport(listings));
    const sizeMiB = Math.round(statSync(previous).size / 2 ** 20);
    console.log(
      `previous report: ${listings} listings, ${sizeMiB} MiB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const preload = path.join(work, "peak-rss.mjs");
    writeFileSync(
      preload,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the source text of a child process
      'process.on("exit", () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n',
    );
    started = performance.now();
    const run = await runCompare(preload, previous, path.join(work, "after.json"));
    const seconds = (performance.now() - started) / 1000;
    const kb = /peak-rss-kb (\d+)/.exec(run.stderr)?.[1];
    const counts = /比较：新增 (\d+) 个，已修复 (\d+) 个，未变 (\d+) 个/.exec(run.stderr);
    if (kb === undefined || counts === null || run.code !== 1)
      throw new Error(`the compare run failed (exit ${run.code}):\n${run.stderr}`);
    const peakRssMB = Math.round(Number(kb) / 1024);
    const entry = {
      date: new Date().toISOString(),
      machine: describeMachine(),
      listings,
      previousMiB: sizeMiB,
      seconds: Number(seconds.toFixed(1)),
      fixed: Number(counts[2]),
      peakRssMB,
      goalMB: GOAL_MB,
      passed: peakRssMB < GOAL_MB,
    };
    console.log(`machine: ${formatMachine(entry.machine)}`);
    console.log(
      `--compare against ${listings} listings (${sizeMiB} MiB): ${entry.seconds} s, ${entry.fixed} fixed, peak RSS ${peakRssMB} MB — ${entry.passed ? "PASS" : "FAIL"} (goal < ${GOAL_MB} MB)`,
    );
    handOver(values, entry);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runCompare(preload, previous, report) {
  const args = [
    "--import",
    preload,
    path.join(ROOT, "bin/listing-audit.js"),
    "samples/listings.json",
    "-t",
    "samples/templates",
    "--compare",
    previous,
    "-f",
    `json=${report}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** A `-f json` report with one finding per listing, in chunks of 1,000 findings. */
async function* previousReport(listings) {
  yield '{\n  "tool": {"name":"listing-auditor","version":"bench"},\n  "format": 1,\n  "findings": [';
  for (let start = 0; start < listings; start += 1000) {
    const lines = [];
    for (let i = start; i < Math.min(listings, start + 1000); i++)
      lines.push(`${i === 0 ? "\n" : ",\n"}    ${finding(i)}`);
    yield lines.join("");
  }
  yield `\n  ],\n  "problems": [],\n  "summary": {"listings":${listings},"findings":${listings},"error":${listings},"warning":0,"info":0,"problems":0,"skipped":0}\n}\n`;
}

function finding(i) {
  return JSON.stringify({
    ruleId: "shipping/claim-charged-region",
    severity: "error",
    listingId: `B${i}`,
    message:
      "标题宣称「包邮」，但运费模板 T-REMOTE 对 内蒙古(¥12)、西藏(¥20)、甘肃(¥12)、青海(¥12)、宁夏(¥12)、新疆(¥20) 收取运费，且未说明",
    source: { file: "exports/listings.json", row: i + 1, line: i * 30 + 2, field: "title" },
    claim: { text: "包邮", field: "title", start: 17, end: 19 },
    relatedClaims: [],
    regions: [
      { code: "540000", name: "西藏自治区", fee: 20, quantity: 1 },
      { code: "650000", name: "新疆维吾尔自治区", fee: 20, quantity: 1 },
    ],
    templateId: "T-REMOTE",
    fix: "在宝贝卖点写明「新疆西藏除外」，或把运费模板 T-REMOTE 中 新疆、西藏 的首件运费 ¥20 改为 0",
    reference: "滥发信息—发布错误描述信息",
    fingerprint: createHash("sha256").update(String(i)).digest("hex").slice(0, 32),
  });
}
