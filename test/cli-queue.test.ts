// Distributed runs against the real Redis on 127.0.0.1:6379 with real worker processes: the reports are
// those of a local run byte for byte; runs do not mix; the run's state can be read and resumed.
// Command-line tests run dist/: `npm run build` first.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runChildCli, waitFor } from "./helpers/child-cli.js";
import {
  dropPrefix,
  queueUrl,
  startWorkerProcess,
  stopWorker,
  uniquePrefix,
  writeGeneratedExport,
  type WorkerProcess,
} from "./helpers/queue-harness.js";

const SAMPLES = ["samples/listings.json", "samples/taobao-export.csv", "-t", "samples/templates"];
const LONG = 180_000;

let work: string;
let generated: { input: string; templates: string };
const prefixes: string[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "queue-"));
  generated = await writeGeneratedExport(work, 3000);
}, LONG);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  for (const prefix of prefixes) await dropPrefix(prefix);
  rmSync(work, { recursive: true, force: true });
});

function newQueue(name: string): string {
  const prefix = uniquePrefix(name);
  prefixes.push(prefix);
  return queueUrl(prefix);
}

function worker(url: string, extra: readonly string[] = []): WorkerProcess {
  const started = startWorkerProcess(url, extra);
  workers.push(started);
  return started;
}

/** The same audit locally and through the queue, each report to its own files. */
async function auditBothWays(
  name: string,
  inputs: readonly string[],
  url: string,
  formats: readonly string[],
  queueArgs: readonly string[] = [],
) {
  const out = path.join(work, name);
  mkdirSync(out, { recursive: true });
  const formatArgs = (side: string) => formats.flatMap((f) => ["-f", `${f}=${path.join(out, `${side}.${f}`)}`]);
  const local = await runChildCli([...inputs, ...formatArgs("local"), "--lang", "en"]);
  const queued = await runChildCli([
    ...inputs,
    ...formatArgs("queue"),
    "--lang",
    "en",
    "--queue",
    url,
    "--shared",
    path.join(work, "shared"),
    ...queueArgs,
  ]);
  const read = (side: string, format: string) => readFileSync(path.join(out, `${side}.${format}`), "utf8");
  return { local, queued, read };
}

describe("a distributed run reports what a local run reports", () => {
  test(
    "samples/: JSON, SARIF and CSV byte for byte, in shards of 10",
    async () => {
      const url = newQueue("samples");
      const w = worker(url);
      const { local, queued, read } = await auditBothWays(
        "samples",
        SAMPLES,
        url,
        ["json", "sarif", "csv"],
        ["--shard-size", "10"],
      );
      expect(queued.code, queued.stderr).toBe(local.code);
      for (const format of ["json", "sarif", "csv"]) expect(read("queue", format)).toBe(read("local", format));
      // 62 listings in shards of 10: seven shard jobs, one line each.
      await waitFor(() => w.lines().length >= 8, 20_000);
      expect(w.lines().filter((l) => l.startsWith("shard done"))).toHaveLength(7);
      expect(w.lines().find((l) => l.startsWith("merge done"))).toMatch(/failed=0/);
    },
    LONG,
  );

  test(
    "a generated export of 3,000 listings, two workers: the same JSON byte for byte",
    async () => {
      const url = newQueue("export");
      const [a, b] = [worker(url), worker(url)];
      const inputs = [generated.input, "-t", generated.templates];
      const { local, queued, read } = await auditBothWays("export", inputs, url, ["json"], ["--shard-size", "400"]);
      expect(queued.code, queued.stderr).toBe(local.code);
      expect(read("queue", "json")).toBe(read("local", "json"));
      const done = [...a.lines(), ...b.lines()].filter((l) => l.startsWith("shard done"));
      expect(done).toHaveLength(8);
      expect(done.reduce((n, l) => n + Number(/listings=(\d+)/.exec(l)?.[1]), 0)).toBe(3000);
    },
    LONG,
  );

  test(
    "two runs at once on one queue keep their shards and results apart",
    async () => {
      const url = newQueue("two-runs");
      worker(url);
      worker(url);
      const inputs = [generated.input, "-t", generated.templates];
      const [first, second] = await Promise.all([
        auditBothWays("run-a", SAMPLES, url, ["json"], ["--shard-size", "7", "--run-id", "run-a"]),
        auditBothWays("run-b", inputs, url, ["json"], ["--shard-size", "500", "--run-id", "run-b"]),
      ]);
      expect(first.read("queue", "json")).toBe(first.read("local", "json"));
      expect(second.read("queue", "json")).toBe(second.read("local", "json"));
      const shared = path.join(work, "shared");
      expect(readdirSync(path.join(shared, "run-a", "results")).filter((f) => !f.startsWith("."))).toHaveLength(9);
      expect(readdirSync(path.join(shared, "run-b", "results")).filter((f) => !f.startsWith("."))).toHaveLength(6);
    },
    LONG,
  );
});

