// Benchmark: a distributed run against the local one (issue 17). The generated 淘宝助理 export (default
// 200,000 listings) is audited by the command line, each run a process of its own, the JSON report to a file:
//   1. locally, as users run it (worker threads by default),
//   2. locally on one thread (--threads 0): the work one queue worker does (one thread),
//   3. through the queue with 1 worker process, then 4. with 2 worker processes (one per core).
// Prints listings/s for each, the overhead of 1 worker against both local runs (the goal is
// against one thread, see docs/benchmarks.md), the scaling from 1 to 2 workers, the workers' own CPU
// seconds per 1,000 listings (from their metrics), and checks that every queue report equals the local
// one byte for byte. `--runs N` repeats the four runs, alternating, and takes the median of each.
//   node bench/queue-bench.mjs [--scale 0.05] [--count N] [--shard-size N] [--runs N] [--redis redis://127.0.0.1:6379/0]
// Needs a Redis server (the project's machines have one at 127.0.0.1:6379) and `npm run build`.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./lib/dist-library.mjs";
import { exportResultHeader, withGeneratedExport } from "./lib/export-files.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_LISTINGS = 200_000;
const GOALS = { overheadOneWorkerPercent: 10, scalingTwoWorkers: 1.8 };
const BIN = path.join(ROOT, "bin", "listing-audit.js");

