import { EventEmitter } from "node:events";
import path from "node:path";
import { audit } from "../audit.js";
import type { Lang, Platform } from "../model.js";
import { formatLocatedErrorIn } from "../util/result.js";
import type { Db } from "./storage/database.js";
import { createRunWriter, type StoredFile } from "./storage/runs-store.js";

/** What a run's events stream carries (`GET /runs/{id}/events`). */
export type RunEvent =
  | { type: "progress"; listings: number; problems: number }
  | { type: "done"; status: "done" | "failed" };

/** Progress of the runs in flight; a client that connects after a run ended reads its status instead. */
export class RunEvents {
  private readonly emitter = new EventEmitter();
  private readonly latest = new Map<string, RunEvent>();

  constructor() {
    // One listener per open events stream: as many as there are browser tabs watching.
    this.emitter.setMaxListeners(0);
  }

  emit(runId: string, event: RunEvent): void {
    if (event.type === "done") this.latest.delete(runId);
    else this.latest.set(runId, event);
    this.emitter.emit(runId, event);
  }

  /** The last progress of a running run, if any. */
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

/**
 * Audits a run's stored files with the same `audit()` the command line runs, writing every listing's
 * result to the database as it comes. A run that cannot be done, or that throws part-way, is marked
 * failed with its reason and keeps what it had audited.
 */
export async function executeRun(
  db: Db,
  events: RunEvents,
  run: { id: string; shop: string; dir: string; files: StoredFile[]; platform: Platform; lang: Lang },
): Promise<void> {
  const names = new Map(run.files.map((file) => [file.stored, file.name]));
  const writer = createRunWriter(db, run.id, run.shop, names);
  const stored = (kind: StoredFile["kind"]) =>
    run.files.filter((file) => file.kind === kind).map((file) => path.join(run.dir, file.stored));
  const templates = stored("template");
  let lastProgress = 0;
  try {
    const outcome = await audit({
      inputs: stored("export"),
      cwd: run.dir,
      ...(templates.length > 0 ? { templates } : {}),
      platform: run.platform,
      lang: run.lang,
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
