import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runFolder } from "../src/server/routes/run-routes.js";
import { openDatabase } from "../src/server/storage/database.js";
import { insertRun, markRunStarted } from "../src/server/storage/runs-store.js";
import { startServe, type ServeHarness } from "./helpers/serve-harness.js";

const SAMPLES = path.resolve(import.meta.dirname, "..", "samples");
const TEMPLATES_YAML = readFileSync(path.join(SAMPLES, "templates", "shop-templates.yaml"), "utf8");
const SAMPLE_LISTINGS = (
  JSON.parse(readFileSync(path.join(SAMPLES, "listings.json"), "utf8")) as { listings: { id: string }[] }
).listings;

/** The sample listings repeated under new ids: a run long enough that later uploads find the slot taken. */
function manyListings(copies: number): string {
  const listings = Array.from({ length: copies }, (_, copy) =>
    SAMPLE_LISTINGS.map((listing) => ({ ...listing, id: `${listing.id}-${copy}` })),
  ).flat();
  return JSON.stringify({ listings });
}

const harnesses: ServeHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
});

async function upload(serve: ServeHarness, shop: string, listings: string): Promise<string> {
  const form = new FormData();
  form.set("shop", shop);
  form.append("exports", new Blob([listings]), "listings.json");
  form.append("templates", new Blob([TEMPLATES_YAML]), "shop-templates.yaml");
  const res = await serve.api("POST", "/api/v1/runs", form);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id;
}

/** The events of a run until it ends, as parsed objects. */
async function events(serve: ServeHarness, id: string): Promise<{ type: string; [key: string]: unknown }[]> {
  const text = await (await fetch(`${serve.origin}/api/v1/runs/${id}/events`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)));
}

describe("the run limit", () => {
  it("queues the runs beyond --max-runs in upload order, shows their place, and starts each when a slot frees", async () => {
    const serve = await startServe({ maxRuns: 1 });
    harnesses.push(serve);
    const first = await upload(serve, "大店", manyListings(40));
    const second = await upload(serve, "小店", JSON.stringify(SAMPLE_LISTINGS));
    const third = await upload(serve, "小店", JSON.stringify(SAMPLE_LISTINGS));

    const waiting = await serve.api("GET", `/api/v1/runs/${third}`);
    expect(waiting.body.run).toMatchObject({ status: "queued", queuePosition: 2, startedAt: null });
    const shopRuns = await serve.api("GET", "/api/v1/shops/%E5%B0%8F%E5%BA%97/runs");
    expect(
      shopRuns.body.runs.map((r: { status: string; queuePosition?: number }) => [r.status, r.queuePosition]),
    ).toEqual([
      ["queued", 1],
      ["queued", 2],
    ]);

    const thirdEvents = await events(serve, third);
    expect(thirdEvents[0]).toEqual({ type: "queued", position: 2 });
    expect(thirdEvents).toContainEqual({ type: "queued", position: 1 });
    expect(thirdEvents.at(-1)).toEqual({ type: "done", status: "done" });
    const queuedAt = thirdEvents.findIndex((e) => e.type === "queued" && e.position === 1);
    const progressAt = thirdEvents.findIndex((e) => e.type === "progress");
    expect(progressAt).toBeGreaterThan(queuedAt);

    const runs = await Promise.all(
      [first, second, third].map(async (id) => (await serve.api("GET", `/api/v1/runs/${id}`)).body.run),
    );
    for (const run of runs) expect(run.status).toBe("done");
    // One slot: each run starts once the one before it has finished, in upload order.
    for (let i = 1; i < runs.length; i++)
      expect(Date.parse(runs[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1].finishedAt));
    expect(runs[0].summary.listings).toBe(SAMPLE_LISTINGS.length * 40);
  }, 120_000);
});

describe("a restarted server", () => {
  it("fails the run it stopped in the middle of, and starts the one left waiting", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "listing-audit-restart-"));
    const db = openDatabase(dataDir);
    const files = [
      { name: "listings.json", stored: "export-1-aaaaaaaa.json", kind: "export" as const },
      { name: "shop-templates.yaml", stored: "template-2-bbbbbbbb.yaml", kind: "template" as const },
    ];
    for (const id of ["1111111111111111", "2222222222222222"]) {
      const dir = runFolder(dataDir, id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, files[0]!.stored), JSON.stringify(SAMPLE_LISTINGS));
      writeFileSync(path.join(dir, files[1]!.stored), TEMPLATES_YAML);
      insertRun(db, { id, shop: "店", platform: "taobao", lang: "zh", files, settings: null });
    }
    markRunStarted(db, "1111111111111111");
    db.close();

    const serve = await startServe({ dataDir, maxRuns: 1 });
    harnesses.push(serve);
    const interrupted = (await serve.api("GET", "/api/v1/runs/1111111111111111")).body.run;
    expect(interrupted.status).toBe("failed");
    expect(interrupted.failure).toContain("服务器在审核进行中停止");
    expect((await events(serve, "2222222222222222")).at(-1)).toEqual({ type: "done", status: "done" });
    const resumed = (await serve.api("GET", "/api/v1/runs/2222222222222222")).body.run;
    expect(resumed).toMatchObject({ status: "done", summary: { listings: SAMPLE_LISTINGS.length } });
  }, 60_000);
});
