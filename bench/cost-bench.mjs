// Benchmark 6, the cost of a listing (issue 19): a generated 淘宝助理 export (default 10,000 listings,
// UTF-16LE, TAB, real titles, 1–3 KB detail pages) of two shops — dense (badly set up: about two findings
// a listing, many naming all 31 provinces) and sparse (few findings) — against the floor of reading it:
//   floor: TextDecoder("utf-16le") over the file's chunks into one csv-parse parser (TAB, relax_quotes,
//          relax_column_count), records taken in a `readable` loop, and one reused htmlparser2 Parser
//          over each 宝贝描述 counting the text characters outside script and style;
//   audit --threads 0: `audit()` with the JSON reporter, in a child process of its own: CPU time, GC
//          time (perf_hooks "gc" entries, as a share of the CPU time) and peak RSS;
//   audit, default threads: the same with worker threads: wall time and peak RSS.
// The floor runs in this process before and after the audits and counts as the mean of the two runs,
// so a machine whose speed drifts moves both sides of a ratio alike. Prints ratios; never asserts.
//   node bench/cost-bench.mjs [--scale 0.5] [--count N] [--shop dense|sparse] [--cpu-profile prefix]
// (run `npm run build` first; --cpu-profile writes prefix-<shop>.cpuprofile of the --threads 0 audit)
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse";
import { Parser } from "htmlparser2";
import { profilePhase } from "./lib/cpu-profile.mjs";
import { importDist } from "./lib/dist-library.mjs";
import { auditExport, exportResultHeader, withGeneratedExport } from "./lib/export-files.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_LISTINGS = 10_000;
const SHOPS = ["dense", "sparse"];
const GOALS = { cpuVsFloor: 2.5, wallVsFloor: 1.5, peakRssMB: 300 };
const WARM_UP_LISTINGS = 500;
const HIDDEN = new Set(["script", "style"]);

const values = readOptions("cost-bench", {
  count: { type: "string" },
  shop: { type: "string" },
  "cpu-profile": { type: "string" },
  child: { type: "boolean", default: false },
  file: { type: "string" },
  "warm-up": { type: "string" },
  templates: { type: "string" },
  threads: { type: "string" },
});

/** Milliseconds of garbage collection on this thread while `work` runs, with what `work` returns. */
async function withGcTime(work) {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    const result = await work();
    // GC entries are delivered asynchronously: let the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, gcMs };
  } finally {
    observer.disconnect();
  }
}

/** Wall seconds, CPU seconds (every thread of the process) and GC milliseconds of `work`. */
async function timed(work) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { result, gcMs } = await withGcTime(work);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    gcSeconds: gcMs / 1000,
  };
}

/** The floor of issue 19: decode, split records and read the descriptions' text, nothing else. */
function floor(file) {
  return new Promise((resolve, reject) => {
    let textChars = 0;
    let hidden = 0;
    const html = new Parser(
      {
        onopentagname: (name) => void (HIDDEN.has(name) && hidden++),
        onclosetag: (name) => void (HIDDEN.has(name) && hidden--),
        ontext: (text) => {
          if (hidden === 0) textChars += text.length;
        },
      },
      { decodeEntities: true },
    );
    const records = parse({ delimiter: "\t", relax_quotes: true, relax_column_count: true });
    let description = -1;
    let line = 0;
    let listings = 0;
    records.on("readable", () => {
      for (let record = records.read(); record !== null; record = records.read()) {
        line++;
        if (line === 2) description = record.indexOf("description");
        if (line <= 3) continue;
        listings++;
        hidden = 0;
        html.parseComplete(record[description] ?? "");
      }
    });
    records.on("end", () => resolve({ listings, textChars }));
    records.on("error", reject);
    const decoder = new TextDecoder("utf-16le");
    const input = createReadStream(file);
    input.on("data", (chunk) => records.write(decoder.decode(chunk, { stream: true })));
    input.on("end", () => records.end(decoder.decode()));
    input.on("error", reject);
  });
}

/** The child: one warm-up audit on the small export, then the measured one; figures as the last stdout line. */
async function auditInChild() {
  const library = await importDist("index.js");
  const threads = values.threads === undefined ? {} : { threads: Number(values.threads) };
  await auditExport(library, values["warm-up"], values.templates, threads);
  const profile = values["cpu-profile"];
  const run = () => auditExport(library, values.file, values.templates, threads);
  const figures = await timed(profile ? () => profilePhase(profile, run) : run);
  // The same file again in the same process: its code is compiled by now, so this is the cost a listing
  // has in a long run, apart from the one-off optimising compiles that a 10,000-listing run still pays.
  const compiled = values.threads === "0" ? { compiledCpuSeconds: (await timed(run)).cpuSeconds } : {};
  console.log(JSON.stringify({ ...figures, ...compiled, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (data) => (out += data));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const lines = out.trim().split("\n");
      for (const line of lines.slice(0, -1)) console.log(`  ${line}`);
      if (code !== 0) return reject(new Error(`the audit child exited with ${signal ?? code}: ${out.trim()}`));
      try {
        resolve(JSON.parse(lines.at(-1) ?? ""));
      } catch {
        reject(new Error(`the audit child printed no figures: ${out.trim()}`));
      }
    });
  });
}

const round = (value, digits = 2) => Number(value.toFixed(digits));

