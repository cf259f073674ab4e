// Benchmark 4, memory (issue 6 §4, issue 3): peak RSS while auditing a generated 淘宝助理 export of
// 1,000,000 listings (about 5 GB in the system temp folder; free disk is checked first). The audit runs
// in a child process of its own, so the figure is the audit's alone — not the generator's, not this
// process's. Goal: under 300 MB. At full scale this takes a long time; `--scale` shrinks it.
//   node bench/memory-bench.mjs [--scale 0.1] [--count N]   (run `npm run build` first)
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { importDist } from "./lib/dist-library.mjs";
import { auditExport, withGeneratedExport, exportResultHeader } from "./lib/export-files.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_LISTINGS = 1_000_000;
const GOAL_MB = 300;
const SAMPLE_MS = 10_000;

const values = readOptions("memory-bench", {
  count: { type: "string" },
  dense: { type: "boolean", default: false },
  child: { type: "boolean", default: false },
  file: { type: "string" },
  templates: { type: "string" },
});

if (values.child)
  await auditInChild(values.file, values.templates).catch((error) => stopWith("memory-bench (audit child)", error));
else await measure().catch((error) => stopWith("memory-bench", error));

/**
 * The child: audit the export, then report the figures as the last line of stdout — with RSS sampled
 * along the way and the heap still in use after a full GC at the end, which tell a plateau from growth
 * and growth from what the run must keep (the JSON report's problems are written at its end).
 */
async function auditInChild(file, templates) {
  const library = await importDist("index.js");
  const started = performance.now();
  const rssSamplesMB = [];
  const heapSamplesMB = [];
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rssSamplesMB.push(Math.round(usage.rss / 2 ** 20));
    heapSamplesMB.push(Math.round(usage.heapUsed / 2 ** 20));
  }, SAMPLE_MS);
  const audited = await auditExport(library, file, templates);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const heapAfterGcMB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  console.log(
    JSON.stringify({
      ...audited,
      seconds,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      heapAfterGcMB,
      rssSamplesMB,
      heapSamplesMB,
    }),
  );
}

async function measure() {
  const requested = readCount("memory-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
  const machine = describeMachine();
  console.log(`machine: ${formatMachine(machine)}`);
  const entry = await withGeneratedExport(
    requested,
    async ({ generated, templates }) => {
      const child = await runChild(generated.file, templates);
      const peakRssMB = Math.round(child.peakRssMB);
      const passed = peakRssMB < GOAL_MB;
      console.log(
        `audited ${child.listings} listings in ${child.seconds.toFixed(1)} s (${Math.round(child.listings / child.seconds)} listings/s, ` +
          `${child.findings} findings, ${child.problems} problems) in a child process`,
      );
      const note =
        generated.count < DEFAULT_LISTINGS
          ? ` (at ${generated.count} listings; the goal is stated for ${DEFAULT_LISTINGS})`
          : "";
      console.log(`RSS every ${SAMPLE_MS / 1000} s (MB): ${thin(child.rssSamplesMB, 12).join(" ")}`);
      console.log(
        `JS heap in use at the same moments (MB): ${thin(child.heapSamplesMB, 12).join(" ")}; after the run and a full GC: ${child.heapAfterGcMB} MB`,
      );
      console.log(
        `peak RSS of the audit: ${peakRssMB} MB — ${passed ? "PASS" : "FAIL"}: goal under ${GOAL_MB} MB${note}`,
      );
      return {
        ...exportResultHeader("memory", { machine, scale: values.scale, requested, generated }),
        seconds: Number(child.seconds.toFixed(1)),
        listingsPerSecond: Math.round(child.listings / child.seconds),
        findings: child.findings,
        peakRssMB,
        rssSamplesMB: thin(child.rssSamplesMB, 24),
        heapSamplesMB: thin(child.heapSamplesMB, 24),
        heapAfterGcMB: child.heapAfterGcMB,
        goalMB: GOAL_MB,
        passed,
      };
    },
    { dense: values.dense },
  );
  handOver(values, entry);
  if (!entry.passed) process.exitCode = 1;
}

function runChild(file, templates) {
  return new Promise((resolve, reject) => {
    // --expose-gc only lets the child measure what is still reachable once it is done.
    const child = spawn(
      process.execPath,
      ["--expose-gc", fileURLToPath(import.meta.url), "--child", "--file", file, "--templates", templates],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (data) => (out += data));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0)
        return reject(new Error(`the audit child exited with ${signal ?? code}${out.trim() ? `: ${out.trim()}` : ""}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`the audit child printed no figures: ${out.trim()}`));
      }
    });
  });
}

/** At most `count` evenly spaced values of `list`, the last one included. */
function thin(list, count) {
  if (list.length <= count) return list;
  return Array.from({ length: count }, (_, i) => list[Math.round(((i + 1) * (list.length - 1)) / count)]);
}
