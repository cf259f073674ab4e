// `npm run bench`: runs the benchmarks (docs/benchmarks.md), each in a child process of its own so that
// timings and peak RSS do not mix, prints every figure, ratio and the machine, and keeps the latest
// figures of each benchmark in bench/results.json. Benchmarks measure the built library: `npm run build`.
//
//   node bench/run.js [audit] [cost] [parser] [crawl] [xlsx] [memory] [compare] [serve] [queue] [html] [--scale 0.05] [--skip-memory]
//                     [--count N] [--runs N] [--concurrency N] [--dense]
//   node bench/run.js profile [--scale 0.05]    CPU profile of the full audit; lists what dominates
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, missingPackages, NEEDS } from "./lib/bench-dependencies.mjs";
import { isBuildStale, ROOT } from "./lib/dist-library.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";

const BENCHES = ["audit", "cost", "parser", "crawl", "xlsx", "memory", "compare", "serve", "queue", "html"];
/** The long runs that check the memory goal; --skip-memory leaves them out. */
const MEMORY_BENCHES = ["memory", "compare"];
const RESULTS_FILE = path.join(BENCH_DIR, "results.json");
const USAGE = `usage: node bench/run.js [${BENCHES.join("|")}|profile …] [--scale N] [--skip-memory] [--count N] [--runs N] [--concurrency N] [--dense]`;

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      scale: { type: "string" },
      dense: { type: "boolean", default: false },
      count: { type: "string" },
      runs: { type: "string" },
      concurrency: { type: "string" },
      "skip-memory": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  stop(`${error.message}\n${USAGE}`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of positionals)
  if (![...BENCHES, "profile"].includes(name)) stop(`unknown benchmark "${name}"\n${USAGE}`);
const selected =
  positionals.length > 0
    ? [...new Set(positionals)]
    : BENCHES.filter((b) => !MEMORY_BENCHES.includes(b) || !values["skip-memory"]);
if (values.count !== undefined && selected.length !== 1)
  stop("--count means listings or texts depending on the benchmark: name exactly one benchmark with it");

if (!existsSync(path.join(ROOT, "dist", "index.js")))
  stop("dist/ is missing: run `npm run build` first (benchmarks measure the built library)");
if (isBuildStale())
  console.warn("warning: src/ has changed since the last build; run `npm run build` to measure the current code");

const machine = describeMachine();
console.log(`machine: ${formatMachine(machine)}`);
const unavailable = installBenchDependencies(selected);

