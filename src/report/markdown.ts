import {
  SEVERITIES,
  type Finding,
  type Lang,
  type ListingResult,
  type Problem,
  type Severity,
  type Summary,
} from "../model.js";
import { escapeMarkdown } from "./escape-markdown.js";
import { baselineMessages } from "../baseline/messages.js";
import {
  findClaimContext,
  findingStatus,
  formatField,
  formatLocation,
  formatRegion,
  nameFinding,
  truncateText,
} from "./finding-display.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RunInfo } from "./reporter.js";

/** GitHub refuses comments longer than 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
/** Room kept for the header, the summary tables and the closing note. */
const FRAME_RESERVE = 8_000;
const TITLE_LIMIT = 60;
const ICON: Record<Severity, string> = { error: "🔴", warning: "🟠", info: "🔵" };

/**
 * A pull-request comment: totals, a table per rule, then the findings grouped by listing in input
 * order. Sections are rendered as listings arrive and kept only while they fit the comment; the rest
 * are counted and the comment says how many were left out.
 */
export const createMarkdownReporter: ReporterFactory = () => {
  let run: RunInfo | undefined;
  let labels: ReportLabels = reportLabels("zh");
  const sections: string[] = [];
  const problemLines: string[] = [];
  let used = 0;
  let leftOut = 0;
  const byRule = new Map<string, Record<Severity, number>>();
  const status = { new: 0, baselined: 0 };

  const keep = (text: string, into: string[], items: number) => {
    if (leftOut === 0 && used + text.length <= COMMENT_LIMIT - FRAME_RESERVE) {
      into.push(text);
      used += text.length;
    } else leftOut += items;
  };
  const addProblem = (problem: Problem) => keep(formatProblem(problem), problemLines, 1);

  return {
    start(info) {
      run = info;
      labels = reportLabels(info.lang);
      return "";
    },
    listing(result: ListingResult) {
      for (const finding of result.findings) {
        const counts = byRule.get(finding.ruleId) ?? { error: 0, warning: 0, info: 0 };
        counts[finding.severity] += 1;
        byRule.set(finding.ruleId, counts);
        const mark = findingStatus(finding);
        if (mark !== undefined) status[mark] += 1;
      }
      if (result.findings.length > 0)
        keep(formatListing(result, titlesOf(run), labels), sections, result.findings.length);
      result.problems.forEach(addProblem);
      return "";
    },
    problem(problem) {
      addProblem(problem);
      return "";
    },
    end(summary) {
      const parts = [formatHeader(run, summary, status, labels), formatRuleTable(byRule, titlesOf(run), labels)];
      if (sections.length > 0) parts.push(`### ${labels.findings}\n`, ...sections);
      if (problemLines.length > 0) parts.push(`### ${labels.problems}\n\n${problemLines.join("")}`);
      if (summary.comparison && summary.comparison.fixed.length > 0)
        parts.push(formatFixed(summary, run?.lang ?? "zh", COMMENT_LIMIT - FRAME_RESERVE - used));
      if (leftOut > 0) parts.push(`> ${escapeMarkdown(labels.leftOut(leftOut))}\n`);
      const text = parts.join("\n");
      // The frame reserve covers any realistic rule table; cut hard as a last resort rather than be refused.
      return text.length <= COMMENT_LIMIT ? text : `${text.slice(0, COMMENT_LIMIT - 2)}…\n`;
    },
  } satisfies Reporter;
};

function formatHeader(
  run: RunInfo | undefined,
  summary: Summary,
  status: { new: number; baselined: number },
  labels: ReportLabels,
): string {
  const tool = run ? `${run.tool.name} ${run.tool.version}` : "listing-auditor";
  const counts = [
    `**${summary.listings}** ${labels.listings}`,
    ...SEVERITIES.map((s) => `${ICON[s]} **${summary[s]}** ${labels.severity[s]}`),
    `**${summary.problems}** ${labels.problems}`,
  ];
  if (status.baselined > 0)
    counts.push(`**${status.new}** ${labels.new}`, `**${status.baselined}** ${labels.baselined}`);
  const c = summary.comparison;
  if (c)
    counts.push(
      escapeMarkdown(
        baselineMessages(run?.lang ?? "zh").compared(c.previous, {
          new: c.new.length,
          fixed: c.fixed.length + (c.fixedNotListed ?? 0),
          unchanged: c.unchanged,
        }),
      ),
    );
  return `## ${escapeMarkdown(tool)}\n\n${counts.join(" · ")}\n`;
}

