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
  it("runs one at a time with --max-runs 1, in upload order, and shows a waiting run's place", async () => {
    const serve = await startServe({ maxRuns: 1 });
    harnesses.push(serve);
    const first = await upload(serve, "大店", manyListings(40));
    const second = await upload(serve, "小店", JSON.stringify(SAMPLE_LISTINGS));
    const third = await upload(serve, "小店", JSON.stringify(SAMPLE_LISTINGS));

    // What holds however fast the machine is: one run at a time, each after the one uploaded before it.
    const thirdEvents = await events(serve, third);
    expect(thirdEvents.at(-1)).toEqual({ type: "done", status: "done" });
    const runs = await Promise.all(
      [first, second, third].map(async (id) => (await serve.api("GET", `/api/v1/runs/${id}`)).body.run),
    );
    for (const run of runs) expect(run.status).toBe("done");
    for (let i = 1; i < runs.length; i++)
      expect(Date.parse(runs[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1].finishedAt));
    expect(runs[0].summary.listings).toBe(SAMPLE_LISTINGS.length * 40);

    // The third run waited unless both earlier runs had finished before its upload was answered: its
    // places count down to 1 before it starts, and the events say so.
    const places = thirdEvents.filter((e) => e.type === "queued").map((e) => e.position);
    expect(places).toEqual([...places].sort((a, b) => Number(b) - Number(a)));
    expect(places.every((p) => p === 1 || p === 2)).toBe(true);
    if (places.length > 0) {
      expect(places.at(-1)).toBe(1);
      expect(thirdEvents.findIndex((e) => e.type === "progress")).toBeGreaterThan(
        thirdEvents.findIndex((e) => e.type === "queued" && e.position === 1),
      );
    }
  }, 120_000);

  it("shows queued runs with their place in the run and in the shop's list while the slot is taken", async () => {
    // A data folder with three runs waiting, read by a server that may start only one: while the first
    // runs, the other two are queued in order (the first takes longer than the two requests below).
    const dataDir = mkdtempSync(path.join(tmpdir(), "listing-audit-queue-"));
    const db = openDatabase(dataDir);
    const ids = ["3333333333333333", "4444444444444444", "5555555555555555"];
    ids.forEach((id, i) => {
      const files = [
        { name: "listings.json", stored: "export-1-aaaaaaaa.json", kind: "export" as const },
        { name: "shop-templates.yaml", stored: "template-2-bbbbbbbb.yaml", kind: "template" as const },
      ];
      const dir = runFolder(dataDir, id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, files[0]!.stored), i === 0 ? manyListings(40) : JSON.stringify(SAMPLE_LISTINGS));
      writeFileSync(path.join(dir, files[1]!.stored), TEMPLATES_YAML);
      insertRun(db, { id, shop: i === 0 ? "大店" : "小店", platform: "taobao", lang: "zh", files, settings: null });
    });
    db.close();

    const serve = await startServe({ dataDir, maxRuns: 1 });
    harnesses.push(serve);
    const [waiting, shopRuns] = await Promise.all([
      serve.api("GET", `/api/v1/runs/${ids[2]}`),
      serve.api("GET", "/api/v1/shops/%E5%B0%8F%E5%BA%97/runs"),
    ]);
    const statuses = shopRuns.body.runs.map((r: { status: string; queuePosition?: number }) => [
      r.status,
      r.queuePosition,
    ]);
    if (waiting.body.run.status === "queued") {
      expect(waiting.body.run).toMatchObject({ queuePosition: 2, startedAt: null });
      expect(statuses).toEqual([
        ["queued", 1],
        ["queued", 2],
      ]);
    }
    for (const id of ids) expect((await events(serve, id)).at(-1)).toEqual({ type: "done", status: "done" });
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
