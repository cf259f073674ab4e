// The faults of docs/scale.md, each against a real Redis with real worker processes: a worker killed in
// the middle of a shard, a shard that kills every worker that takes it, Redis restarted during a run, a
// producer interrupted and resumed. Command-line tests run dist/: `npm run build` first.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runChildCli, startCli, waitFor } from "./helpers/child-cli.js";
import {
  dropPrefix,
  queueUrl,
  SHARED_REDIS_PORT,
  startPrivateRedis,
  startWorkerProcess,
  stopWorker,
  uniquePrefix,
  writeGeneratedExport,
  type WorkerProcess,
} from "./helpers/queue-harness.js";

const LONG = 300_000;

let work: string;
let inputs: string[];
let localReport: string;
let localCode: number | null;
const prefixes: string[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "queue-faults-"));
  const generated = await writeGeneratedExport(work, 3000);
  inputs = [generated.input, "-t", generated.templates, "--lang", "en"];
  const local = await runChildCli([...inputs, "-f", `json=${path.join(work, "local.json")}`]);
  localCode = local.code;
  localReport = readFileSync(path.join(work, "local.json"), "utf8");
}, LONG);

afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  for (const prefix of prefixes) await dropPrefix(prefix);
  rmSync(work, { recursive: true, force: true });
});

/** A queue of the test's own; on the shared Redis its keys are dropped afterwards (a private one goes whole). */
function newQueue(name: string, port = SHARED_REDIS_PORT): string {
  const prefix = uniquePrefix(name);
  if (port === SHARED_REDIS_PORT) prefixes.push(prefix);
  return queueUrl(prefix, port);
}

/** A worker; `quickStalls` for the tests of dead workers (their shards handed on after 2 s). */
function worker(url: string, quickStalls = false): WorkerProcess {
  const started = startWorkerProcess(url, [], quickStalls ? 2000 : undefined);
  workers.push(started);
  return started;
}

const shared = () => path.join(work, "shared");

/** A distributed audit of the generated export in shards of `shardSize`, reported to `<name>.json`. */
function startProducer(url: string, runId: string, shardSize: number) {
  const report = path.join(work, `${runId}.json`);
  const started = startCli([
    ...inputs,
    "-f",
    `json=${report}`,
    "--queue",
    url,
    "--shared",
    shared(),
    "--shard-size",
    String(shardSize),
    "--run-id",
    runId,
  ]);
  return { ...started, report: () => readFileSync(report, "utf8") };
}

/** Shards being written now, and by which process: a worker's results are a temporary dot-file until done. */
function shardsInProgress(runId: string): { index: number; pid: number }[] {
  const folder = path.join(shared(), runId, "results");
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const match = /^\.(\d+)\.ndjson\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
    return match ? [{ index: Number(match[1]), pid: Number(match[2]) }] : [];
  });
}

const doneShards = (w: WorkerProcess): number[] =>
  w.lines().flatMap((line) => {
    const match = /^shard done run=\S+ shard=(\d+) /.exec(line);
    return match ? [Number(match[1])] : [];
  });

