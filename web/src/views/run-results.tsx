import { ColumnHeads } from "../column-heads.js";
import { useEffect, useState } from "preact/hooks";
import { api, download, saveBlob, type ApiError } from "../api.js";
import { FindingCard, SeverityBadge } from "../finding-card.js";
import { LocatedErrors } from "../located-errors.js";
import { useT } from "../i18n.js";
import { useRules } from "../rules.js";
import type { ListingRow, Page, RunSummary, Severity, StoredFinding } from "../types.js";

const PAGE = 50;
/** Rows a CSV export collects at most, page by page. */
const EXPORT_MAX = 20_000;

interface RunProblem {
  code: string;
  message: string;
  zh?: string;
  source: { file?: string; row?: number };
}

interface Facet {
  id: string;
  name?: string;
  count: number;
}
interface Filters {
  severity: "" | Severity;
  rule: string;
  region: string;
  status: "" | "new" | "known";
  q: string;
}

/** The name the corrected copy of an export is saved under: listings.json → listings.fixed.json. */
function fixedName(file: string): string {
  const dot = file.lastIndexOf(".");
  return dot > 0 ? `${file.slice(0, dot)}.fixed${file.slice(dot)}` : `${file}.fixed`;
}

function findingsQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.severity) params.set("severity", filters.severity);
  if (filters.rule) params.set("rule", filters.rule);
  if (filters.region) params.set("region", filters.region);
  if (filters.status) params.set("status", filters.status);
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return params.toString();
}