const values = readOptions("queue-bench", {
  count: { type: "string" },
  "shard-size": { type: "string" },
  runs: { type: "string" },
  redis: { type: "string", default: "redis://127.0.0.1:6379/0" },
});
const requested = readCount("queue-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
// Ten shards or more, so that two workers share the work however small the run (200,000: the default 20,000).
const shardSize = readCount("queue-bench", values, "shard-size", Math.min(20_000, Math.ceil(requested / 10)));
const rounds = readCount("queue-bench", values, "runs", 1);
const machine = describeMachine();
console.log(`machine: ${formatMachine(machine)}`);

/** CPU seconds (user + system, every thread) a live process has used, from /proc; undefined elsewhere. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs the command line to the end: its wall time and (sampled every 100 ms, Linux) CPU time in seconds. */
function runCli(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let cpuSeconds;
    const sampler = setInterval(() => (cpuSeconds = processCpuSeconds(child.pid) ?? cpuSeconds), 100);
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      clearInterval(sampler);
      // 0 and 1 (findings) are runs that did their job.
      if (code === 0 || code === 1) resolve({ seconds: (performance.now() - started) / 1000, cpuSeconds });
      else reject(new Error(`listing-audit ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** Worker processes serving their counts on any free port; resolves once each says where. */
async function startWorkers(count, url) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(process.execPath, [BIN, "worker", "--queue", url, "--metrics-port", "0", "--lang", "en"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      const metrics = await new Promise((resolve, reject) => {
        child.stderr.on("data", (d) => {
          stderr += d;
          const found = /metrics: (http:\S+)/.exec(stderr);
          if (found) resolve(found[1]);
        });
        child.once("exit", (code) => reject(new Error(`a worker exited ${code} before it was ready: ${stderr}`)));
      });
      return { child, metrics };
    }),
  );
}

/** A worker's CPU seconds and listings audited so far, from its own metrics (/proc for a build without the CPU metric). */
async function readWorkerCounts(worker) {
  const text = await (await fetch(worker.metrics)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  const cpuSeconds = value("process_cpu_seconds_total");
  return {
    cpuSeconds: Number.isNaN(cpuSeconds) ? processCpuSeconds(worker.child.pid) : cpuSeconds,
    listings: value("listing_audit_worker_listings_audited_total"),
  };
}

async function stopWorkers(workers) {
  await Promise.all(
    workers.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", resolve);
          child.kill("SIGTERM");
        }),
    ),
  );
}

const NAMES = {
  local: "local (default threads)",
  oneThread: "local (--threads 0)",
  queue1: "queue, 1 worker process",
  queue2: "queue, 2 worker processes",
};

const median = (numbers) => {
  const sorted = numbers.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function sha256(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

/** Deletes the benchmark's keys (its own prefix) from Redis. */
async function dropPrefix(url, prefix) {
  const { Redis } = await import("ioredis");
  const parsed = new URL(url);
  const client = new Redis({
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
  });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

try {
  await withGeneratedExport(requested, async ({ generated, templates }) => {
    const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-queue-bench-"));
    const prefix = `bench-${process.pid}-${randomBytes(3).toString("hex")}`;
    const url = `${values.redis}${values.redis.includes("?") ? "&" : "?"}prefix=${prefix}`;
    const input = generated.file;
    const audit = (report, extra) =>
      runCli([input, "-t", templates, "-f", `json=${report}`, "--quiet", ...extra], work);
    try {
      const localReport = path.join(work, "local.json");
      let expected;
      /** One run of each kind, in the order of the issue; seconds (and the workers' CPU) of each. */
      const runRound = async (round) => {
        const figures = {};
        figures.local = await audit(localReport, []);
        expected ??= await sha256(localReport);
        figures.oneThread = await audit(path.join(work, "local-0.json"), ["--threads", "0"]);
        for (const workers of [1, 2]) {
          const report = path.join(work, `queue-${workers}.json`);
          const running = await startWorkers(workers, url);
          try {
            // Start-up (loading the tool) is not what a listing costs: counted from here.
            const before = await Promise.all(running.map(readWorkerCounts));
            const { seconds, cpuSeconds } = await audit(report, [
              "--queue",
              url,
              "--shared",
              path.join(work, "shared"),
              "--shard-size",
              String(shardSize),
              "--run-id",
              `bench-${round}-${workers}`,
            ]);
            const after = await Promise.all(running.map(readWorkerCounts));
            const perWorker = after.map((a, i) => ({
              listings: a.listings - before[i].listings,
              cpuSeconds: Number((a.cpuSeconds - before[i].cpuSeconds).toFixed(2)),
            }));
            const cpu = perWorker.reduce((n, w) => n + w.cpuSeconds, 0);
            figures[`queue${workers}`] = {
              seconds,
              cpuSeconds,
              workers: perWorker,
              cpuSecondsPer1000: Number(((cpu / generated.count) * 1000).toFixed(3)),
            };
          } finally {
            await stopWorkers(running);
          }
          if ((await sha256(report)) !== expected)
            throw new Error(`the JSON report of the queue run with ${workers} workers differs from the local one`);
        }
        console.log(`round ${round}:`);
        for (const [key, name] of Object.entries(NAMES)) console.log(formatPhase(name, summarise(key, [figures])));
        return figures;
      };
      /** A phase's figures (medians over the rounds): wall time, rate, CPU per 1,000 listings. */
      const summarise = (key, rounds) => {
        const seconds = median(rounds.map((r) => r[key].seconds));
        const per1000 = (cpu) => (cpu === undefined ? undefined : Number(((cpu / generated.count) * 1000).toFixed(3)));
        const producer = median(rounds.map((r) => r[key].cpuSeconds ?? Number.NaN));
        const workers = key.startsWith("queue") ? median(rounds.map((r) => r[key].cpuSecondsPer1000)) : undefined;
        return {
          seconds: Number(seconds.toFixed(2)),
          listingsPerSecond: Math.round(generated.count / seconds),
          // The local run's own process; the producer, for a queue run.
          processCpuSecondsPer1000: Number.isNaN(producer) ? undefined : per1000(producer),
          ...(workers === undefined
            ? {}
            : { workers: Number(key.slice(5)), sameReport: true, workerCpuSecondsPer1000: workers }),
        };
      };
      const formatPhase = (name, p) => {
        const cpu =
          p.workerCpuSecondsPer1000 === undefined
            ? `CPU ${p.processCpuSecondsPer1000 ?? "?"} s`
            : `CPU producer ${p.processCpuSecondsPer1000 ?? "?"} s + workers ${p.workerCpuSecondsPer1000} s`;
        return `  ${name.padEnd(28)} ${p.seconds.toFixed(2).padStart(8)} s ${String(p.listingsPerSecond).padStart(7)} listings/s   ${cpu} per 1,000 listings`;
      };
      const all = [];
      for (let round = 1; round <= rounds; round++) all.push(await runRound(round));
      const phases = Object.entries(NAMES).map(([key, name]) => ({ name, ...summarise(key, all) }));
      const [local, oneThread, one, two] = phases;
      const ratios = {
        overheadOneWorkerVsOneThreadPercent: Number(((one.seconds / oneThread.seconds - 1) * 100).toFixed(1)),
        overheadOneWorkerVsLocalPercent: Number(((one.seconds / local.seconds - 1) * 100).toFixed(1)),
        scalingTwoWorkers: Number((one.seconds / two.seconds).toFixed(2)),
        workerCpuTwoVsOne: Number((two.workerCpuSecondsPer1000 / one.workerCpuSecondsPer1000).toFixed(2)),
      };
      console.log(rounds > 1 ? `median of ${rounds} rounds:` : "summary:");
      for (const p of phases) console.log(formatPhase(p.name, p));
      console.log(
        `queue overhead, 1 worker: ${ratios.overheadOneWorkerVsOneThreadPercent} % against local --threads 0 ` +
          `(the issue's comparison: one worker process audits on one thread; goal ≤ ${GOALS.overheadOneWorkerPercent} %), ` +
          `${ratios.overheadOneWorkerVsLocalPercent} % against local with default threads`,
      );
      console.log(
        `2 workers ×${ratios.scalingTwoWorkers} of 1 (goal near ×2); worker CPU per listing with 2 workers ×${ratios.workerCpuTwoVsOne} of 1 ` +
          `(×1: the work itself scales, only the cores are short); reports identical to the local one`,
      );
      handOver(values, {
        ...exportResultHeader("queue", { machine, scale: values.scale, requested, generated }),
        shardSize,
        rounds,
        phases,
        ratios,
        goals: GOALS,
      });
    } finally {
      await dropPrefix(values.redis, prefix);
      rmSync(work, { recursive: true, force: true });
    }
  });
} catch (error) {
  stopWith("queue-bench", error);
}
