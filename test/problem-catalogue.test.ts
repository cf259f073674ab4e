import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PROBLEM_CODES, PROBLEM_GROUPS, PROBLEM_SEVERITIES, PROBLEMS } from "../src/problems/catalogue.js";
import { renderTroubleshooting, TROUBLESHOOTING_FILES } from "../src/problems/troubleshooting.js";
import { savedPageSchema } from "../src/sources/crawl/saved-pages.js";
import { problemFailsRun } from "../src/verdict.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SRC = path.join(ROOT, "src");
const CATALOGUE_DIR = path.join(SRC, "problems");

/** Every TypeScript file of src/ outside the catalogue's own folder, with its text. */
const SOURCES = readdirSync(SRC, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => path.join(SRC, file))
  .filter((file) => !file.startsWith(CATALOGUE_DIR + path.sep))
  .map((file) => ({ file: path.relative(ROOT, file), text: readFileSync(file, "utf8") }));

const PREFIXES = new Set(PROBLEM_CODES.map((code) => code.split("/")[0]));
const SUFFIXES = new Set(PROBLEM_CODES.map((code) => code.split("/")[1]));

/** String literals shaped like a problem code (`prefix/name`) whose prefix is one of the catalogue's. */
function codesIn(text: string): string[] {
  const found = [...text.matchAll(/["'`]([a-z][a-z-]*)\/([a-z][a-z-]*)["'`]/g)];
  return found.filter((m) => PREFIXES.has(m[1] ?? "")).map((m) => `${m[1]}/${m[2]}`);
}

describe("the problem catalogue", () => {
  const used = new Map<string, string[]>();
  for (const { file, text } of SOURCES)
    for (const code of codesIn(text)) used.set(code, [...(used.get(code) ?? []), file]);

  it("has every code that src/ uses", () => {
    const unknown = [...used].filter(([code]) => !(code in PROBLEMS)).map(([code, files]) => `${code} (${files[0]})`);
    expect(unknown).toEqual([]);
  });

  it("has no code that src/ does not use", () => {
    expect(PROBLEM_CODES.filter((code) => !used.has(code))).toEqual([]);
  });

  it("is the only source of codes: no code is assembled from parts, so a search for a code finds where it is made", () => {
    const assembled = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/`\$\{[^`}]+\}\/([a-z][a-z-]*)`/g)]
        .filter((m) => SUFFIXES.has(m[1] ?? ""))
        .map((m) => `${file}: ${m[0]}`),
    );
    expect(assembled).toEqual([]);
  });

  it("finds codes written in any quotes, and only under the catalogue's prefixes", () => {
    expect(codesIn(`a("csv/field-count"); b('crawl/timeout'); c(\`page/too-deep\`)`)).toEqual([
      "csv/field-count",
      "crawl/timeout",
      "page/too-deep",
    ]);
    expect(codesIn(`import "csv-parse/sync"; rule("shipping/vague-exclusion"); type("text/html")`)).toEqual([]);
  });

  it.each(PROBLEM_CODES.map((code) => [code, PROBLEMS[code]] as const))(
    "%s says what happened and what to do, in Chinese and English",
    (_code, entry) => {
      const chinese = /\p{Script=Han}/u;
      expect(entry.summary.zh).toMatch(chinese);
      expect(entry.action.zh).toMatch(chinese);
      expect(entry.summary.en.trim()).not.toBe("");
      expect(entry.action.en.trim()).not.toBe("");
      expect(Object.keys(PROBLEM_SEVERITIES)).toContain(entry.severity);
    },
  );

  it("lists every group it declares", () => {
    const groups = new Set(PROBLEM_CODES.map((code) => PROBLEMS[code].group));
    expect(Object.keys(PROBLEM_GROUPS).filter((group) => !groups.has(group as never))).toEqual([]);
  });

  it("decides which problems fail the run: its `error` codes, a listing the tool failed on", () => {
    expect(PROBLEM_CODES.filter((code) => problemFailsRun({ code })).sort()).toEqual([
      "listing/crashed",
      "rule/crashed",
    ]);
  });

  it("is what a saved-pages index may name", () => {
    const entry = (code: string) => ({
      url: "https://shop.example/1",
      timestamp: "t",
      problem: { code, message: "m" },
    });
    expect(savedPageSchema.safeParse(entry("crawl/timeout")).success).toBe(true);
    expect(savedPageSchema.safeParse(entry("crawl/no-such-code")).success).toBe(false);
  });
});

describe("docs/troubleshooting", () => {
  it.each(Object.entries(TROUBLESHOOTING_FILES) as [keyof typeof TROUBLESHOOTING_FILES, string][])(
    "%s: docs/%s is current (npm run docs:troubleshooting)",
    (lang, file) => {
      expect(readFileSync(path.join(ROOT, "docs", file), "utf8")).toBe(renderTroubleshooting(lang));
    },
  );

  it.each(["en", "zh"] as const)("%s: names every code once, in a row of its group", (lang) => {
    const page = renderTroubleshooting(lang);
    for (const code of PROBLEM_CODES) expect(page.split(`\n| \`${code}\` |`).length - 1, code).toBe(1);
  });

  it.each(["en", "zh"] as const)("%s: every row of a code has its five cells, whatever the texts hold", (lang) => {
    const rows = renderTroubleshooting(lang)
      .split("\n")
      .filter((line) => line.startsWith("| `") && line.includes("/"));
    expect(rows).toHaveLength(PROBLEM_CODES.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/), row).toHaveLength(7);
  });
});
