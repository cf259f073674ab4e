import type { Checker, CheckBase } from "./checker.js";
import type { RunEvents } from "./run-executor.js";
import type { RunQueue } from "./run-queue.js";
import type { Db } from "./storage/database.js";
import type { UploadLimits } from "./uploads.js";

/** What every route works with: one per server. */
export interface ServerContext {
  db: Db;
  dataDir: string;
  base: CheckBase;
  check: Checker;
  events: RunEvents;
  uploadLimits: UploadLimits;
  /** Runs going on and waiting for a slot (`serve --max-runs`). */
  runs: RunQueue;
}

/** The error body every 4xx carries. */
export function apiError(code: string, message: string, errors?: unknown[]) {
  return { error: { code, message, ...(errors ? { errors } : {}) } };
}