async function measureShop(shop, requested, machine) {
  return withGeneratedExport(
    requested,
    async ({ generated, templates, warmUp }) => {
      const files = ["--file", generated.file, "--warm-up", warmUp.file, "--templates", templates];
      await floor(warmUp.file);
      const floorBefore = await timed(() => floor(generated.file));
      const profile = values["cpu-profile"] ? ["--cpu-profile", `${values["cpu-profile"]}-${shop}.cpuprofile`] : [];
      const single = await runChild([...files, "--threads", "0", ...profile]);
      const threaded = await runChild(files);
      const floorAfter = await timed(() => floor(generated.file));
      const floorSeconds = (floorBefore.seconds + floorAfter.seconds) / 2;
      const floorCpu = (floorBefore.cpuSeconds + floorAfter.cpuSeconds) / 2;
      const n = generated.count;
      for (const [name, phase] of [
        ["floor", floorBefore],
        ["audit", single],
      ]) {
        if (phase.listings !== n) console.error(`${shop}: ${name} read ${phase.listings} listings, expected ${n}`);
      }
      const result = {
        ...exportResultHeader("cost", { machine, scale: values.scale, requested, generated }),
        shop,
        titles: generated.titles,
        floor: {
          seconds: [round(floorBefore.seconds, 3), round(floorAfter.seconds, 3)],
          cpuSeconds: round(floorCpu, 3),
          msPerListing: round((floorCpu * 1000) / n, 3),
          textChars: floorBefore.textChars,
        },
        auditSingleThread: {
          seconds: round(single.seconds, 3),
          cpuSeconds: round(single.cpuSeconds, 3),
          msPerListing: round((single.cpuSeconds * 1000) / n, 3),
          gcSeconds: round(single.gcSeconds, 3),
          gcShare: round(single.gcSeconds / single.cpuSeconds, 3),
          compiledCpuSeconds: round(single.compiledCpuSeconds, 3),
          peakRssMB: Math.round(single.peakRssMB),
          findings: single.findings,
          problems: single.problems,
          findingsPerListing: round(single.findings / n),
          reportBytesPerListing: Math.round(single.reportBytes / n),
        },
        auditDefaultThreads: {
          seconds: round(threaded.seconds, 3),
          cpuSeconds: round(threaded.cpuSeconds, 3),
          peakRssMB: Math.round(threaded.peakRssMB),
        },
        ratios: {
          cpuVsFloor: round(single.cpuSeconds / floorCpu),
          compiledCpuVsFloor: round(single.compiledCpuSeconds / floorCpu),
          wallVsFloor: round(threaded.seconds / floorSeconds),
        },
      };
      print(result);
      return result;
    },
    { warmUpCount: WARM_UP_LISTINGS, shop },
  );
}

function print(r) {
  const a = r.auditSingleThread;
  const t = r.auditDefaultThreads;
  const verdict = (value, goal) => (value <= goal ? "meets" : "misses");
  console.log(
    `${r.shop} shop, ${r.listings} listings (${(r.exportBytes / 2 ** 20).toFixed(0)} MiB): ` +
      `${a.findingsPerListing} findings a listing, JSON report ${(a.reportBytesPerListing / 1024).toFixed(1)} KiB a listing`,
  );
  console.log(
    `  floor (TextDecoder + csv-parse + htmlparser2):  ${r.floor.seconds.join(" s / ")} s wall, ${r.floor.cpuSeconds} s CPU, ${r.floor.msPerListing} ms a listing`,
  );
  console.log(
    `  audit --threads 0:                             ${a.seconds} s wall, ${a.cpuSeconds} s CPU, ${a.msPerListing} ms a listing, ` +
      `GC ${a.gcSeconds} s (${(a.gcShare * 100).toFixed(1)} % of its CPU time), peak RSS ${a.peakRssMB} MB`,
  );
  console.log(
    `  audit --threads 0, second pass in the process: ${a.compiledCpuSeconds} s CPU (its code compiled: the cost a listing has in a long run)`,
  );
  console.log(
    `  audit, default threads:                        ${t.seconds} s wall, ${t.cpuSeconds} s CPU, peak RSS ${t.peakRssMB} MB`,
  );
  console.log(
    `  ratio CPU  (audit --threads 0 / floor): ×${r.ratios.cpuVsFloor} — ${verdict(r.ratios.cpuVsFloor, GOALS.cpuVsFloor)} the goal ≤ ×${GOALS.cpuVsFloor}`,
  );
  console.log(`  ratio CPU, second pass / floor: ×${r.ratios.compiledCpuVsFloor}`);
  console.log(
    `  ratio wall (audit, default threads / floor): ×${r.ratios.wallVsFloor} — ${verdict(r.ratios.wallVsFloor, GOALS.wallVsFloor)} the goal ≤ ×${GOALS.wallVsFloor} (on a quiet 2-core machine)`,
  );
  const peak = Math.max(a.peakRssMB, t.peakRssMB);
  console.log(`  peak RSS ${peak} MB — ${verdict(peak, GOALS.peakRssMB - 1)} the goal < ${GOALS.peakRssMB} MB`);
}

async function measure() {
  const requested = readCount("cost-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
  if (values.shop !== undefined && !SHOPS.includes(values.shop))
    throw new Error(`--shop must be one of ${SHOPS.join(", ")}, not "${values.shop}"`);
  const machine = describeMachine();
  console.log(`machine: ${formatMachine(machine)}`);
  const shops = {};
  for (const shop of values.shop ? [values.shop] : SHOPS) shops[shop] = await measureShop(shop, requested, machine);
  handOver(values, { bench: "cost", date: new Date().toISOString(), machine, goals: GOALS, shops });
}

if (values.child) await auditInChild().catch((error) => stopWith("cost-bench (audit child)", error));
else await measure().catch((error) => stopWith("cost-bench", error));
