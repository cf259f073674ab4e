import type { Finding, ListingResult, Problem } from "../model.js";
import { baselineStatus, formatRegion } from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory } from "./reporter.js";

const COLUMNS = [
  "file",
  "line",
  "listingId",
  "ruleId",
  "severity",
  "field",
  "claim",
  "regions",
  "templateId",
  "message",
  "fix",
  "status",
];

/** Excel reads UTF-8 only with a byte-order mark; without it Chinese text turns into mojibake. */
const BOM = "\uFEFF";

/**
 * One row per finding (and one per input problem, severity `problem`), RFC 4180 with CRLF. `status` is
 * `new` / `baselined` once a baseline was applied. Streams: nothing is kept between calls.
 */
export const createCsvReporter: ReporterFactory = () => {
  let labels: ReportLabels = reportLabels("zh");
  return {
    start(run) {
      labels = reportLabels(run.lang);
      return BOM + formatRow(COLUMNS);
    },
    listing(result: ListingResult) {
      const rows = result.findings.map((f) => formatRow(findingCells(f, labels)));
      return rows.join("") + result.problems.map((p) => formatRow(problemCells(p))).join("");
    },
    problem: (problem) => formatRow(problemCells(problem)),
    end: () => "",
  } satisfies Reporter;
};

function findingCells(finding: Finding, labels: ReportLabels): string[] {
  const { source } = finding;
  return [
    source.file ?? source.url ?? "",
    source.line === undefined ? "" : String(source.line),
    finding.listingId,
    finding.ruleId,
    finding.severity,
    finding.claim?.field ?? source.field ?? "",
    finding.claim?.text ?? "",
    finding.regions.map((r) => `${r.code} ${formatRegion(r, labels)}`).join("; "),
    finding.templateId ?? "",
    finding.message,
    finding.fix,
    baselineStatus(finding) ?? "",
  ];
}

function problemCells(problem: Problem): string[] {
  const { source } = problem;
  return [
    source.file ?? source.url ?? "",
    source.line === undefined ? "" : String(source.line),
    problem.listingId ?? "",
    problem.code,
    "problem",
    source.field ?? "",
    "",
    "",
    "",
    problem.message,
    "",
    "",
  ];
}

/** One CSV record with CRLF. */
export function formatRow(cells: readonly string[]): string {
  return `${cells.map(formatCell).join(",")}\r\n`;
}

/**
 * A cell, quoted when it must be (RFC 4180) and defused against formula injection: spreadsheet apps run
 * cells that start with = + - @ (or a tab / CR that hides one), so those get a leading apostrophe.
 */
export function formatCell(value: string): string {
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}