describe("operating runs", () => {
  test(
    "--detach enqueues and returns; runs list and show name the run; runs resume writes the reports",
    async () => {
      const url = newQueue("detach");
      const out = path.join(work, "detach");
      mkdirSync(out, { recursive: true });
      const report = path.join(out, "queue.json");
      const args = [
        ...SAMPLES,
        "-f",
        `json=${report}`,
        "--lang",
        "en",
        "--queue",
        url,
        "--shared",
        path.join(work, "shared"),
      ];
      const detached = await runChildCli([...args, "--shard-size", "20", "--run-id", "detached-1", "--detach"]);
      expect(detached.code, detached.stderr).toBe(0);
      expect(detached.stderr).toMatch(/run detached-1 is on the queue/);
      const listed = await runChildCli(["runs", "list", "--queue", url, "--lang", "en"]);
      expect(listed.stdout).toMatch(/^detached-1 {2}running {2}shards 0\/4 \(0 failed\) {2}listings 62$/m);

      worker(url);
      const resumed = await runChildCli(["runs", "resume", "detached-1", "--queue", url, "--lang", "en"], {
        stderrTTY: true,
      });
      // On a terminal: shards, listings, rate and time left while the run goes on.
      expect(resumed.stderr).toMatch(/shards [1-4]\/4 · \d+\/62 listings · \d+\/s · ETA \d+m \d+s/);
      const local = await runChildCli([...SAMPLES, "-f", `json=${path.join(out, "local.json")}`, "--lang", "en"]);
      expect(resumed.code, resumed.stderr).toBe(local.code);
      expect(readFileSync(report, "utf8")).toBe(readFileSync(path.join(out, "local.json"), "utf8"));
      const shown = await runChildCli(["runs", "show", "detached-1", "--queue", url, "--lang", "en"]);
      expect(shown.stdout).toMatch(/^detached-1 {2}done {2}shards 4\/4 \(0 failed\) {2}listings 62$/m);
    },
    LONG,
  );

  test(
    "runs cancel takes a run's waiting shards off the queue; runs list shows it cancelled",
    async () => {
      const url = newQueue("cancel");
      const args = [...SAMPLES, "--lang", "en", "--queue", url, "--shared", path.join(work, "shared")];
      const detached = await runChildCli([...args, "--shard-size", "10", "--run-id", "cancel-1", "--detach"]);
      expect(detached.code, detached.stderr).toBe(0);
      const cancelled = await runChildCli(["runs", "cancel", "cancel-1", "--queue", url, "--lang", "en"]);
      expect(cancelled.code).toBe(0);
      expect(cancelled.stdout).toBe("run cancel-1 cancelled: shards not yet started left the queue\n");
      const listed = await runChildCli(["runs", "list", "--queue", url, "--lang", "en"]);
      expect(listed.stdout).toBe("cancel-1  cancelled  shards 0/7 (0 failed)  listings 62\n");
      const unknown = await runChildCli(["runs", "show", "no-such-run", "--queue", url, "--lang", "en"]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/no run no-such-run on the queue/);
    },
    LONG,
  );

  test(
    "a worker serves Prometheus text counts and logs one line per job",
    async () => {
      const url = newQueue("metrics");
      const w = worker(url, ["--metrics-port", "0"]);
      expect(await waitFor(() => /metrics: (http:\S+)/.test(w.stderr()), 30_000)).toBe(true);
      const metricsUrl = /metrics: (http:\S+)/.exec(w.stderr())?.[1] ?? "";
      const out = path.join(work, "metrics.json");
      const run = await runChildCli([
        ...SAMPLES,
        "-f",
        `json=${out}`,
        "--queue",
        url,
        "--shared",
        path.join(work, "shared"),
        "--shard-size",
        "31",
      ]);
      expect(run.code, run.stderr).toBe(1);
      // The counts and the log lines change together, when the worker learns that a job is done.
      expect(await waitFor(() => w.lines().length === 3, 30_000), w.lines().join("\n")).toBe(true);
      const text = await (await fetch(metricsUrl)).text();
      expect(text).toMatch(/^listing_audit_worker_listings_audited_total 62$/m);
      expect(text).toMatch(/^listing_audit_worker_jobs_completed_total 3$/m);
      expect(text).toMatch(/^# TYPE listing_audit_worker_jobs_active gauge$/m);
      expect(text).toMatch(/^process_cpu_seconds_total \d+(\.\d+)?$/m);
      expect(w.lines().filter((l) => /^shard done run=\S+ shard=\d+ listings=31 ms=\d+$/.test(l))).toHaveLength(2);
      const stopped = await stopWorker(w);
      expect(stopped.code).toBe(0);
      expect(stopped.stderr).toMatch(/SIGTERM: finishing the current jobs/);
    },
    LONG,
  );
});

describe("options and folders that do not allow a distributed run", () => {
  test.each([
    [["--queue", "http://x"], /--queue: expected redis:\/\/host:port\[\/db\], got http:/],
    [["--queue", "redis://127.0.0.1:6379"], /--queue needs --shared <folder>/],
    [["--shared", "x"], /--shared, --shard-size, --run-id and --detach go with --queue/],
    [["--queue", "redis://127.0.0.1:6379", "--shared", "x", "--run-id", "a/b"], /--run-id may hold letters/],
  ])("%j: exit 2", async (args, message) => {
    const run = await runChildCli([...SAMPLES, "--lang", "en", ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("a shared folder that cannot be created: a clear error, exit 2, nothing enqueued", async () => {
    const file = path.join(work, "a-file");
    writeFileSync(file, "");
    const url = newQueue("unwritable");
    const run = await runChildCli([...SAMPLES, "--lang", "en", "--queue", url, "--shared", path.join(file, "shared")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write the shared results folder .*a-file\/shared \((ENOTDIR|EEXIST)\)/);
    const listed = await runChildCli(["runs", "list", "--queue", url, "--lang", "en"]);
    expect(listed.stdout).toBe("no runs on the queue\n");
  });
});
