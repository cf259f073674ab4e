import type { Finding, ListingResult, Problem, Severity, Summary } from "../../model.js";
import { fingerprintFinding } from "../../baseline/index.js";
import type { AppliedShopSettings } from "../shop-settings.js";
import type { Db } from "./database.js";

/** An uploaded file of a run: its name as uploaded and the generated name it is stored under. */
export interface StoredFile {
  name: string;
  stored: string;
  kind: "export" | "template";
}

export type RunStatus = "queued" | "running" | "done" | "failed";

export interface RunSummary {
  id: string;
  shop: string;
  status: RunStatus;
  platform: string;
  lang: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The shop settings the run applied (request fields that won over them left out); null: none. */
  settings: AppliedShopSettings | null;
  summary: Pick<Summary, "listings" | "findings" | "error" | "warning" | "info" | "problems" | "skipped">;
  failure: string | null;
  files: { name: string; kind: StoredFile["kind"] }[];
}

interface RunDbRow {
  id: string;
  shop: string;
  status: RunStatus;
  platform: string;
  lang: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  settings: string | null;
  listings: number;
  findings: number;
  error: number;
  warning: number;
  info: number;
  problems: number;
  skipped: number;
  failure: string | null;
  files: string;
}

function toRunSummary(row: RunDbRow): RunSummary {
  const files = JSON.parse(row.files) as StoredFile[];
  return {
    id: row.id,
    shop: row.shop,
    status: row.status,
    platform: row.platform,
    lang: row.lang,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    settings: row.settings === null ? null : (JSON.parse(row.settings) as AppliedShopSettings),
    summary: {
      listings: row.listings,
      findings: row.findings,
      error: row.error,
      warning: row.warning,
      info: row.info,
      problems: row.problems,
      skipped: row.skipped,
    },
    failure: row.failure,
    files: files.map(({ name, kind }) => ({ name, kind })),
  };
}

/** A new run, `queued` until the run queue gives it a slot. */
export function insertRun(
  db: Db,
  run: {
    id: string;
    shop: string;
    platform: string;
    lang: string;
    files: StoredFile[];
    settings: AppliedShopSettings | null;
  },
): void {
  db.prepare(
    `INSERT INTO runs (id, shop, status, platform, lang, created_at, files, settings)
     VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`,
  ).run(
    run.id,
    run.shop,
    run.platform,
    run.lang,
    new Date().toISOString(),
    JSON.stringify(run.files),
    run.settings === null ? null : JSON.stringify(run.settings),
  );
}

export function markRunStarted(db: Db, id: string): void {
  db.prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'").run(
    new Date().toISOString(),
    id,
  );
}

/** Runs a server left unfinished (it stopped while they waited or ran), oldest first. */
export function listUnfinishedRuns(db: Db): RunSummary[] {
  const rows = db
    .prepare("SELECT * FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at, rowid")
    .all() as RunDbRow[];
  return rows.map(toRunSummary);
}

/** Marks a run failed with its reason, counting what it had audited. */
export function failRun(db: Db, id: string, reason: string): void {
  db.prepare(
    `UPDATE runs SET status = 'failed', finished_at = :finished, failure = :failure,
       listings = (SELECT count(*) FROM listings WHERE run_id = :id),
       findings = (SELECT count(*) FROM findings WHERE run_id = :id),
       error = (SELECT count(*) FROM findings WHERE run_id = :id AND severity = 'error'),
       warning = (SELECT count(*) FROM findings WHERE run_id = :id AND severity = 'warning'),
       info = (SELECT count(*) FROM findings WHERE run_id = :id AND severity = 'info'),
       problems = (SELECT count(*) FROM problems WHERE run_id = :id)
     WHERE id = :id`,
  ).run({ finished: new Date().toISOString(), failure: reason, id });
}

export function getRun(db: Db, id: string): RunSummary | undefined {
  const row = db.prepare("SELECT * FROM runs WHERE id = ?").get(id) as RunDbRow | undefined;
  return row && toRunSummary(row);
}

/** The stored files of a run, generated names included (for re-reading them; never sent to clients). */
export function getRunFiles(db: Db, id: string): StoredFile[] | undefined {
  const row = db.prepare("SELECT files FROM runs WHERE id = ?").get(id) as { files: string } | undefined;
  return row && (JSON.parse(row.files) as StoredFile[]);
}

export function listShopRuns(db: Db, shop: string): RunSummary[] {
  const rows = db.prepare("SELECT * FROM runs WHERE shop = ? ORDER BY created_at, rowid").all(shop) as RunDbRow[];
  return rows.map(toRunSummary);
}

