import { createHash } from "node:crypto";
import { SEVERITIES, type Lang, type ListingResult, type Problem, type Severity, type Summary } from "../model.js";
import { escapeHtml, safeLinkUrl } from "./escape-html.js";
import { baselineMessages } from "../baseline/messages.js";
import { findingStatus, formatLocation, nameFinding } from "./finding-display.js";
import { renderBarChart, type Bar } from "./html/bar-chart.js";
import { encodeListing, scriptJson, StringTable } from "./html/listing-data.js";
import { SCRIPT } from "./html/script.js";
import { STYLE } from "./html/style.js";
import { reportLabels, type ReportLabels } from "./report-labels.js";
import type { Reporter, ReporterFactory, RunInfo, TextSpool } from "./reporter.js";

const REGION_CHART_SIZE = 10;

/** Only the report's own style and script may run: an injected one would be refused even if escaping failed. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${hashInline(STYLE)}'`,
  `script-src 'sha256-${hashInline(SCRIPT)}'`,
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
 * One self-contained HTML page for a shop operator: totals, charts by severity, rule and region, and the
 * findings grouped per listing, filtered, searched and sorted in the page. Each listing with findings is
 * encoded once as compact JSON (repeated words in a string table) as it arrives and goes to the run's
 * spool, with only counts and the bounded table kept in memory; at the end the page is written as a
 * sequence of chunks, the data read back from the spool, so no string ever holds the whole page. The
 * page's script renders only the listings near the viewport, so 100,000 listings open at once.
 */
export const createHtmlReporter: ReporterFactory = () => {
  let run: RunInfo | undefined;
  let labels: ReportLabels = reportLabels("zh");
  let rows: TextSpool | undefined;
  let problems: TextSpool | undefined;
  const counts = { rows: 0, listings: 0, problems: 0 };
  const strings = new StringTable();
  const byRule = new Map<string, number>();
  const byRegion = new Map<string, { name: string; count: number }>();
  const status = { new: 0, baselined: 0 };

  const addProblem = (problem: Problem) => {
    problems?.append(renderProblem(problem));
    counts.problems += 1;
  };

  return {
    start(info) {
      run = info;
      labels = reportLabels(info.lang);
      rows = info.spool();
      problems = info.spool();
      return "";
    },
    listing(result: ListingResult) {
      for (const finding of result.findings) {
        byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
        for (const region of finding.regions) {
          const entry = byRegion.get(region.code) ?? { name: region.name, count: 0 };
          entry.count += 1;
          byRegion.set(region.code, entry);
        }
        const mark = findingStatus(finding);
        if (mark !== undefined) status[mark] += 1;
        counts.rows += 1;
      }
      if (result.findings.length > 0) {
        const data = scriptJson(encodeListing(result, strings, labels, run?.regionSets));
        rows?.append(`${counts.listings === 0 ? "" : ",\n"}${data}`);
        counts.listings += 1;
      }
      result.problems.forEach(addProblem);
      return "";
    },
    problem(problem) {
      addProblem(problem);
      return "";
    },
    end(summary) {
      return renderPage({ run, labels, summary, rows, problems, counts, strings, byRule, byRegion, status });
    },
  } satisfies Reporter;
};

interface Page {
  run: RunInfo | undefined;
  labels: ReportLabels;
  summary: Summary;
  /** Listings with findings as JSON arrays, one a line, and rendered problem rows; undefined only when `start` was never called. */
  rows: TextSpool | undefined;
  problems: TextSpool | undefined;
  /** Findings, listings with findings, problems. */
  counts: { rows: number; listings: number; problems: number };
  strings: StringTable;
  byRule: ReadonlyMap<string, number>;
  byRegion: ReadonlyMap<string, { name: string; count: number }>;
  status: { new: number; baselined: number };
}

