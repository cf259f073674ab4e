import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding, ListingResult, Problem, ProblemCode } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { createHtmlReporter } from "../src/report/html.js";
import { SAVED_PAGES_HEADER } from "../src/sources/crawl/saved-pages.js";
import { compileUrlFilter } from "../src/sources/crawl/url.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import { yamlReader } from "../src/sources/json-listings.js";
import { parseTemplates } from "../src/templates/index.js";
import { compileGlob } from "../src/util/glob.js";
import { MAX_NESTING_DEPTH, parseLocatedDocument } from "../src/util/yaml-document.js";
import { inputOf } from "./fixtures/exports/taobao-export.js";
import { renderReport, runInfo, summary } from "./fixtures/report-result.js";
import { PAYLOADS } from "./fixtures/xss-payloads.js";
import { readHtmlReportData } from "./helpers/html-report-data.js";

describe("the HTML report escapes hostile listing text", () => {
  const finding = (payload: string, i: number): Finding => ({
    ruleId: "shipping/claim-charged-region",
    severity: "error",
    listingId: `id-${i}${payload}`,
    message: `标题宣称「全国包邮${payload}」`,
    source: { file: `x${payload}.json`, row: 1, line: 1, field: "title", url: payload },
    claim: { text: `全国包邮${payload}`, field: "title", start: 0, end: 4 + payload.length },
    relatedClaims: [],
    regions: [{ code: "650000", name: `新疆${payload}`, fee: 20, quantity: 1 }],
    templateId: `T${payload}`,
    fix: `改为 0 ${payload}`,
    reference: payload,
  });
  const items = PAYLOADS.flatMap((payload, i) => {
    const result: ListingResult = {
      record: {
        listing: { id: `id-${i}${payload}`, title: `全国包邮${payload}`, url: payload },
        source: { url: payload },
      },
      findings: [finding(payload, i)],
      problems: [],
    };
    const problem: Problem = {
      // No reader makes such a code; the reporters must escape whatever a problem carries all the same.
      code: `csv/x${payload}` as ProblemCode,
      message: payload,
      source: { file: payload, url: payload },
      listingId: payload,
    };
    return [
      { kind: "listing" as const, result },
      { kind: "problem" as const, problem },
    ];
  });
  const html = renderReport(createHtmlReporter, { ...runInfo, inputs: PAYLOADS }, items, {
    ...summary,
    findings: PAYLOADS.length,
  });

  it("lets no payload through as markup", () => {
    // The report's own script and its two data blocks, and nothing after their end tags that a payload
    // could have opened: the data's `<` are JSON escapes, so no payload can close a block.
    expect(html.match(/<script\b/gi)).toHaveLength(3);
    expect(html.match(/<script type="application\/json" id="report-(listings|meta)">/g)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(html).not.toMatch(/<(img|iframe|base|textarea)\b/i);
    expect(html).not.toMatch(/<meta http-equiv=["']?refresh/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):/i);
    expect(html).not.toContain("<![CDATA[");
    expect(html).not.toContain("--><script");
    // Outside the data blocks every payload is escaped; inside them no <, > or & is left to read as markup.
    const data = /<script type="application\/json" id="report-(?:listings|meta)">([\s\S]*?)<\/script>/g;
    const blocks = [...html.matchAll(data)].map((m) => m[1] ?? "");
    for (const block of blocks) expect(block).not.toMatch(/[<>&]/);
    const outside = html.replace(data, "");
    for (const payload of PAYLOADS.filter((p) => /[<>"'`]/.test(p))) expect(outside).not.toContain(payload);
  });

  it("keeps the text readable: each payload appears escaped, and comes back whole from the data", () => {
    for (const payload of ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&lt;script&gt;"]) {
      const escaped = payload
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;");
      expect(html).toContain(escaped);
    }
    const { listings } = readHtmlReportData(html);
    expect(listings.map((l) => l[1])).toEqual(PAYLOADS.map((p) => `全国包邮${p}`));
  });

  it("forbids any script but its own by Content-Security-Policy", () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain("unsafe-inline");
  });
});

describe("YAML and JSON documents that try to exhaust the parser", () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const blockNested = (depth: number) => `${Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}- `).join("\n")}x`;

  it(`accepts ${MAX_NESTING_DEPTH} levels and refuses one more, flow or block, with a located error`, () => {
    expect(parseLocatedDocument(nested(MAX_NESTING_DEPTH), "ok.yaml").ok).toBe(true);
    expect(parseLocatedDocument(blockNested(MAX_NESTING_DEPTH), "ok.yaml").ok).toBe(true);
    for (const text of [
      nested(MAX_NESTING_DEPTH + 1),
      blockNested(MAX_NESTING_DEPTH + 1),
      `a:\n  b: ${nested(5000)}`,
    ]) {
      const result = parseLocatedDocument(text, "deep.yaml");
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.errors[0]).toMatchObject({
          file: "deep.yaml",
          line: expect.any(Number),
          message: expect.stringMatching(/nested more than 64 levels/),
        });
    }
  });

  it("refuses deep documents again and again without crashing the process", () => {
    // After a stack overflow inside the YAML composer, V8 could abort on the next deep document.
    for (let i = 0; i < 5; i++) {
      expect(parseLocatedDocument(nested(3000), "a.yaml").ok).toBe(false);
      expect(parseLocatedDocument(blockNested(2000), "b.yaml").ok).toBe(false);
    }
  });

  it("refuses a billion-laughs alias bomb quickly in templates and listings", async () => {
    const levels = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ];
    const started = performance.now();
    const regions = await loadRegionCatalogue();
    if (!regions.ok) throw new Error("regions");
    const templates = parseTemplates(`${levels.join("\n")}\ntemplates: [*i]\n`, "bomb.yaml", regions.value);
    expect(templates.ok).toBe(false);
    const items = [];
    const listing = `- id: "1"\n  title: 包邮\n- id: "2"\n  title: 包邮\n  ${levels.join("\n  ")}\n`;
    for await (const item of yamlReader.read(inputOf("bomb.yaml", Buffer.from(listing)), {})) items.push(item);
    expect(items.map((i) => (i.kind === "listing" ? i.record.listing.id : i.problem.code))).toEqual([
      "1",
      "yaml/too-many-aliases",
    ]);
    expect(performance.now() - started).toBeLessThan(10_000); // hang guard only
  });
});

describe("user patterns are globs or literal text and cannot hang the auditor", () => {
  const long = "a".repeat(5000);
  it.each([
    "**/*a*a*a*a*a*a*a*b",
    "*a*a*a*a*a*a*a*a*a*a*a*b",
    "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}*b",
    "(a+)+$",
    "[a-z]*[a-z]*[a-z]*[a-z]*!",
  ])("%s against 5,000 characters", (pattern) => {
    const started = performance.now();
    expect(compileGlob(pattern)(long)).toBe(false);
    expect(compileGlob(pattern)(`/${long}/${long}`)).toBe(false);
    expect(compileUrlFilter([pattern], [])(new URL(`http://127.0.0.1/${long}?q=${long}`))).toBe(false);
    expect(compileUrlFilter([], [pattern])(new URL(`http://127.0.0.1/${long}`))).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000); // hang guard only
  });

  it("treats regular-expression syntax as literal text", () => {
    expect(compileGlob("(a+)+$")("aaaa")).toBe(false);
    expect(compileGlob("(a+)+$")("(a+)+$")).toBe(true);
    expect(compileGlob("10.5")("10x5")).toBe(false);
  });
});

describe("saved pages", () => {
  it("never reads a body outside the saved-pages folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "listing-audit-saved-"));
    try {
      await mkdir(path.join(dir, "pages", "bodies"), { recursive: true });
      await writeFile(
        path.join(dir, "secret.html"),
        '<html><head><meta property="og:type" content="product"><title>SECRET 包邮</title></head></html>',
      );
      const entry = (body: string) =>
        JSON.stringify({
          url: `http://127.0.0.1/${body.length}`,
          timestamp: "2024-01-01T00:00:00Z",
          status: 200,
          headers: { "content-type": "text/html" },
          body,
        });
      const index = [
        JSON.stringify(SAVED_PAGES_HEADER),
        entry("../secret.html"),
        entry(path.join(dir, "secret.html")),
      ].join("\n");
      const file = path.join(dir, "pages", "index.jsonl");
      await writeFile(file, index);
      const items = [];
      for await (const item of htmlPageReader.read(inputOf(file, Buffer.from(index)), {})) items.push(item);
      expect(items.map((i) => (i.kind === "problem" ? i.problem.code : "listing"))).toEqual([
        "saved-pages/invalid-entry",
        "saved-pages/invalid-entry",
      ]);
      expect(JSON.stringify(items)).not.toContain("SECRET");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
