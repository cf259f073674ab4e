import type { Finding, Problem, Severity } from "../../model.js";
import type { Db } from "./database.js";

/** The filters of `GET /runs/{id}/findings`; every one is backed by an index (see migrations.ts). */
export interface FindingFilter {
  severity?: Severity[];
  rule?: string;
  region?: string;
  listing?: string;
  /** `new`: the shop's previous finished run did not have it; `known`: it did. */
  status?: "new" | "known";
  /** Case-insensitive text in the listing id, title, message, claim or fix. */
  q?: string;
}

export interface StoredFinding extends Finding {
  /** The row id: stable within a run, the cursor of the next page. */
  id: number;
  fingerprint: string;
  status: "new" | "known";
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next: string | null;
}

interface FindingDbRow {
  id: number;
  fingerprint: string;
  known: number;
  body: string;
}

function toStoredFinding(row: FindingDbRow): StoredFinding {
  return {
    ...(JSON.parse(row.body) as Finding),
    id: row.id,
    fingerprint: row.fingerprint,
    status: row.known ? "known" : "new",
  };
}

/** LIKE with the pattern's own wildcards escaped. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Above this many trigram matches a text is common: scanning the run in order finds a page sooner. */
const RARE_LIMIT = 5000;

/**
 * The row ids of the findings whose search text holds `q`, when there are few (the trigram index needs
 * 3 characters or more); undefined when `q` is short or common.
 */
function rareMatches(db: Db, q: string): number[] | undefined {
  const text = q.toLowerCase();
  if ([...text].length < 3) return undefined;
  const rows = db
    .prepare("SELECT rowid AS id FROM finding_search WHERE finding_search MATCH ? LIMIT ?")
    .all(`"${text.replaceAll('"', '""')}"`, RARE_LIMIT + 1) as { id: number }[];
  return rows.length > RARE_LIMIT ? undefined : rows.map((row) => row.id);
}

/** One page of a run's findings in report order, after the row id `cursor`. */
export function queryFindings(
  db: Db,
  runId: string,
  filter: FindingFilter,
  cursor: number,
  limit: number,
): Page<StoredFinding> {
  const where = ["f.run_id = @run", "f.id > @cursor"];
  const params: Record<string, unknown> = { run: runId, cursor, limit: limit + 1 };
  if (filter.severity && filter.severity.length > 0) {
    where.push(`f.severity IN (${filter.severity.map((_, i) => `@severity${i}`).join(", ")})`);
    filter.severity.forEach((severity, i) => {
      params[`severity${i}`] = severity;
    });
  }
  if (filter.rule !== undefined) {
    where.push("f.rule_id = @rule");
    params.rule = filter.rule;
  }
  if (filter.listing !== undefined) {
    where.push("f.listing_id = @listing");
    params.listing = filter.listing;
  }
  if (filter.status !== undefined) {
    where.push("f.known = @known");
    params.known = filter.status === "known" ? 1 : 0;
  }
  if (filter.region !== undefined) {
    where.push(
      "EXISTS (SELECT 1 FROM finding_regions r WHERE r.run_id = @run AND r.code = @region AND r.finding_id = f.id)",
    );
    params.region = filter.region;
  }
  if (filter.q !== undefined && filter.q !== "") {
    where.push("f.search LIKE @q ESCAPE '\\'");
    params.q = containing(filter.q);
    const rare = rareMatches(db, filter.q);
    if (rare !== undefined) {
      // Few findings in the whole data folder hold the text: read just those rows (LIKE still decides).
      where.push(`f.id IN (SELECT value FROM json_each(@rare))`);
      params.rare = JSON.stringify(rare);
    }
  }
  const rows = db
    .prepare(
      `SELECT f.id, f.fingerprint, f.known, f.body FROM findings f WHERE ${where.join(" AND ")} ORDER BY f.id LIMIT @limit`,
    )
    .all(params) as FindingDbRow[];
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map(toStoredFinding);
  return { items, next: more ? String(items.at(-1)?.id) : null };
}