/** A CSV cell: quoted, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
function csvCell(value: string | number): string {
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** One run: its counts, its listings worst first (expandable), the filtered findings and the passed listings. */
export function RunResults({ runId }: { runId: string }) {
  const { t, lang } = useT();
  const rules = useRules();
  const [run, setRun] = useState<RunSummary | undefined>();
  const [problems, setProblems] = useState<RunProblem[]>([]);
  const [tab, setTab] = useState<"listings" | "findings" | "passed">("listings");
  const [downloadError, setDownloadError] = useState<ApiError | undefined>();
  const [facets, setFacets] = useState<{ rules: Facet[]; regions: Facet[] }>({ rules: [], regions: [] });
  const [filters, setFilters] = useState<Filters>({ severity: "", rule: "", region: "", status: "", q: "" });
  const [query, setQuery] = useState("");

  useEffect(() => {
    api<{ run: RunSummary; problems: RunProblem[] }>("GET", `/api/v1/runs/${runId}`).then((body) => {
      setRun(body.run);
      setProblems(body.problems);
    });
    api<{ rules: Facet[]; regions: Facet[] }>("GET", `/api/v1/runs/${runId}/facets`).then(setFacets);
  }, [runId]);
  // The search box waits for a pause in typing; the selects apply at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(findingsQuery(filters)), 250);
    return () => clearTimeout(timer);
  }, [filters]);

  if (!run) return null;
  const exportCsv = async () => {
    const rows: StoredFinding[] = [];
    let cursor: string | null = "";
    while (cursor !== null && rows.length < EXPORT_MAX) {
      const page: Page<StoredFinding> = await api(
        "GET",
        `/api/v1/runs/${runId}/findings?limit=500&${query}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      rows.push(...page.items);
      cursor = page.next;
    }
    const header = [t("listingId"), t("severity"), t("rule"), "message", t("region"), t("fix"), t("status")];
    const lines = rows.map((f) =>
      [
        f.listingId,
        t(f.severity),
        rules.get(f.ruleId)?.title ?? f.ruleId,
        f.message,
        f.regions.map((r) => r.name).join("、"),
        f.fix,
        f.status === "new" ? t("statusNew") : t("statusKnown"),
      ]
        .map(csvCell)
        .join(","),
    );
    // A byte order mark, so Excel reads the Chinese as UTF-8.
    saveBlob(
      new Blob([`\uFEFF${[header.map(csvCell).join(","), ...lines].join("\r\n")}\r\n`], { type: "text/csv" }),
      `findings-${runId}.csv`,
    );
  };
  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });

  return (
    <section class="panel results" aria-label={run.shop}>
      <h2>
        {run.shop} <span class="muted">{new Date(run.createdAt).toLocaleString(lang === "zh" ? "zh-CN" : "en")}</span>
      </h2>
      {run.failure && (
        <p class="errors" role="alert">
          {t("runFailed")}
          {run.failure}
        </p>
      )}
      {run.status === "queued" && <p role="status">{t("queued", { n: run.queuePosition ?? 1 })}</p>}
      {run.settings && Object.keys(run.settings).length > 0 && (
        <p class="muted">
          {t("appliedSettings")} <code>{JSON.stringify(run.settings)}</code>
        </p>
      )}
      <p class="counts">
        {t("listings")} {run.summary.listings} · <SeverityBadge severity="error" /> {run.summary.error} ·{" "}
        <SeverityBadge severity="warning" /> {run.summary.warning} · <SeverityBadge severity="info" />{" "}
        {run.summary.info}
        {run.summary.problems > 0 && ` · ${t("problems")} ${run.summary.problems}`}
      </p>
      {problems.length > 0 && (
        <details class="problems">
          <summary>
            {t("problems")} ({run.summary.problems})
          </summary>
          <ul>
            {problems.map((problem, i) => (
              <li key={i}>
                <code>
                  {problem.source.file ?? ""}
                  {problem.source.row === undefined ? "" : ` #${problem.source.row}`} {problem.code}
                </code>{" "}
                {lang === "zh" ? (problem.zh ?? problem.message) : problem.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div class="row downloads">
        <label>
          {t("downloads")}
          <select
            name="report"
            onChange={(e) => {
              const format = e.currentTarget.value;
              e.currentTarget.value = "";
              if (format) void download(`/api/v1/runs/${runId}/report?format=${format}`, `report-${runId}.${format}`);
            }}
          >
            <option value="">—</option>
            {["html", "json", "sarif", "csv", "markdown", "junit"].map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fixedExport")}
          <select
            name="fixed"
            onChange={(e) => {
              const file = e.currentTarget.value;
              e.currentTarget.value = "";
              if (!file) return;
              setDownloadError(undefined);
              download(`/api/v1/runs/${runId}/fixed?file=${encodeURIComponent(file)}`, fixedName(file)).catch(
                setDownloadError,
              );
            }}
          >
            <option value="">—</option>
            {run.files
              .filter((f) => f.kind === "export")
              .map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      {downloadError && <LocatedErrors error={downloadError} />}
      <div class="tabs" role="tablist">
        {(["listings", "findings", "passed"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            class={tab === name ? "active" : ""}
            onClick={() => setTab(name)}
          >
            {t(name === "listings" ? "byListing" : name === "findings" ? "findingList" : "passed")}
          </button>
        ))}
      </div>
      {tab === "listings" && <ListingTable runId={runId} passed={false} />}
      {tab === "passed" && <ListingTable runId={runId} passed={true} />}
      {tab === "findings" && (
        <div>
          <div class="filters">
            <select name="severity" aria-label={t("severity")} value={filters.severity} onChange={set("severity")}>
              <option value="">{t("allSeverities")}</option>
              {(["error", "warning", "info"] as const).map((s) => (
                <option key={s} value={s}>
                  {t(s)}
                </option>
              ))}
            </select>
            <select name="rule" aria-label={t("rule")} value={filters.rule} onChange={set("rule")}>
              <option value="">{t("allRules")}</option>
              {facets.rules.map((r) => (
                <option key={r.id} value={r.id}>
                  {rules.get(r.id)?.title ?? r.id} ({r.count})
                </option>
              ))}
            </select>
            <select name="region" aria-label={t("region")} value={filters.region} onChange={set("region")}>
              <option value="">{t("allRegions")}</option>
              {facets.regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name ?? r.id} ({r.count})
                </option>
              ))}
            </select>
            <select name="status" aria-label={t("status")} value={filters.status} onChange={set("status")}>
              <option value="">{t("allStatus")}</option>
              <option value="new">{t("statusNew")}</option>
              <option value="known">{t("statusKnown")}</option>
            </select>
            <input
              name="q"
              type="search"
              aria-label={t("search")}
              placeholder={t("search")}
              value={filters.q}
              onInput={set("q")}
            />
            <button type="button" onClick={() => void exportCsv()}>
              {t("exportCsv")}
            </button>
          </div>
          <FindingList key={query} runId={runId} query={query} />
        </div>
      )}
    </section>
  );
}

/** Findings of a query, a page at a time. */
function FindingList({ runId, query }: { runId: string; query: string }) {
  const { t } = useT();
  const [items, setItems] = useState<StoredFinding[]>([]);
  const [next, setNext] = useState<string | null>("");
  const load = async (cursor: string) => {
    const page = await api<Page<StoredFinding>>(
      "GET",
      `/api/v1/runs/${runId}/findings?limit=${PAGE}&${query}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    setItems((before) => [...before, ...page.items]);
    setNext(page.next);
  };
  useEffect(() => {
    void load("");
  }, []);
  return (
    <div class="finding-list">
      <p class="muted" aria-live="polite">
        {items.length}
        {next ? "+" : ""} {t("findings")}
      </p>
      {items.map((finding) => (
        <div key={finding.id}>
          <p class="listing-ref">
            {t("listingId")} {finding.listingId}
            {finding.status === "new" && <span class="badge badge-new">{t("statusNew")}</span>}
          </p>
          <FindingCard finding={finding} />
        </div>
      ))}
      {next && (
        <button type="button" onClick={() => void load(next)}>
          {t("more")}
        </button>
      )}
    </div>
  );
}

/** Listings with their severity counts, worst first or in input order; a row expands to its findings. */
function ListingTable({ runId, passed }: { runId: string; passed: boolean }) {
  const { t } = useT();
  const [sort, setSort] = useState<"severity" | "input">("severity");
  const [rows, setRows] = useState<ListingRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [open, setOpen] = useState<string | undefined>();
  const load = async (cursor: string, reset: boolean) => {
    const page = await api<Page<ListingRow>>(
      "GET",
      `/api/v1/runs/${runId}/listings?limit=${PAGE}&sort=${sort}&passed=${passed}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    setRows((before) => (reset ? page.items : [...before, ...page.items]));
    setNext(page.next);
  };
  useEffect(() => {
    void load("", true);
  }, [sort, passed]);
  return (
    <div>
      {!passed && (
        <label class="inline">
          {t("sort")}{" "}
          <select name="sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as "severity" | "input")}>
            <option value="severity">{t("sortSeverity")}</option>
            <option value="input">{t("sortInput")}</option>
          </select>
        </label>
      )}
      <table class="listings">
        <ColumnHeads keys={["listingId", "title", "error", "warning", "info"]} />
        <tbody>
          {rows.map((row) => [
            <tr key={row.seq}>
              <td>
                {passed ? (
                  row.listingId
                ) : (
                  <button
                    type="button"
                    class="link"
                    aria-expanded={open === row.listingId}
                    onClick={() => setOpen(open === row.listingId ? undefined : row.listingId)}
                  >
                    {row.listingId}
                  </button>
                )}
              </td>
              <td class="title-cell">{row.title}</td>
              <td>{row.error}</td>
              <td>{row.warning}</td>
              <td>{row.info}</td>
            </tr>,
            open === row.listingId && (
              <tr key={`${row.seq}-open`} class="expanded">
                <td colSpan={5}>
                  <FindingList runId={runId} query={new URLSearchParams({ listing: row.listingId }).toString()} />
                </td>
              </tr>
            ),
          ])}
        </tbody>
      </table>
      {next && (
        <button type="button" onClick={() => void load(next, false)}>
          {t("more")}
        </button>
      )}
    </div>
  );
}