const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-bench-"));
const summaries = [];
let failed = 0;
try {
  for (const bench of selected) {
    console.log(`\n▶ ${bench}`);
    if (unavailable.has(bench)) {
      summaries.push(`${bench}: not run — ${unavailable.get(bench)}`);
      failed++;
      continue;
    }
    if (bench === "profile") {
      const profile = path.join(os.tmpdir(), `listing-audit-audit-${Date.now()}.cpuprofile`);
      const status = runScript("audit-bench.mjs", ["--audit-only", "--cpu-profile", profile, ...passOn("audit")]);
      summaries.push(`profile: ${status === 0 ? `written to ${profile}` : `failed (exit ${status})`}`);
      if (status !== 0) failed++;
      continue;
    }
    const jsonOut = path.join(work, `${bench}.json`);
    const status = runScript(`${bench}-bench.mjs`, [...passOn(bench), "--json-out", jsonOut]);
    if (!existsSync(jsonOut)) {
      summaries.push(`${bench}: failed (exit ${status}) before giving figures`);
      failed++;
      continue;
    }
    const entry = JSON.parse(readFileSync(jsonOut, "utf8"));
    saveResult(bench, entry);
    summaries.push(headline(bench, entry));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`\n■ summary (${formatMachine(machine)})`);
for (const line of summaries) console.log(`  ${line}`);
console.log(`figures: ${path.relative(process.cwd(), RESULTS_FILE)}`);
process.exitCode = failed > 0 ? 1 : 0;

/** The options each benchmark understands, from the ones given to run.js. */
function passOn(bench) {
  const args = [];
  if (values.scale !== undefined) args.push("--scale", values.scale);
  if (values.count !== undefined) args.push("--count", values.count);
  if (values.runs !== undefined && ["parser", "crawl", "xlsx", "queue"].includes(bench))
    args.push("--runs", values.runs);
  if (values.concurrency !== undefined && bench === "crawl") args.push("--concurrency", values.concurrency);
  if (values.dense && (bench === "audit" || bench === "memory")) args.push("--dense");
  return args;
}

function runScript(script, args) {
  const run = spawnSync(process.execPath, [path.join(BENCH_DIR, script), ...args], { stdio: "inherit" });
  return run.status ?? run.signal;
}

/**
 * Installs bench/package.json's dependencies (exactly as locked) when a selected benchmark needs one
 * that is missing; returns the benchmarks that cannot run, with the reason, when that fails.
 */
function installBenchDependencies(benches) {
  const unavailable = new Map();
  const missing = [...new Set(benches.flatMap((b) => missingPackages(NEEDS[b] ?? [])))];
  if (missing.length === 0) return unavailable;
  console.log(`installing the benchmark-only dependencies (${missing.join(", ")}): npm ci --prefix bench`);
  // Under `npm run`, npm_execpath is the npm that started us; otherwise npm from PATH.
  const npmCli = process.env.npm_execpath;
  const install =
    npmCli && /npm-cli\.js$/.test(npmCli)
      ? spawnSync(process.execPath, [npmCli, "ci", "--prefix", BENCH_DIR, "--no-audit", "--no-fund"], {
          stdio: "inherit",
        })
      : spawnSync("npm", ["ci", "--prefix", BENCH_DIR, "--no-audit", "--no-fund"], {
          stdio: "inherit",
          shell: process.platform === "win32",
        });
  const still = missingPackages(missing);
  if (install.status === 0 && still.length === 0) return unavailable;
  const why = install.error ? install.error.message : `exit ${install.status ?? install.signal}`;
  console.error(
    `\nCould not install the benchmark-only dependencies with \`npm ci --prefix bench\` (${why}).\n` +
      `The parser benchmark needs mint-filter, the crawl benchmark crawlee and the xlsx benchmark exceljs (bench/package.json); ` +
      `check the network access to the npm registry and run \`npm ci --prefix bench\` yourself. The other benchmarks run without them.`,
  );
  for (const bench of benches) {
    const lacking = (NEEDS[bench] ?? []).filter((name) => still.includes(name));
    if (lacking.length > 0)
      unavailable.set(bench, `${lacking.join(", ")} could not be installed (npm ci --prefix bench)`);
  }
  return unavailable;
}

/** bench/results.json keeps the latest entry of each benchmark; a run replaces only its own. */
function saveResult(bench, entry) {
  let results = { about: "", benchmarks: {} };
  if (existsSync(RESULTS_FILE)) {
    try {
      const previous = JSON.parse(readFileSync(RESULTS_FILE, "utf8"));
      if (previous && typeof previous.benchmarks === "object" && !Array.isArray(previous.benchmarks))
        results = previous;
    } catch {
      console.warn(`${path.relative(process.cwd(), RESULTS_FILE)} was not valid JSON; starting it afresh`);
    }
  }
  results.about =
    "Latest figures of `npm run bench` (bench/run.js), one entry per benchmark with its machine and date; see docs/benchmarks.md.";
  results.benchmarks = { ...results.benchmarks, [bench]: entry };
  const ordered = Object.fromEntries(
    BENCHES.filter((b) => b in results.benchmarks).map((b) => [b, results.benchmarks[b]]),
  );
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ about: results.about, benchmarks: ordered }, null, 2)}\n`);
}

function headline(bench, entry) {
  switch (bench) {
    case "audit": {
      const audit = entry.phases.find((p) => p.name.startsWith("full audit"));
      return (
        `audit (${entry.listings} listings): ${audit.listingsPerSecond} listings/s; ` +
        `×${entry.ratios.auditVsTextBaseline} of decode + csv-parse + visible text (goal ≤ ×${entry.goals.auditVsTextBaseline}), ` +
        `×${entry.ratios.auditVsCsvBaseline} of decode + csv-parse (goal ≤ ×${entry.goals.auditVsCsvBaseline}); ` +
        `CPU time ×${entry.ratios.auditCpuVsTextBaselineCpu} of the first, on ${audit.cores} cores`
      );
    }
    case "cost":
      return Object.values(entry.shops)
        .map(
          (s) =>
            `cost (${s.shop} shop, ${s.listings} listings, ${s.auditSingleThread.findingsPerListing} findings a listing): ` +
            `CPU ×${s.ratios.cpuVsFloor} of the floor (goal ≤ ×${entry.goals.cpuVsFloor}; ×${s.ratios.compiledCpuVsFloor} on a second pass), ` +
            `wall ×${s.ratios.wallVsFloor} (goal ≤ ×${entry.goals.wallVsFloor}), ${s.auditSingleThread.msPerListing} ms CPU a listing, ` +
            `GC ${(s.auditSingleThread.gcShare * 100).toFixed(1)} %, peak RSS ${Math.max(s.auditSingleThread.peakRssMB, s.auditDefaultThreads.peakRssMB)} MB`,
        )
        .join("\n  ");
    case "parser":
      return `parser (${entry.texts} texts): ours ${entry.ours.textsPerSecond} texts/s, mint-filter ${entry.mintFilter.textsPerSecond} texts/s: ×${entry.ratio} (goal ≥ ×1)`;
    case "crawl":
      return `crawl (${entry.pages} pages, concurrency ${entry.concurrency}): ours ${entry.ours.pagesPerSecond} pages/s, crawlee ${entry.crawlee.pagesPerSecond} pages/s: ×${entry.ratio} (≥ ×${entry.tieAt} is a tie)`;
    case "xlsx":
      return `xlsx (${entry.rows} rows): ours ${entry.ours.rowsPerSecond} rows/s, ${entry.ours.peakRssMB} MB; exceljs ${entry.exceljs.rowsPerSecond} rows/s, ${entry.exceljs.peakRssMB} MB: ×${entry.ratios.speed} as fast, ×${entry.ratios.cpu} of its CPU time`;
    case "memory":
      return `memory (${entry.listings} listings): peak RSS ${entry.peakRssMB} MB — ${entry.passed ? "PASS" : "FAIL"} (goal < ${entry.goalMB} MB)`;
    case "serve":
      return `serve: check p95 ${entry.check.map((c) => `${c.p95Ms} ms at ${c.connections} connection(s)`).join(", ")} (goal < 20 ms); ${entry.findings.listings * 4} findings: first page ${entry.findings.queries["first page"]} ms, severity filter ${entry.findings.queries["severity=error"]} ms, no-match text search ${entry.findings.queries["text search, no match (scans the run)"]} ms`;
    case "html":
      return `html report (${entry.listings} listings, ${entry.bytesPerListing} bytes each): open ${entry.openMs} ms (goal < ${entry.goals.openMs} ms), worst filter ${Math.max(...Object.values(entry.filters))} ms (goal < ${entry.goals.filterMs} ms)`;
    case "compare":
      return `compare (previous report of ${entry.listings} listings, ${entry.previousMiB} MiB): ${entry.seconds} s, peak RSS ${entry.peakRssMB} MB — ${entry.passed ? "PASS" : "FAIL"} (goal < ${entry.goalMB} MB)`;
    case "queue": {
      const rate = (name) => entry.phases.find((p) => p.name.startsWith(name)).listingsPerSecond;
      return (
        `queue (${entry.listings} listings, shards of ${entry.shardSize}): local ${rate("local (default")} listings/s, ` +
        `one thread ${rate("local (--threads 0)")} listings/s, 1 worker ${rate("queue, 1")} listings/s ` +
        `(overhead ${entry.ratios.overheadOneWorkerVsOneThreadPercent} % against one thread, goal ≤ ${entry.goals.overheadOneWorkerPercent} %; ` +
        `${entry.ratios.overheadOneWorkerVsLocalPercent} % against default threads), ` +
        `2 workers ${rate("queue, 2")} listings/s (×${entry.ratios.scalingTwoWorkers} of 1)`
      );
    }
    default:
      return `${bench}: done`;
  }
}

function stop(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