/** Listings per transaction while a run writes: large enough to be fast, small enough to show progress. */
const BATCH = 500;

/**
 * Writes a run's results as they arrive, in transactions of BATCH listings. A finding is `known` when the
 * shop's previous finished run had the same fingerprint (the fingerprint `--baseline` and `--compare` use).
 */
export function createRunWriter(db: Db, runId: string, shop: string, fileNames: ReadonlyMap<string, string>) {
  const previous = db
    .prepare("SELECT id FROM runs WHERE shop = ? AND status = 'done' AND id != ? ORDER BY created_at DESC, rowid DESC")
    .get(shop, runId) as { id: string } | undefined;
  const insertListing = db.prepare(
    `INSERT INTO listings (run_id, seq, listing_id, title, file, row, error, warning, info)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFinding = db.prepare(
    `INSERT INTO findings (run_id, listing_seq, listing_id, rule_id, severity, fingerprint, known, search, body)
     VALUES (:run, :seq, :listing, :rule, :severity, :fingerprint,
             EXISTS (SELECT 1 FROM findings WHERE run_id = :previous AND fingerprint = :fingerprint), :search, :body)`,
  );
  const indexSearch = db.prepare("INSERT INTO finding_search (rowid, search) VALUES (?, ?)");
  const insertRegion = db.prepare("INSERT OR IGNORE INTO finding_regions (run_id, code, finding_id) VALUES (?, ?, ?)");
  const insertProblem = db.prepare("INSERT INTO problems (run_id, seq, code, body) VALUES (?, ?, ?, ?)");
  let listingSeq = 0;
  let problemSeq = 0;
  let pending: (() => void)[] = [];
  const flush = db.transaction((work: (() => void)[]) => {
    for (const step of work) step();
  });
  const shownFile = (file: string | undefined) => (file === undefined ? null : (fileNames.get(file) ?? file));

  const writeProblem = (problem: Problem) => {
    const seq = ++problemSeq;
    const shown = { ...problem, source: { ...problem.source, file: shownFile(problem.source.file) ?? undefined } };
    pending.push(() => insertProblem.run(runId, seq, problem.code, JSON.stringify(shown)));
  };

  return {
    listing(result: ListingResult): void {
      const seq = ++listingSeq;
      const { listing, source } = result.record;
      const counts = countSeverities(result.findings);
      const file = shownFile(source.file);
      pending.push(() => {
        insertListing.run(runId, seq, listing.id, listing.title, file, source.row ?? null, ...counts);
        for (const finding of result.findings) {
          const shown: Finding = { ...finding, source: { ...finding.source, file: file ?? undefined } };
          const search = searchText(listing.title, finding);
          const { lastInsertRowid } = insertFinding.run({
            run: runId,
            seq,
            listing: listing.id,
            rule: finding.ruleId,
            severity: finding.severity,
            fingerprint: fingerprintFinding(finding, result.record),
            previous: previous?.id ?? null,
            search,
            body: JSON.stringify(shown),
          });
          indexSearch.run(lastInsertRowid, search);
          for (const region of finding.regions) insertRegion.run(runId, region.code, lastInsertRowid);
        }
      });
      for (const problem of result.problems) writeProblem(problem);
      if (pending.length >= BATCH) this.flush();
    },
    problem: writeProblem,
    flush(): void {
      const work = pending;
      pending = [];
      flush(work);
    },
    finish(summary: Summary): void {
      this.flush();
      db.prepare(
        `UPDATE runs SET status = 'done', finished_at = ?, listings = ?, findings = ?, error = ?, warning = ?,
         info = ?, problems = ?, skipped = ? WHERE id = ?`,
      ).run(
        new Date().toISOString(),
        summary.listings,
        summary.findings,
        summary.error,
        summary.warning,
        summary.info,
        summary.problems,
        summary.skipped,
        runId,
      );
    },
    /** Marks the run failed with its reason, keeping (and counting) what it had audited. */
    fail(reason: string): void {
      this.flush();
      failRun(db, runId, reason);
    },
  };
}

export type RunWriter = ReturnType<typeof createRunWriter>;

function countSeverities(findings: readonly Finding[]): [number, number, number] {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return [counts.error, counts.warning, counts.info];
}

/** What the search box matches: listing id and title, message, claim text and fix, in lower case. */
function searchText(title: string, finding: Finding): string {
  return [finding.listingId, title, finding.message, finding.claim?.text ?? "", finding.fix].join("\n").toLowerCase();
}