/** The page in order: everything before the findings rows, the rows, the problem rows, the rest. */
function* renderPage(page: Page): Generator<string> {
  const { run, labels, summary } = page;
  const lang = run?.lang === "en" ? "en" : "zh-CN";
  const tool = run ? `${run.tool.name} ${run.tool.version}` : "listing-auditor";
  const meta = [
    tool,
    ...(run ? [`${labels.html.platform}: ${run.platform}`, `${labels.html.inputs}: ${run.inputs.join(", ")}`] : []),
  ];
  const findings = renderFindings(page, labels);
  const problems = renderProblems(page.counts.problems, labels);
  yield `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(tool)}">
<title>${escapeHtml(labels.html.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(labels.html.title)}</h1><div class="meta">${meta.map((m) => `<span>${escapeHtml(m)}</span>`).join("")}</div></header>
<main>
${renderCards(summary, page.status, labels, run?.lang ?? "zh")}
${renderCharts(page, labels)}
${findings.before}`;
  if (page.rows) yield* page.rows.chunks();
  yield `${findings.after}${renderFixed(summary, run?.lang ?? "zh")}
${problems.before}`;
  if (page.problems) yield* page.problems.chunks();
  yield `${problems.after}
${renderRules(run, page.byRule, labels)}
</main>
<footer>${escapeHtml(tool)}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function renderCards(summary: Summary, status: Page["status"], labels: ReportLabels, lang: Lang): string {
  const cards: Array<[string, number, string]> = [
    [labels.listings, summary.listings, ""],
    ...SEVERITIES.map((s): [string, number, string] => [labels.severity[s], summary[s], s]),
    [labels.problems, summary.problems, ""],
  ];
  if (status.baselined > 0 || summary.comparison) cards.push([labels.new, status.new, "new"]);
  if (status.baselined > 0) cards.push([labels.baselined, status.baselined, ""]);
  const c = summary.comparison;
  if (c) cards.push([baselineMessages(lang).fixedFinding, c.fixed.length + (c.fixedNotListed ?? 0), ""]);
  const html = cards.map(
    ([label, value, kind]) =>
      `<div class="card${kind ? ` ${kind}` : ""}"><div class="value">${value}</div><div class="label">${escapeHtml(label)}</div></div>`,
  );
  return `<div class="cards">${html.join("")}</div>`;
}

function renderCharts(page: Page, labels: ReportLabels): string {
  const severityBars: Bar[] = SEVERITIES.map((s) => ({ label: labels.severity[s], value: page.summary[s], kind: s }));
  const ruleBars: Bar[] = [...page.byRule.entries()]
    .sort(byCountThenKey)
    .map(([rule, count]) => ({ label: ruleTitle(page.run, rule) ?? rule, value: count }));
  const regionBars: Bar[] = [...page.byRegion.entries()]
    .map(([code, r]): [string, number, string] => [code, r.count, r.name])
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .slice(0, REGION_CHART_SIZE)
    .map(([, count, name]) => ({ label: name, value: count }));
  const panel = (title: string, bars: Bar[]) =>
    `<section class="panel chart"><h2>${escapeHtml(title)}</h2>${bars.length > 0 ? renderBarChart(title, bars) : `<p class="empty">${escapeHtml(labels.noFindings)}</p>`}</section>`;
  return `<div class="charts">${panel(labels.html.bySeverity, severityBars)}${panel(labels.html.byRule, ruleBars)}${panel(labels.html.byRegion, regionBars)}</div>`;
}

/**
 * The findings section: its toolbar, the empty list the script fills as the reader scrolls, and the
 * data it reads (the listings' JSON array around the spooled rows, then the string table and words).
 */
function renderFindings(page: Page, labels: ReportLabels): { before: string; after: string } {
  const { byRule, status } = page;
  const total = page.counts.listings;
  const h = labels.html;
  const option = (value: string, label: string) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
  const hasBaseline = status.new + status.baselined > 0;
  const ruleIds = [...byRule.keys()].sort();
  const toolbar = [
    `<input type="search" id="filter-text" placeholder="${escapeHtml(h.search)}" aria-label="${escapeHtml(h.search)}">`,
    `<select id="filter-severity" aria-label="${escapeHtml(labels.level)}">${option("", h.allSeverities)}${SEVERITIES.map((s) => option(s, labels.severity[s])).join("")}</select>`,
    `<select id="filter-rule" aria-label="${escapeHtml(labels.rule)}">${option("", h.allRules)}${ruleIds.map((r) => option(r, ruleTitle(page.run, r) ?? r)).join("")}</select>`,
    ...(hasBaseline
      ? [
          `<select id="filter-status" aria-label="${escapeHtml(labels.status)}">${option("", h.allStatuses)}${option("new", labels.new)}${option("baselined", labels.baselined)}</select>`,
        ]
      : []),
    `<select id="sort" aria-label="${escapeHtml(h.sortBy)}">${option("input", h.sortInput)}${option("worst", h.sortWorst)}${option("most", h.sortMost)}</select>`,
    `<span class="count">${escapeHtml(h.shown)} <span id="shown-count">${total}</span> / ${total} ${escapeHtml(h.listingsUnit)}</span>`,
  ];
  const words = {
    severity: SEVERITIES.map((s) => labels.severity[s]),
    status: ["", labels.new, labels.baselined],
    template: labels.template,
    fix: labels.fix,
    noRegions: h.noRegions,
    showRegions: h.showRegions,
    listSeparator: h.listSeparator,
  };
  const titles = Object.fromEntries(ruleIds.map((r) => [r, ruleTitle(page.run, r) ?? ""]));
  return {
    before: `<section class="panel"><h2>${escapeHtml(labels.findings)}</h2>
<div class="toolbar">${toolbar.join("")}</div>
<div id="listings"><div id="listings-before"></div><div id="listings-items"></div><div id="listings-after"></div></div>
<p id="no-match" class="empty"${total > 0 ? " hidden" : ""}>${escapeHtml(total > 0 ? h.noMatch : labels.noFindings)}</p>
<script type="application/json" id="report-listings">[`,
    after: `]</script>
<script type="application/json" id="report-meta">${scriptJson({ strings: page.strings.strings, titles, words })}</script>
</section>`,
  };
}

/** The rule's title in the run's language (包邮宣称与运费模板不符), when the run describes the rule. */
function ruleTitle(run: RunInfo | undefined, ruleId: string): string | undefined {
  return run?.rules.find((r) => r.id === ruleId)?.title;
}

/** `--compare`: the previous report's findings that are gone (listing, rule, claim). */
function renderFixed(summary: Summary, lang: Lang): string {
  const c = summary.comparison;
  if (c === undefined || c.fixed.length === 0) return "";
  const m = baselineMessages(lang);
  const items = c.fixed.map(
    (f) => `<li><span class="pill fixed">${escapeHtml(m.fixedFinding)}</span> ${escapeHtml(nameFinding(f))}</li>`,
  );
  const more = c.fixedNotListed ? `<p class="empty">${escapeHtml(m.notListed(c.fixedNotListed))}</p>` : "";
  return `<section class="panel" id="fixed"><h2>${escapeHtml(m.fixedHeading(c.previous))} (${c.fixed.length + (c.fixedNotListed ?? 0)})</h2><ul>${items.join("")}</ul>${more}</section>`;
}

function renderProblem(problem: Problem): string {
  return `<tr><td><span class="rule">${escapeHtml(problem.code)}</span></td><td class="where">${escapeHtml(formatLocation(problem.source))}</td><td>${escapeHtml(problem.listingId ?? "")}</td><td>${escapeHtml(problem.message)}</td></tr>`;
}

/** The problems section around its rows; nothing when there are none. */
function renderProblems(count: number, labels: ReportLabels): { before: string; after: string } {
  if (count === 0) return { before: "", after: "" };
  const head = [labels.problem, labels.location, labels.listing, labels.message]
    .map((c) => `<th scope="col">${escapeHtml(c)}</th>`)
    .join("");
  return {
    before: `<section class="panel"><h2>${escapeHtml(labels.problems)} (${count})</h2><div class="table-wrap"><table id="problems"><thead><tr>${head}</tr></thead><tbody>`,
    after: `</tbody></table></div></section>`,
  };
}

function renderRules(run: RunInfo | undefined, byRule: ReadonlyMap<string, number>, labels: ReportLabels): string {
  if (run === undefined || run.rules.length === 0) return "";
  const rows = run.rules.map((rule) => {
    const severity: Severity | "off" = rule.severity;
    const pill =
      severity === "off"
        ? `<span class="pill baselined">off</span>`
        : `<span class="pill ${severity}">${escapeHtml(labels.severity[severity])}</span>`;
    const url = safeLinkUrl(rule.docsUrl);
    const docs =
      url === undefined
        ? ""
        : ` <a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(labels.html.docs)}</a>`;
    return `<tr><td><div class="rule-title">${escapeHtml(rule.title)}</div><span class="rule">${escapeHtml(rule.id)}</span></td><td>${pill}</td><td class="num">${byRule.get(rule.id) ?? 0}</td><td>${escapeHtml(rule.description)}${docs}</td><td>${escapeHtml(rule.reference)}</td></tr>`;
  });
  const head = [labels.rule, labels.level, labels.count, labels.message, labels.reference]
    .map((c) => `<th scope="col">${escapeHtml(c)}</th>`)
    .join("");
  return `<section class="panel"><details><summary>${escapeHtml(labels.rules)} (${run.rules.length})</summary><div class="table-wrap"><table id="rules"><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table></div></details></section>`;
}

function byCountThenKey(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || compareText(a[0], b[0]);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hashInline(source: string): string {
  return createHash("sha256").update(source, "utf8").digest("base64");
}