describe("faults during a distributed run", () => {
  test(
    "a worker killed with SIGKILL in the middle of a shard: another worker audits it, every listing once",
    async () => {
      const url = newQueue("sigkill");
      const first = worker(url, true);
      const producer = startProducer(url, "sigkill-1", 1000);
      expect(await waitFor(() => shardsInProgress("sigkill-1").some((s) => s.pid === first.child.pid), 120_000)).toBe(
        true,
      );
      const victim = shardsInProgress("sigkill-1").find((s) => s.pid === first.child.pid)?.index;
      first.child.kill("SIGKILL");
      await first.done;
      const second = worker(url, true);
      const run = await producer.done;
      expect(run.code, run.stderr).toBe(localCode);
      expect(producer.report()).toBe(localReport);
      expect(doneShards(first)).not.toContain(victim);
      expect(doneShards(second)).toContain(victim);
    },
    LONG,
  );

  test(
    "a shard that kills every worker that takes it fails after its attempts; the rest is reported, exit 3",
    async () => {
      const url = newQueue("poison");
      const live = new Set<WorkerProcess>([worker(url, true), worker(url, true)]);
      const producer = startProducer(url, "poison-1", 1000);
      let kills = 0;
      let finished = false;
      void producer.done.then(() => (finished = true));
      // The "poison": shard 1 takes down whichever worker audits it, as a record that crashes the process would.
      while (!finished) {
        for (const w of live) {
          if (!shardsInProgress("poison-1").some((s) => s.index === 1 && s.pid === w.child.pid)) continue;
          w.child.kill("SIGKILL");
          live.delete(w);
          live.add(worker(url, true));
          kills++;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const run = await producer.done;
      expect(kills).toBe(3);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/the run is incomplete: 1 shards failed for good, 1000 listings not audited/);

      const queued = JSON.parse(producer.report()) as Report;
      const local = JSON.parse(localReport) as Report;
      const failed = queued.problems.filter((p) => p.code === "run/shard-failed");
      expect(failed).toHaveLength(1000);
      for (const problem of failed) expect(problem.source.file).toMatch(/export\.csv$/);
      const rows = failed.map((p) => p.source.row ?? -1);
      expect(rows).toEqual(rows.map((_, i) => (rows[0] ?? 0) + i));
      expect(queued.summary).toMatchObject({ listings: 2000, skipped: 1000 });
      const lost = new Set(failed.map((p) => p.listingId));
      expect(queued.findings).toEqual(local.findings.filter((f) => !lost.has(f.listingId)));
    },
    LONG,
  );

  test(
    "Redis restarted during a run: producer and workers reconnect and the run completes",
    async () => {
      const redis = await startPrivateRedis(path.join(work, "redis"));
      try {
        const url = newQueue("restart", redis.port);
        worker(url, true);
        const producer = startProducer(url, "restart-1", 300);
        const results = path.join(shared(), "restart-1", "results");
        expect(
          await waitFor(() => existsSync(results) && readdirSync(results).some((f) => !f.startsWith(".")), 120_000),
        ).toBe(true);
        await redis.stop();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await redis.start();
        const run = await producer.done;
        expect(run.code, run.stderr).toBe(localCode);
        expect(producer.report()).toBe(localReport);
      } finally {
        await Promise.all(workers.map(stopWorker));
        await redis.stop();
      }
    },
    LONG,
  );

  test(
    "a producer interrupted while sharding: runs resume reads on, writes and enqueues the rest, redoes nothing",
    async () => {
      const url = newQueue("resume");
      const prefix = new URL(url).searchParams.get("prefix");
      const producer = startProducer(url, "resume-1", 500);
      const client = new Redis({ port: SHARED_REDIS_PORT, host: "127.0.0.1" });
      try {
        // Shard 0 is on the queue before the inputs are read to the end.
        const enqueued = async () => (await client.exists(`${prefix}:listing-audit:resume-1.shard.0`)) === 1;
        let ready = false;
        const until = Date.now() + 120_000;
        while (!ready && Date.now() < until) {
          ready = await enqueued();
          if (!ready) await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expect(ready).toBe(true);
      } finally {
        client.disconnect();
      }
      producer.child.kill("SIGKILL");
      await producer.done;
      expect(existsSync(path.join(shared(), "resume-1", "manifest.json"))).toBe(false);
      const listed = await runChildCli(["runs", "list", "--queue", url, "--lang", "en"]);
      expect(listed.stdout).toMatch(/^resume-1 {2}sharding {2}shards 0\/\d+ \(0 failed\) {2}listings \d+$/m);
      const w = worker(url);
      expect(await waitFor(() => doneShards(w).length >= 1, 120_000)).toBe(true);
      const resumed = await runChildCli(["runs", "resume", "resume-1", "--queue", url, "--lang", "en"]);
      expect(resumed.code, resumed.stderr).toBe(localCode);
      expect(producer.report()).toBe(localReport);
      const done = doneShards(w);
      expect(done.toSorted((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
      const shown = await runChildCli(["runs", "show", "resume-1", "--queue", url, "--lang", "en"]);
      expect(shown.stdout).toMatch(/^resume-1 {2}done {2}shards 6\/6 \(0 failed\) {2}listings 3000$/m);
    },
    LONG,
  );

  test(
    "a producer interrupted after sharding: runs resume writes the reports without redoing finished shards",
    async () => {
      const url = newQueue("resume-late");
      const producer = startProducer(url, "resume-2", 500);
      const manifest = path.join(shared(), "resume-2", "manifest.json");
      expect(await waitFor(() => existsSync(manifest), 120_000)).toBe(true);
      producer.child.kill("SIGKILL");
      await producer.done;
      const w = worker(url);
      expect(await waitFor(() => doneShards(w).length >= 3, 120_000)).toBe(true);
      const resumed = await runChildCli(["runs", "resume", "resume-2", "--queue", url, "--lang", "en"]);
      expect(resumed.code, resumed.stderr).toBe(localCode);
      expect(producer.report()).toBe(localReport);
      expect(doneShards(w).toSorted((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    },
    LONG,
  );
});

describe("a results folder that cannot be written", () => {
  test(
    "a shard whose results cannot be written fails after its attempts: named in the report, exit 3, no partial result",
    async () => {
      const url = newQueue("unwritable");
      const detached = await runChildCli([
        ...inputs,
        "--queue",
        url,
        "--shared",
        shared(),
        "--shard-size",
        "1000",
        "--run-id",
        "unwritable-1",
        "--detach",
      ]);
      expect(detached.code, detached.stderr).toBe(0);
      // A folder where shard 1's results file goes: every attempt to put the results there fails.
      mkdirSync(path.join(shared(), "unwritable-1", "results", "000001.ndjson"));
      const w = worker(url);
      const report = path.join(work, "unwritable.json");
      const resumed = await runChildCli([
        ...inputs,
        "-f",
        `json=${report}`,
        "--queue",
        url,
        "--shared",
        shared(),
        "--run-id",
        "unwritable-1",
      ]);
      expect(resumed.code, resumed.stderr).toBe(3);
      expect(resumed.stderr).toMatch(/the run is incomplete: 1 shards failed for good, 1000 listings not audited/);
      const queued = JSON.parse(readFileSync(report, "utf8")) as Report;
      const failed = queued.problems.filter((p) => p.code === "run/shard-failed");
      expect(failed).toHaveLength(1000);
      expect(failed[0]?.message).toMatch(/shard 1 of the distributed run failed for good \(.*EISDIR/);
      expect(queued.summary).toMatchObject({ listings: 2000, skipped: 1000 });
      expect(w.lines().filter((l) => /^job failed run=unwritable-1 shard=1 attempt=\d/.test(l))).toHaveLength(3);
    },
    LONG,
  );
});

interface Report {
  findings: { listingId: string }[];
  problems: { code: string; message: string; listingId?: string; source: { file?: string; row?: number } }[];
  summary: Record<string, number>;
}
