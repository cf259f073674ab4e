import type { Finding, ListingResult, Problem, SourceLocation } from "../model.js";
import { escapeXml, escapeXmlAttribute } from "./escape-xml.js";
import { findingFailsRun } from "../verdict.js";
import { formatField, formatLocation, formatRegion, truncateText } from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RunInfo } from "./reporter.js";

const TITLE_LIMIT = 80;

interface Suite {
  name: string;
  cases: string[];
  failures: number;
  errors: number;
}

/**
 * JUnit XML: one <testsuite> per input file (per site for crawled pages), one <testcase> per listing, a
 * <failure> per finding that fails the run at --fail-on (baselined ones never do), an <error> per input
 * problem; other findings go to the case's <system-out>. A suite's counts precede its cases, so the
 * current suite is buffered until its file ends — memory holds one file's cases, never the run's.
 */
export const createJunitReporter: ReporterFactory = () => {
  let run: RunInfo | undefined;
  let labels: ReportLabels = reportLabels("zh");
  let suite: Suite | undefined;

  /** Switches to the suite for `source`, returning the finished previous suite's XML, if any. */
  const enterSuite = (source: SourceLocation): string => {
    const name = suiteName(source);
    if (suite?.name === name) return "";
    const done = suite === undefined ? "" : formatSuite(suite);
    suite = { name, cases: [], failures: 0, errors: 0 };
    return done;
  };

  return {
    start(info) {
      run = info;
      labels = reportLabels(info.lang);
      return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXmlAttribute(`${info.tool.name} ${info.tool.version}`)}">\n`;
    },
    listing(result: ListingResult) {
      const done = enterSuite(result.record.source);
      const current = suite as Suite;
      const failing = result.findings.filter((f) => findingFailsRun(f, run?.failOn ?? "error"));
      const passing = result.findings.filter((f) => !failing.includes(f));
      const { listing, source } = result.record;
      const body = [
        ...failing.map((f) => formatFailure(f, labels)),
        ...result.problems.map((p) => formatError(p)),
        ...(passing.length > 0
          ? [`<system-out>${escapeXml(passing.map((f) => formatPassing(f, labels)).join("\n"))}</system-out>`]
          : []),
      ];
      if (failing.length > 0) current.failures += 1;
      if (result.problems.length > 0) current.errors += 1;
      current.cases.push(
        formatCase(`${listing.id} ${truncateText(listing.title, TITLE_LIMIT)}`, current.name, source, body),
      );
      return done;
    },
    problem(problem: Problem) {
      const done = enterSuite(problem.source);
      const current = suite as Suite;
      current.errors += 1;
      const row = problem.source.row === undefined ? "" : ` #${problem.source.row}`;
      current.cases.push(
        formatCase(`${labels.problem} ${problem.code}${row}`, current.name, problem.source, [formatError(problem)]),
      );
      return done;
    },
    end() {
      const done = suite === undefined ? "" : formatSuite(suite);
      suite = undefined;
      return `${done}</testsuites>\n`;
    },
  } satisfies Reporter;
};

/** A file's path, or the origin of a crawled page. */
function suiteName(source: SourceLocation): string {
  if (source.file !== undefined) return source.file;
  if (source.url !== undefined) {
    try {
      return new URL(source.url).origin;
    } catch {
      return source.url;
    }
  }
  return "-";
}

function formatSuite(suite: Suite): string {
  const attributes = `name="${escapeXmlAttribute(suite.name)}" tests="${suite.cases.length}" failures="${suite.failures}" errors="${suite.errors}" skipped="0"`;
  return `  <testsuite ${attributes}>\n${suite.cases.join("")}  </testsuite>\n`;
}

function formatCase(name: string, classname: string, source: SourceLocation, body: string[]): string {
  const line = source.line === undefined ? "" : ` line="${source.line}"`;
  const file = source.file === undefined ? "" : ` file="${escapeXmlAttribute(source.file)}"`;
  const open = `    <testcase name="${escapeXmlAttribute(name)}" classname="${escapeXmlAttribute(classname)}"${file}${line}`;
  if (body.length === 0) return `${open}/>\n`;
  return `${open}>\n${body.map((b) => `      ${b}\n`).join("")}    </testcase>\n`;
}

function formatFailure(finding: Finding, labels: ReportLabels): string {
  const details = [
    formatLocation(finding.source) + (finding.claim ? ` (${formatField(finding.claim, labels)})` : ""),
    ...(finding.claim ? [`${labels.claim}: ${finding.claim.text}`] : []),
    ...(finding.regions.length > 0
      ? [`${labels.regions}: ${finding.regions.map((r) => formatRegion(r, labels)).join("; ")}`]
      : []),
    ...(finding.templateId === null ? [] : [`${labels.template}: ${finding.templateId}`]),
    `${labels.fix}: ${finding.fix}`,
    ...(finding.baselined === false ? [`${labels.status}: ${labels.new}`] : []),
  ];
  const attributes = `message="${escapeXmlAttribute(finding.message)}" type="${escapeXmlAttribute(`${finding.severity} ${finding.ruleId}`)}"`;
  return `<failure ${attributes}>${escapeXml(details.join("\n"))}</failure>`;
}

function formatPassing(finding: Finding, labels: ReportLabels): string {
  const known = finding.baselined === true ? `[${labels.baselined}]` : "";
  return `[${labels.severity[finding.severity]}]${known} ${finding.ruleId}: ${finding.message} — ${labels.fix}: ${finding.fix}`;
}

function formatError(problem: Problem): string {
  const attributes = `message="${escapeXmlAttribute(problem.message)}" type="${escapeXmlAttribute(problem.code)}"`;
  return `<error ${attributes}>${escapeXml(formatLocation(problem.source))}</error>`;
}
