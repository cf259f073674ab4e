import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_FILE, openDatabase } from "../src/server/storage/database.js";
import { MIGRATIONS } from "../src/server/storage/migrations.js";
import { queryFindings } from "../src/server/storage/run-queries.js";
import { getRun, insertRun as insertNewRun, listShopRuns } from "../src/server/storage/runs-store.js";
import { getShopSettings, putShopSettings } from "../src/server/storage/shop-settings-store.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function dataFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "listing-audit-storage-"));
  folders.push(folder);
  return folder;
}

describe("the data folder's database", () => {
  it("is created in WAL mode at the latest schema", () => {
    const db = openDatabase(dataFolder());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it("upgrades a folder left at schema 1, and finds its old findings through the new search index", () => {
    const folder = dataFolder();
    const old = new Database(path.join(folder, DATABASE_FILE));
    old.exec(MIGRATIONS[0] as string);
    old.pragma("user_version = 1");
    old
      .prepare("INSERT INTO runs (id, shop, status, platform, lang, created_at, files) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run("0123456789abcdef", "店", "done", "taobao", "zh", "2026-01-01T00:00:00.000Z", "[]");
    old
      .prepare(
        `INSERT INTO findings (run_id, listing_seq, listing_id, rule_id, severity, fingerprint, known, search, body)
         VALUES (?, 1, ?, ?, ?, ?, 0, ?, ?)`,
      )
      .run(
        "0123456789abcdef",
        "L1",
        "invoice/refusal",
        "error",
        "f".repeat(32),
        "l1\n不开发票的商品",
        JSON.stringify({ ruleId: "invoice/refusal" }),
      );
    old.close();
    const db = openDatabase(folder);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    const page = queryFindings(db, "0123456789abcdef", { q: "不开发票" }, 0, 10);
    expect(page.items.map((f) => f.ruleId)).toEqual(["invoice/refusal"]);
    db.close();
  });

  it("upgrades a folder left at schema 2: runs keep their listings and findings, may queue, and shops get settings", () => {
    const folder = dataFolder();
    const old = new Database(path.join(folder, DATABASE_FILE));
    old.exec(MIGRATIONS[0] as string);
    old.exec(MIGRATIONS[1] as string);
    old.pragma("user_version = 2");
    const insertRun = old.prepare(
      "INSERT INTO runs (id, shop, status, platform, lang, created_at, files, listings) VALUES (?, '店', ?, 'tmall', 'zh', ?, '[]', 1)",
    );
    // Same millisecond: only the rowid keeps their order.
    insertRun.run("bbbbbbbbbbbbbbbb", "done", "2026-01-01T00:00:00.000Z");
    insertRun.run("aaaaaaaaaaaaaaaa", "failed", "2026-01-01T00:00:00.000Z");
    old
      .prepare(
        "INSERT INTO listings (run_id, seq, listing_id, title, error, warning, info) VALUES (?, 1, 'L1', '杯', 1, 0, 0)",
      )
      .run("bbbbbbbbbbbbbbbb");
    old
      .prepare(
        `INSERT INTO findings (run_id, listing_seq, listing_id, rule_id, severity, fingerprint, known, search, body)
         VALUES (?, 1, 'L1', 'invoice/refusal', 'error', ?, 0, 'l1', ?)`,
      )
      .run("bbbbbbbbbbbbbbbb", "f".repeat(32), JSON.stringify({ ruleId: "invoice/refusal" }));
    old.close();

    const db = openDatabase(folder);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(listShopRuns(db, "店").map((r) => [r.id, r.status, r.startedAt, r.settings])).toEqual([
      ["bbbbbbbbbbbbbbbb", "done", "2026-01-01T00:00:00.000Z", null],
      ["aaaaaaaaaaaaaaaa", "failed", "2026-01-01T00:00:00.000Z", null],
    ]);
    expect(queryFindings(db, "bbbbbbbbbbbbbbbb", {}, 0, 10).items.map((f) => f.ruleId)).toEqual(["invoice/refusal"]);
    insertNewRun(db, { id: "cccccccccccccccc", shop: "店", platform: "taobao", lang: "zh", files: [], settings: {} });
    expect(getRun(db, "cccccccccccccccc")?.status).toBe("queued");
    putShopSettings(db, "店", { platform: "tmall" });
    expect(getShopSettings(db, "店")?.settings).toEqual({ platform: "tmall" });
    // The rebuilt runs table is still what listings and findings refer to.
    db.prepare("DELETE FROM runs WHERE id = ?").run("bbbbbbbbbbbbbbbb");
    expect(db.prepare("SELECT count(*) AS n FROM findings").get()).toEqual({ n: 0 });
    db.close();
  });

  it("refuses a folder written by a newer version, naming both schema numbers", () => {
    const folder = dataFolder();
    const newer = new Database(path.join(folder, DATABASE_FILE));
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openDatabase(folder)).toThrow(
      `schema ${MIGRATIONS.length + 1}, newer than this version knows (${MIGRATIONS.length})`,
    );
  });
});
