import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MIGRATIONS } from "./migrations.js";

export type Db = Database.Database;

/** The database file inside a data folder. */
export const DATABASE_FILE = "listing-audit.sqlite";

/**
 * Opens (creating if needed) the data folder's database in WAL mode, so the web app reads pages while a
 * run writes findings, and brings its schema up to date.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma("journal_mode = WAL");
  // NORMAL is durable across application crashes in WAL mode; only a power loss can drop the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // A step may rebuild a table others refer to: foreign keys are checked after each step instead.
  db.pragma("foreign_keys = OFF");
  migrate(db);
  db.pragma("foreign_keys = ON");
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the data folder's database is at schema ${current}, newer than this version knows (${MIGRATIONS.length})`,
    );
  }
  for (let step = current; step < MIGRATIONS.length; step++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[step] as string);
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) throw new Error(`schema step ${step + 1} left ${broken.length} rows without their run`);
      db.pragma(`user_version = ${step + 1}`);
    })();
  }
}
