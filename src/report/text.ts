import type { Finding, Lang, ListingResult, Problem, Severity, Summary } from "../model.js";
import { baselineMessages, type BaselineMessages } from "../baseline/messages.js";
import { escapeTerminalText as safe } from "./escape-terminal.js";
import { findingStatus, formatField, formatLocation, nameFinding } from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RunInfo } from "./reporter.js";

type Paint = (code: string, text: string) => string;

const SEVERITY_COLOUR: Record<Severity, string> = { error: "31", warning: "33", info: "36" };

/**
 * Human-readable report: findings grouped under their listing (id, file:line), each with severity, rule,
 * message, claim and fix; input problems where they occur; one summary line. Listings without findings
 * print nothing. Colour only when the run allows it. Text from the data (ids, file names, messages that
 * quote listings or pages) has its control characters escaped: this report is read on terminals and in CI logs.
 */
export const createTextReporter: ReporterFactory = (): Reporter => {
  let labels: ReportLabels = reportLabels("zh");
  let lang: Lang = "zh";
  let paint: Paint = (_code, text) => text;
  let textOnly = false;
  const status = { new: 0, baselined: 0 };
  let titles: ReadonlyMap<string, string> = new Map();
  return {
    start: (run: RunInfo) => {
      labels = reportLabels(run.lang);
      lang = run.lang;
      textOnly = run.textOnly === true;
      titles = new Map(run.rules.map((r) => [r.id, r.title]));
      paint = run.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
      return "";
    },
    listing: (result: ListingResult) => {
      if (result.findings.length === 0 && result.problems.length === 0) return "";
      const { record } = result;
      let out = `${paint("1", safe(record.listing.id))}  ${paint("2", safe(formatLocation(record.source)))}\n`;
      for (const finding of result.findings) {
        if (finding.baselined !== undefined) status[finding.baselined ? "baselined" : "new"]++;
        out += formatFinding(finding, titles.get(finding.ruleId), labels, paint);
      }
      for (const problem of result.problems) out += `  ${formatProblem(problem, labels, paint)}`;
      return `${out}\n`;
    },
    problem: (problem) => formatProblem(problem, labels, paint, true),
    end: (summary) => {
      const m = baselineMessages(lang);
      const notes = [
        ...(status.new + status.baselined > 0 ? [m.split(status.new, status.baselined)] : []),
        ...(textOnly ? [m.textOnly] : []),
      ];
      return `${formatFixed(summary, m, paint)}${formatSummary(summary, lang, paint)}${notes.map((n) => `${lang === "en" ? "; " : "；"}${n}`).join("")}\n`;
    },
  };
};

function formatFinding(finding: Finding, title: string | undefined, labels: ReportLabels, paint: Paint): string {
  const severity = paint(
    SEVERITY_COLOUR[finding.severity],
    padDisplay(labels.severity[finding.severity], labelWidth(labels)),
  );
  const mark = findingStatus(finding);
  const baselined =
    mark === "baselined"
      ? ` ${paint("2", `(${labels.baselined})`)}`
      : mark === "new"
        ? ` ${paint("1", `(${labels.new})`)}`
        : "";
  const rule = title === undefined ? finding.ruleId : `${title} ${finding.ruleId}`;
  let out = `  ${severity}  ${safe(finding.message)}  ${paint("2", safe(rule))}${baselined}\n`;
  const indent = " ".repeat(labelWidth(labels) + 4);
  if (finding.claim) {
    const claim = finding.claim;
    out += `${indent}${paint("2", `${labels.claim}:`)} ${safe(formatField(claim, labels))}「${safe(claim.text)}」 ${paint("2", `[${claim.start}–${claim.end}]`)}\n`;
  }
  if (finding.fix) out += `${indent}${paint("2", `${labels.fix}:`)} ${safe(finding.fix)}\n`;
  return out;
}

function formatProblem(problem: Problem, labels: ReportLabels, paint: Paint, withLocation = false): string {
  const where = withLocation ? `${paint("2", safe(formatLocation(problem.source)))}  ` : "";
  return `${where}${paint("35", labels.problem)}  ${safe(problem.message)}  ${paint("2", safe(problem.code))}\n`;
}

function labelWidth(labels: ReportLabels): number {
  // CJK labels are two columns wide per character.
  return Math.max(...Object.values(labels.severity).map((s) => displayWidth(s)));
}

function padDisplay(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return width;
}

/** `--compare`: the previous report's findings that are gone, before the summary line. */
function formatFixed(summary: Summary, m: BaselineMessages, paint: Paint): string {
  const c = summary.comparison;
  if (c === undefined || c.fixed.length === 0) return "";
  const lines = c.fixed.map((f) => `  ${paint("32", m.fixedFinding)}  ${safe(nameFinding(f))}\n`);
  if (c.fixedNotListed) lines.push(`  ${m.notListed(c.fixedNotListed)}\n`);
  return `${paint("1", safe(m.fixedHeading(c.previous)))}\n${lines.join("")}\n`;
}

/** The report's last line, e.g. 「✖ 审核 33 个商品：…」, for the terminal when every report goes to a file. */
export function formatSummaryLine(summary: Summary, lang: Lang, color: boolean): string {
  return formatSummary(
    summary,
    lang,
    color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text,
  );
}

function formatSummary(s: Summary, lang: Lang, paint: Paint): string {
  // A run that found nothing to audit could not be done (exit 2): no success mark.
  const audited = s.listings + (s.allowlisted ?? 0) > 0;
  const clean = audited && s.findings === 0 && s.problems === 0;
  const mark = clean ? paint("32", "✔") : paint(s.error > 0 || !audited ? "31" : "33", "✖");
  if (lang === "en") {
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return `${mark} ${plural(s.listings, "listing")} audited: ${plural(s.findings, "finding")} (${s.error} error, ${s.warning} warning, ${s.info} info), ${plural(s.problems, "input problem")}, ${s.skipped} skipped`;
  }
  return `${mark} 审核 ${s.listings} 个商品：${s.findings} 个问题（错误 ${s.error}，警告 ${s.warning}，提示 ${s.info}），输入问题 ${s.problems} 个，跳过 ${s.skipped} 条`;
}