/** Rule titles by id; a rule without one is shown by its id alone. */
function titlesOf(run: RunInfo | undefined): ReadonlyMap<string, string> {
  return new Map((run?.rules ?? []).map((r) => [r.id, r.title]));
}

/** 包邮宣称与运费模板不符 (`shipping/claim-charged-region`), or the id alone. */
function formatRuleName(ruleId: string, titles: ReadonlyMap<string, string>): string {
  const title = titles.get(ruleId);
  return title === undefined ? escapeMarkdown(ruleId) : `${escapeMarkdown(title)} (${escapeMarkdown(ruleId)})`;
}

function formatRuleTable(
  byRule: ReadonlyMap<string, Record<Severity, number>>,
  titles: ReadonlyMap<string, string>,
  labels: ReportLabels,
): string {
  if (byRule.size === 0) return `${labels.noFindings}\n`;
  const head = `| ${labels.rule} | ${SEVERITIES.map((s) => labels.severity[s]).join(" | ")} | ${labels.total} |\n|---|${SEVERITIES.map(() => "---:").join("|")}|---:|\n`;
  const rows = [...byRule.keys()].sort().map((rule) => {
    const counts = byRule.get(rule) ?? { error: 0, warning: 0, info: 0 };
    const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
    return `| ${formatRuleName(rule, titles)} | ${SEVERITIES.map((s) => counts[s]).join(" | ")} | ${total} |\n`;
  });
  return head + rows.join("");
}

function formatListing(result: ListingResult, titles: ReadonlyMap<string, string>, labels: ReportLabels): string {
  const { listing, source } = result.record;
  const withStatus = result.findings.some((f) => findingStatus(f) !== undefined);
  const columns = [labels.status, labels.rule, labels.claim, labels.regions, labels.message, labels.fix];
  if (!withStatus) columns.shift();
  const heading = `#### ${escapeMarkdown(listing.id)} · ${escapeMarkdown(truncateText(listing.title, TITLE_LIMIT))}\n\n`;
  const where = `${escapeMarkdown(formatLocation(source))}\n\n`;
  const table = `| ${columns.join(" | ")} |\n|${columns.map(() => "---").join("|")}|\n`;
  const rows = result.findings.map((f) => formatFindingRow(f, result, withStatus, titles, labels));
  return heading + where + table + rows.join("");
}

function formatFindingRow(
  finding: Finding,
  result: ListingResult,
  withStatus: boolean,
  titles: ReadonlyMap<string, string>,
  labels: ReportLabels,
): string {
  const status = findingStatus(finding);
  const cells = [
    `${ICON[finding.severity]} ${formatRuleName(finding.ruleId, titles)}`,
    formatClaimCell(finding, result, labels),
    escapeMarkdown(finding.regions.map((r) => formatRegion(r, labels)).join("、")),
    escapeMarkdown(finding.message),
    escapeMarkdown(finding.fix),
  ];
  if (withStatus)
    cells.unshift(status === "new" ? `**${labels.new}**` : status === "baselined" ? labels.baselined : "");
  return `| ${cells.join(" | ")} |\n`;
}

function formatClaimCell(finding: Finding, result: ListingResult, labels: ReportLabels): string {
  if (finding.claim === null) return "";
  const field = `${escapeMarkdown(formatField(finding.claim, labels))}: `;
  const context = findClaimContext(result.record, finding.claim, 12);
  if (context === undefined) return `${field}**${escapeMarkdown(finding.claim.text)}**`;
  return `${field}${escapeMarkdown(context.before)}**${escapeMarkdown(context.claim)}**${escapeMarkdown(context.after)}`;
}

/** `--compare`: the fixed findings, as many as the room left in the comment allows; the rest counted. */
function formatFixed(summary: Summary, lang: Lang, room: number): string {
  const c = summary.comparison;
  if (c === undefined) return "";
  const m = baselineMessages(lang);
  const items: string[] = [];
  let used = 0;
  for (const f of c.fixed) {
    const item = `- ${m.fixedFinding}: ${escapeMarkdown(nameFinding(f))}\n`;
    if (used + item.length > room) break;
    items.push(item);
    used += item.length;
  }
  const notListed = c.fixed.length - items.length + (c.fixedNotListed ?? 0);
  const more = notListed > 0 ? `\n> ${escapeMarkdown(m.notListed(notListed))}\n` : "";
  return `### ${escapeMarkdown(m.fixedHeading(c.previous))}\n\n${items.join("")}${more}`;
}

function formatProblem(problem: Problem): string {
  return `- ${escapeMarkdown(problem.code)} — ${escapeMarkdown(formatLocation(problem.source))}: ${escapeMarkdown(problem.message)}\n`;
}
