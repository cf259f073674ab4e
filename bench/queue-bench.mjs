// Benchmark: a distributed run against the local one (issue 17). The generated 淘宝助理 export (default
// 200,000 listings) is audited by the command line, each run a process of its own, the JSON report to a file:
//   1. locally, as users run it (worker threads by default),
//   2. locally on one thread (--threads 0): the work one queue worker does,
//   3. through the queue with 1 worker process, then 4. with 2 worker processes (one per core).
// Prints listings/s for each, the queue's overhead against the local runs, the scaling from 1 to 2
// workers, and checks that every queue report equals the local one byte for byte.
//   node bench/queue-bench.mjs [--scale 0.05] [--count N] [--shard-size N] [--redis redis://127.0.0.1:6379/0]
// Needs a Redis server (the project's machines have one at 127.0.0.1:6379) and `npm run build`.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
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
  redis: { type: "string", default: "redis://127.0.0.1:6379/0" },
});
const requested = readCount("queue-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
// Ten shards or more, so that two workers share the work however small the run (200,000: the default 20,000).
const shardSize = readCount("queue-bench", values, "shard-size", Math.min(20_000, Math.ceil(requested / 10)));
const machine = describeMachine();
console.log(`machine: ${formatMachine(machine)}`);

/** Runs the command line to the end; its wall time in seconds. */
function runCli(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      // 0 and 1 (findings) are runs that did their job.
      if (code === 0 || code === 1) resolve((performance.now() - started) / 1000);
      else reject(new Error(`listing-audit ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

function startWorkers(count, url) {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, [BIN, "worker", "--queue", url], { stdio: "ignore" }),
  );
}

async function stopWorkers(workers) {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise((resolve) => {
          if (worker.exitCode !== null) return resolve();
          worker.once("exit", resolve);
          worker.kill("SIGTERM");
        }),
    ),
  );
}

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
    const phases = [];
    const phase = (name, seconds) => {
      const entry = {
        name,
        seconds: Number(seconds.toFixed(2)),
        listingsPerSecond: Math.round(generated.count / seconds),
      };
      console.log(
        `${name.padEnd(40)} ${seconds.toFixed(2).padStart(8)} s ${String(entry.listingsPerSecond).padStart(8)} listings/s`,
      );
      phases.push(entry);
      return entry;
    };
    try {
      const localReport = path.join(work, "local.json");
      const local = phase("local (default threads)", await audit(localReport, []));
      const oneThread = phase("local (--threads 0)", await audit(path.join(work, "local-0.json"), ["--threads", "0"]));
      const expected = await sha256(localReport);
      const queued = [];
      for (const workers of [1, 2]) {
        const report = path.join(work, `queue-${workers}.json`);
        const running = startWorkers(workers, url);
        try {
          const seconds = await audit(report, [
            "--queue",
            url,
            "--shared",
            path.join(work, "shared"),
            "--shard-size",
            String(shardSize),
            "--run-id",
            `bench-${workers}`,
          ]);
          queued.push({ ...phase(`queue, ${workers} worker process${workers > 1 ? "es" : ""}`, seconds), workers });
        } finally {
          await stopWorkers(running);
        }
        const same = (await sha256(report)) === expected;
        queued.at(-1).sameReport = same;
        if (!same)
          throw new Error(`the JSON report of the queue run with ${workers} workers differs from the local one`);
      }
      const [one, two] = queued;
      const ratios = {
        overheadOneWorkerVsLocalPercent: Number(((one.seconds / local.seconds - 1) * 100).toFixed(1)),
        overheadOneWorkerVsOneThreadPercent: Number(((one.seconds / oneThread.seconds - 1) * 100).toFixed(1)),
        scalingTwoWorkers: Number((one.seconds / two.seconds).toFixed(2)),
      };
      console.log(
        `queue overhead, 1 worker: ${ratios.overheadOneWorkerVsLocalPercent} % against the local run, ` +
          `${ratios.overheadOneWorkerVsOneThreadPercent} % against one thread (goal ≤ ${GOALS.overheadOneWorkerPercent} %); ` +
          `2 workers ×${ratios.scalingTwoWorkers} of 1 (goal near ×2); reports identical to the local one`,
      );
      handOver(values, {
        ...exportResultHeader("queue", { machine, scale: values.scale, requested, generated }),
        shardSize,
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
