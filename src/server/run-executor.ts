import { EventEmitter } from "node:events";
import path from "node:path";
import { audit, type AuditOptions } from "../audit.js";
import type { Lang, Platform } from "../model.js";
import { formatLocatedErrorIn } from "../util/result.js";
import { type AppliedShopSettings, shopConfig } from "./shop-settings.js";
import type { Db } from "./storage/database.js";
import type { RunQueue } from "./run-queue.js";
import {
  createRunWriter,
  failRun,
  getRun,
  getRunFiles,
  markRunStarted,
  type StoredFile,
} from "./storage/runs-store.js";

/**
 * What a run's events stream carries (`GET /runs/{id}/events`): its place while it waits for a slot,
 * progress once it runs (the first at 0 listings), then done. `stopped`: the server stopped while the run
 * waited; it starts when the server starts again.
 */
export type RunEvent =
  | { type: "queued"; position: number }
  | { type: "progress"; listings: number; problems: number }
  | { type: "done"; status: "done" | "failed" }
  | { type: "stopped" };

/** Progress of the runs in flight; a client that connects after a run ended reads its status instead. */
export class RunEvents {
  private readonly emitter = new EventEmitter();
  private readonly latest = new Map<string, RunEvent>();

  constructor() {
    // One listener per open events stream: as many as there are browser tabs watching.
    this.emitter.setMaxListeners(0);
  }

  emit(runId: string, event: RunEvent): void {
    if (event.type === "done" || event.type === "stopped") this.latest.delete(runId);
    else this.latest.set(runId, event);
    this.emitter.emit(runId, event);
  }

  /** The last place or progress of a waiting or running run, if any. */
  last(runId: string): RunEvent | undefined {
    return this.latest.get(runId);
  }

  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }
}

/** Progress events at most this often per run: enough for a smooth bar, no flood over a slow link. */
const PROGRESS_EVERY_MS = 200;

/** A run as stored: its folder, its files and what it was started with. */
export interface StoredRun {
  id: string;
  shop: string;
  dir: string;
  files: StoredFile[];
  platform: Platform;
  lang: Lang;
  settings: AppliedShopSettings | null;
}

/**
 * The audit() options that read a run's stored files with the settings it recorded, so its findings,
 * its report and its corrected export all come from the same settings however often it is read again.
 */
export function storedRunAudit(
  run: Omit<StoredRun, "id" | "shop">,
): Pick<AuditOptions, "inputs" | "cwd" | "templates" | "platform" | "lang" | "config"> {
  const stored = (kind: StoredFile["kind"]) =>
    run.files.filter((file) => file.kind === kind).map((file) => path.join(run.dir, file.stored));
  const templates = stored("template");
  return {
    inputs: stored("export"),
    cwd: run.dir,
    ...(templates.length > 0 ? { templates } : {}),
    platform: run.platform,
    lang: run.lang,
    ...(run.settings === null ? {} : { config: shopConfig(run.settings, run.dir) }),
  };
}

/** Why a run the server was running when it stopped is failed when it starts again. */
export function interruptedReason(lang: Lang): string {
  return lang === "zh"
    ? "服务器在审核进行中停止了；已审核的商品保留，请重新上传以完整审核"
    : "the server stopped while the run was going on; what it had audited is kept, upload again for a full audit";
}

/**
 * Audits a run's stored files with the same `audit()` the command line runs, writing every listing's
 * result to the database as it comes. A run that cannot be done, or that throws part-way, is marked
 * failed with its reason and keeps what it had audited.
 */
export async function executeRun(db: Db, events: RunEvents, run: StoredRun): Promise<void> {
  const names = new Map(run.files.map((file) => [file.stored, file.name]));
  const writer = createRunWriter(db, run.id, run.shop, names);
  let lastProgress = 0;
  events.emit(run.id, { type: "progress", listings: 0, problems: 0 });
  try {
    const outcome = await audit({
      ...storedRunAudit(run),
      outputs: [],
      onResult: (result) => writer.listing(result),
      onProblem: (problem) => writer.problem(problem),
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        events.emit(run.id, { type: "progress", listings: progress.listings, problems: progress.problems });
      },
    });
    if (outcome.ok) writer.finish(outcome.value.summary);
    else writer.fail(outcome.errors.map((error) => formatLocatedErrorIn(rename(error, names), run.lang)).join("\n"));
  } catch (error) {
    writer.fail((error as Error).message);
  }
  const status = db.prepare("SELECT status FROM runs WHERE id = ?").get(run.id) as { status: "done" | "failed" };
  events.emit(run.id, { type: "done", status: status.status });
}

/** Errors name the uploaded file, never the generated name it is stored under. */
function rename<T extends { file: string }>(error: T, names: ReadonlyMap<string, string>): T {
  return { ...error, file: names.get(error.file) ?? error.file };
}

/**
 * Puts a stored run in the queue: when its turn comes it is marked running and executed from what the
 * database holds, so a run left waiting by a stopped server starts the same way after a restart.
 */
export function enqueueRun(context: { db: Db; events: RunEvents; runs: RunQueue }, id: string, dir: string): void {
  context.runs.add({
    id,
    start: async () => {
      const run = getRun(context.db, id);
      const files = getRunFiles(context.db, id);
      if (!run || !files || run.status !== "queued") return;
      markRunStarted(context.db, id);
      try {
        await executeRun(context.db, context.events, {
          id,
          shop: run.shop,
          dir,
          files,
          platform: run.platform as Platform,
          lang: run.lang as Lang,
          settings: run.settings,
        });
      } catch (error) {
        failRun(context.db, id, (error as Error).message);
        context.events.emit(id, { type: "done", status: "failed" });
      }
    },
  });
}
