import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Problem } from "../src/model.js";
import { fingerprintFinding } from "../src/baseline/index.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { createJsonReporter } from "../src/report/json.js";
import { RULES } from "../src/rules/registry.js";
import { listingSchema } from "../src/sources/listing-schema.js";
import { explainText } from "../src/text/explain.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { FINDING, joinChunks, RESULT, RUN, SUMMARY } from "./report-fixtures.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Text files that may cite the docs: sources, docs, rule data, JSON Schemas, table cases and tests. */
async function listFiles(): Promise<string[]> {
  const out = ["README.md", "CONTRIBUTING.md"];
  for (const dir of ["src", "docs", "rules", "schemas", "test", "scripts", "bench"]) {
    const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.(ts|mjs|js|md|yaml|yml)$|\.schema\.json$/.test(entry.name)) continue;
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
      // Installed packages (bench/node_modules after `npm ci --prefix bench`) are not the project's text.
      if (file.split("/").includes("node_modules")) continue;
      if (!file.startsWith("test/fixtures/") && !file.startsWith("test/golden/")) out.push(file);
    }
  }
  return out.sort();
}

const FILES = await listFiles();
const TEXTS = new Map(
  await Promise.all(FILES.map(async (f) => [f, await readFile(path.join(ROOT, f), "utf8")] as const)),
);
/** Pages a citation may name: the files above, and the changelog (whose old entries are history, not read here). */
const PAGES = new Map([...TEXTS, ["CHANGELOG.md", await readFile(path.join(ROOT, "CHANGELOG.md"), "utf8")]]);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function listAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (!heading) continue;
    const base = (heading[1] ?? "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Citation {
  /** The file that cites, and the line. */
  from: string;
  line: number;
  /** The cited file, relative to the repository root, and the anchor if any. */
  target: string;
  anchor: string | undefined;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/**
 * Every citation of a docs page: `docs/<page>.md#anchor` written anywhere (comments, rule data, docs), and
 * in Markdown files also links relative to the page (`](semantics.md#scopes)`, `](#scopes)`).
 */
function listCitations(): Citation[] {
  const out: Citation[] = [];
  for (const [from, text] of TEXTS) {
    for (const m of text.matchAll(/(?<![\w./-])docs\/([\w./-]+?\.md)(?:#([\p{L}\p{N}_-]+))?/gu)) {
      out.push({ from, line: lineOf(text, m.index), target: `docs/${m[1]}`, anchor: m[2] });
    }
    if (!from.endsWith(".md")) continue;
    for (const m of text.matchAll(/\]\((?!https?:|mailto:)([^)\s#]*)(?:#([^)\s]+))?\)/g)) {
      const link = m[1] ?? "";
      const target = link === "" ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), link));
      if (target.endsWith(".md")) out.push({ from, line: lineOf(text, m.index), target, anchor: m[2] });
    }
  }
  return out;
}

const CITATIONS = listCitations();

describe("citations of the docs", () => {
  it("are found in sources, docs, rule data and tests", () => {
    const citing = new Set(CITATIONS.map((c) => c.from.split("/")[0]));
    expect([...citing].sort()).toEqual(
      expect.arrayContaining(["README.md", "docs", "rules", "schemas", "src", "test"]),
    );
    expect(
      CITATIONS.filter((c) => c.target === "docs/semantics.md" && c.from.startsWith("src/")).length,
    ).toBeGreaterThan(10);
  });

  it("name pages and headings that exist", () => {
    const broken: string[] = [];
    for (const c of CITATIONS) {
      const page = PAGES.get(c.target);
      if (page === undefined) broken.push(`${c.from}:${c.line} → ${c.target} (no such page)`);
      else if (c.anchor !== undefined && !listAnchors(page).has(c.anchor))
        broken.push(`${c.from}:${c.line} → ${c.target}#${c.anchor} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("never point at a specification outside the repository", () => {
    // The team's old contract.md and domain.md live outside the repository; this file names them to look for them.
    const outside = /(contract|domain)\s*§|(contract|domain)\.md|\bthe contract\b/i;
    const self = "test/docs-links.test.ts";
    const left = [...TEXTS].flatMap(([file, text]) =>
      file === self
        ? []
        : text.split("\n").flatMap((line, i) => (outside.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(left).toEqual([]);
  });
});

describe("docs/listing-format.md", () => {
  const doc = TEXTS.get("docs/listing-format.md") ?? "";

  it("documents every field a listing may have", () => {
    for (const key of Object.keys(listingSchema.shape)) expect(doc).toContain(`| \`${key}\` |`);
  });
});

describe("docs/semantics.md", () => {
  const doc = TEXTS.get("docs/semantics.md") ?? "";

  it("says what every rule decides, linking its page", () => {
    for (const rule of RULES)
      expect(doc).toContain(`[\`${rule.meta.id}\`](${path.posix.relative("docs", rule.meta.docs)})`);
  });
});

type Report = { findings: Array<Record<string, unknown>>; problems: Array<Record<string, unknown>>; summary: object };

/** A JSON report with every optional key set: a baselined run with a SKU claim, allowlists and a problem. */
function renderReport(): Report {
  const reporter = createJsonReporter();
  const finding = { ...FINDING, baselined: false, claim: FINDING.claim && { ...FINDING.claim, index: 0 } };
  const problem: Problem = {
    code: "csv/unterminated-quote",
    source: { file: "x.csv", row: 17, line: 40 },
    message: "…",
    listingId: "1",
  };
  const chunks = [
    reporter.start(RUN),
    reporter.listing({ ...RESULT, findings: [finding] }),
    reporter.problem(problem),
    reporter.end({ ...SUMMARY, allowlisted: 1, suppressed: 1 }),
  ];
  return JSON.parse(chunks.map(joinChunks).join("")) as Report;
}

describe("docs/report-format.md", () => {
  const doc = TEXTS.get("docs/report-format.md") ?? "";
  const report = renderReport();

  it("documents every key of the report, of a finding, of a problem and of the summary", () => {
    const finding = report.findings[0] ?? {};
    const keys = [
      ...Object.keys(report),
      ...Object.keys(finding),
      ...Object.keys(finding.claim as object),
      ...Object.keys(report.problems[0] ?? {}),
      ...Object.keys(report.summary),
    ];
    for (const key of new Set(keys)) expect(doc, key).toMatch(new RegExp(`\`${key}\``));
    expect(finding.fingerprint).toBe(fingerprintFinding(FINDING, RESULT.record));
  });

  it("shows the report's keys in the order the reporter writes them", () => {
    const example = /## Shape\n[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "{}";
    const shown = JSON.parse(example) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(shown)).toEqual(Object.keys(report).filter((k) => k !== "comparison"));
    expect(Object.keys(shown.findings[0] ?? {})).toEqual(
      Object.keys(report.findings[0] ?? {}).filter((k) => k !== "baselined"),
    );
  });

  it("gives exactly what explain --json prints for its example", async () => {
    const [lexicon, regions] = await Promise.all([loadLexicon(), loadRegionCatalogue()]);
    if (!lexicon.ok || !regions.ok) throw new Error("rule data does not load");
    const example = /## Explain output\n[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "{}";
    const shown = JSON.parse(example) as { text: string };
    const explained = explainText(shown.text, { lexicon: lexicon.value, regions: regions.value });
    expect(JSON.stringify(explained)).toBe(JSON.stringify(shown));
  });
});
