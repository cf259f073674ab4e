// What the queue tests share: a key prefix of their own on the shared Redis (cleaned up after), worker
// processes as real children of bin/listing-audit.js, a private redis-server on a free port for the
// tests that stop Redis, and a generated export with its templates.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { ROOT, startCli, waitFor, type ChildRun } from "./child-cli.js";

/** The Redis the project's machines provide (CI starts one when none answers). */
export const SHARED_REDIS_PORT = 6379;

export function uniquePrefix(name: string): string {
  return `test-${name}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

export function queueUrl(prefix: string, port = SHARED_REDIS_PORT): string {
  return `redis://127.0.0.1:${port}/0?prefix=${prefix}`;
}

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string, port = SHARED_REDIS_PORT): Promise<void> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  done: Promise<ChildRun>;
  /** What the worker printed on stdout so far: one line per finished job. */
  lines(): string[];
  stderr(): string;
}

/**
 * A worker process. Tests of dead workers give a short `lockMs`, so that a killed worker's shard is handed
 * on within seconds; the others keep BullMQ's 30 s, which a loaded machine's pauses never outlast.
 */
export function startWorkerProcess(url: string, extra: readonly string[] = [], lockMs = 30_000): WorkerProcess {
  let stdout = "";
  const started = startCli(["worker", "--queue", url, "--lock-ms", String(lockMs), "--lang", "en", ...extra]);
  started.child.stdout?.on("data", (d: string) => (stdout += d));
  return {
    child: started.child,
    done: started.done,
    lines: () => stdout.split("\n").filter((l) => l !== ""),
    stderr: started.stderrSoFar,
  };
}

/** Stops a worker gracefully (SIGTERM) and waits for it. */
export async function stopWorker(worker: WorkerProcess): Promise<ChildRun> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGTERM");
  return worker.done;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A redis-server of the test's own, with an append-only file so that a restart keeps the queue. */
export interface PrivateRedis {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  let server: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", ""],
      { stdio: "ignore" },
    );
    const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => 100 });
    client.on("error", () => {});
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    client.disconnect();
  };
  const stop = async (): Promise<void> => {
    const running = server;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return { port, start, stop };
}

/** Writes a generated 淘宝助理 export of `count` listings and the templates it names into `dir`. */
export async function writeGeneratedExport(dir: string, count: number): Promise<{ input: string; templates: string }> {
  const input = path.join(dir, "export.csv");
  execFileSync(process.execPath, ["bench/generate-export.mjs", "--count", String(count), "--out", input], {
    cwd: ROOT,
  });
  const { TEMPLATES_YAML } = (await import(pathToFileURL(path.join(ROOT, "bench", "generate-export.mjs")).href)) as {
    TEMPLATES_YAML: string;
  };
  const templates = path.join(dir, "templates.yaml");
  writeFileSync(templates, TEMPLATES_YAML);
  return { input, templates };
}

export { waitFor };