export interface ListingRow {
  seq: number;
  listingId: string;
  title: string;
  file: string | null;
  row: number | null;
  error: number;
  warning: number;
  info: number;
}

export type ListingSort = "severity" | "input";

/** One page of a run's listings with their counts: worst first (errors, then warnings, then info) or in input order. */
export function queryListings(
  db: Db,
  runId: string,
  options: { sort: ListingSort; passed?: boolean; q?: string },
  offset: number,
  limit: number,
): Page<ListingRow> {
  const where = ["run_id = @run"];
  const params: Record<string, unknown> = { run: runId, offset, limit: limit + 1 };
  if (options.passed !== undefined)
    where.push(options.passed ? "error + warning + info = 0" : "error + warning + info > 0");
  if (options.q !== undefined && options.q !== "") {
    where.push("(lower(listing_id) LIKE @q ESCAPE '\\' OR lower(title) LIKE @q ESCAPE '\\')");
    params.q = containing(options.q);
  }
  const order = options.sort === "severity" ? "error DESC, warning DESC, info DESC, seq" : "seq";
  const rows = db
    .prepare(
      `SELECT seq, listing_id AS listingId, title, file, row, error, warning, info FROM listings
       WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as ListingRow[];
  const more = rows.length > limit;
  return { items: rows.slice(0, limit), next: more ? String(offset + limit) : null };
}

/** The rules and region codes a run's findings name, with how many findings name each. */
export function queryFacets(db: Db, runId: string) {
  const rules = db
    .prepare("SELECT rule_id AS id, count(*) AS count FROM findings WHERE run_id = ? GROUP BY rule_id ORDER BY rule_id")
    .all(runId) as { id: string; count: number }[];
  const regions = db
    .prepare("SELECT code AS id, count(*) AS count FROM finding_regions WHERE run_id = ? GROUP BY code ORDER BY code")
    .all(runId) as { id: string; count: number }[];
  return { rules, regions };
}

export function queryProblems(db: Db, runId: string, limit: number): Problem[] {
  const rows = db.prepare("SELECT body FROM problems WHERE run_id = ? ORDER BY seq LIMIT ?").all(runId, limit) as {
    body: string;
  }[];
  return rows.map((row) => JSON.parse(row.body) as Problem);
}

export interface RunComparison {
  from: string;
  to: string;
  /** Findings of `to` whose fingerprint `from` did not have. */
  new: StoredFinding[];
  /** Findings of `from` whose fingerprint `to` does not have. */
  fixed: StoredFinding[];
  unchanged: number;
  counts: { new: number; fixed: number; unchanged: number };
}

/** New, fixed and unchanged findings between two runs, matched by fingerprint (as `--compare` matches them). */
export function compareRuns(db: Db, from: string, to: string, limit: number): RunComparison {
  const missing = `FROM findings x WHERE x.run_id = @a AND NOT EXISTS
     (SELECT 1 FROM findings y WHERE y.run_id = @b AND y.fingerprint = x.fingerprint)`;
  const listRows = db.prepare(`SELECT x.id, x.fingerprint, x.known, x.body ${missing} ORDER BY x.id LIMIT @limit`);
  const countRows = db.prepare(`SELECT count(*) AS n ${missing}`);
  const rows = (a: string, b: string) => (listRows.all({ a, b, limit }) as FindingDbRow[]).map(toStoredFinding);
  const count = (a: string, b: string) => (countRows.get({ a, b }) as { n: number }).n;
  const total = (db.prepare("SELECT count(*) AS n FROM findings WHERE run_id = ?").get(to) as { n: number }).n;
  const added = count(to, from);
  const counts = { new: added, fixed: count(from, to), unchanged: total - added };
  return { from, to, new: rows(to, from), fixed: rows(from, to), unchanged: counts.unchanged, counts };
}
