import type { Finding, ListingResult, Problem, Severity, SourceLocation, Summary } from "../model.js";
import { escapeTerminalText as safe } from "./escape-terminal.js";
import { formatLocation } from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RunInfo } from "./reporter.js";

/** GitHub shows at most 10 error and 10 warning annotations per step; more are dropped silently. */
export const ANNOTATION_LIMIT = 10;

type Command = "error" | "warning" | "notice";
const COMMAND: Record<Severity, Command> = { error: "error", warning: "warning", info: "notice" };

/** Annotation buckets in output order: findings most severe first; input problems after finding warnings. */
const BUCKETS = ["error", "warning", "problem", "info"] as const;
type Bucket = (typeof BUCKETS)[number];

interface Annotation {
  command: Command;
  properties: Array<[string, string]>;
  message: string;
  /** Baselined findings come after new ones of the same level. */
  known: boolean;
}

/**
 * GitHub Actions workflow commands. Text from the data has its control characters escaped before the
 * runner's own escaping, so a line break in a listing or a crawled page shows as `\n` and can never
 * start a workflow command of its own. Output waits for the end so the most severe come first, but memory
 * stays bounded: each bucket keeps its first ANNOTATION_LIMIT new and ANNOTATION_LIMIT baselined
 * annotations and counts the rest; a summary notice closes the step.
 */
export const createGithubReporter: ReporterFactory = () => {
  let labels: ReportLabels = reportLabels("zh");
  let run: RunInfo | undefined;
  const kept = new Map<Bucket, Annotation[]>(BUCKETS.map((b) => [b, []]));
  const seen = new Map<Bucket, number>(BUCKETS.map((b) => [b, 0]));
  const status = { new: 0, baselined: 0 };

  const keep = (bucket: Bucket, annotation: Annotation) => {
    seen.set(bucket, (seen.get(bucket) ?? 0) + 1);
    const list = kept.get(bucket) ?? [];
    if (list.filter((a) => a.known === annotation.known).length < ANNOTATION_LIMIT) list.push(annotation);
  };
  const addProblem = (problem: Problem) => keep("problem", problemAnnotation(problem, labels));

  return {
    start(info) {
      run = info;
      labels = reportLabels(info.lang);
      return "";
    },
    listing(result: ListingResult) {
      for (const finding of result.findings) {
        // Known findings are notices, so they queue with the other notices.
        keep(finding.baselined === true ? "info" : finding.severity, findingAnnotation(finding, labels));
        if (finding.baselined !== undefined) status[finding.baselined ? "baselined" : "new"] += 1;
      }
      result.problems.forEach(addProblem);
      return "";
    },
    problem(problem) {
      addProblem(problem);
      return "";
    },
    end(summary) {
      const lines: string[] = [];
      let shown = 0;
      for (const bucket of BUCKETS) {
        const list = kept.get(bucket) ?? [];
        // New findings first: they are what a pull request introduced.
        const ordered = [...list.filter((a) => !a.known), ...list.filter((a) => a.known)].slice(0, ANNOTATION_LIMIT);
        shown += ordered.length;
        lines.push(...ordered.map(formatAnnotation));
      }
      const total = [...seen.values()].reduce((a, b) => a + b, 0);
      lines.push(formatAnnotation(summaryAnnotation(summary, status, total - shown, run, labels)));
      return lines.map((l) => `${l}\n`).join("");
    },
  } satisfies Reporter;
};

function findingAnnotation(finding: Finding, labels: ReportLabels): Annotation {
  const known = finding.baselined === true;
  const title = `${known ? `[${labels.baselined}] ` : ""}${safe(finding.ruleId)} · ${safe(finding.listingId)}`;
  const where =
    finding.source.file === undefined && finding.source.url !== undefined ? `\n${safe(finding.source.url)}` : "";
  return {
    // An accepted finding is not the pull request's error: it must not show as one.
    command: known ? "notice" : COMMAND[finding.severity],
    properties: [...locationProperties(finding.source), ["title", title]],
    message: `${safe(finding.message)}\n${labels.fix}: ${safe(finding.fix)}${where}`,
    known,
  };
}

function problemAnnotation(problem: Problem, labels: ReportLabels): Annotation {
  return {
    command: "warning",
    properties: [...locationProperties(problem.source), ["title", `${labels.problem} ${safe(problem.code)}`]],
    message:
      problem.source.file === undefined
        ? `${safe(problem.message)}\n${safe(formatLocation(problem.source))}`
        : safe(problem.message),
    known: false,
  };
}

function summaryAnnotation(
  summary: Summary,
  status: { new: number; baselined: number },
  notShown: number,
  run: RunInfo | undefined,
  labels: ReportLabels,
): Annotation {
  const baseline =
    status.baselined > 0 ? [`${status.new} ${labels.new}`, `${status.baselined} ${labels.baselined}`] : [];
  const counts = [
    `${summary.listings} ${labels.listings}`,
    `${summary.error} ${labels.severity.error}`,
    `${summary.warning} ${labels.severity.warning}`,
    `${summary.info} ${labels.severity.info}`,
    `${summary.problems} ${labels.problems}`,
    ...baseline,
  ].join(", ");
  const more = notShown > 0 ? `; ${labels.notAnnotated(notShown, ANNOTATION_LIMIT)}` : "";
  return {
    command: "notice",
    properties: [["title", run ? `${run.tool.name} ${run.tool.version}` : labels.summary]],
    message: counts + more,
    known: false,
  };
}

function locationProperties(source: SourceLocation): Array<[string, string]> {
  if (source.file === undefined) return [];
  const file = safe(source.file);
  return source.line === undefined
    ? [["file", file]]
    : [
        ["file", file],
        ["line", String(source.line)],
      ];
}

function formatAnnotation(annotation: Annotation): string {
  const properties = annotation.properties.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(",");
  return `::${annotation.command}${properties ? ` ${properties}` : ""}::${escapeData(annotation.message)}`;
}

/** Escaping GitHub's runner applies to a command's message (toCommandValue/escapeData in @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value additionally must not contain the `:` and `,` that delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
