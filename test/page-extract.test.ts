import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { createHtmlPageReader, htmlPageReader } from "../src/sources/html-page-reader.js";
import { extractorRuleSchema, findRule } from "../src/sources/page/extractor-rules.js";
import { extractPage, loadPageContext, type PageContext } from "../src/sources/page/extract-page.js";
import type { SourceInput } from "../src/sources/source.js";
import { collect } from "./helpers/collect.js";

let context: PageContext;
beforeAll(async () => {
  const loaded = await loadPageContext({
    extractors: [
      {
        match: "shop.example",
        title: "#itemTitle",
        subtitle: ".sell-point",
        shipping: ".postage",
        price: ".tb-rmb-num",
        templateId: ".tpl",
        description: "#description",
      },
    ],
  });
  if (!loaded.ok) throw new Error("context");
  context = loaded.value;
});

const fixture = (name: string) => new URL(`fixtures/pages/${name}`, import.meta.url);

function inputOf(name: string, bytes: Buffer): SourceInput {
  return { name, head: bytes.subarray(0, 1 << 20), open: () => Readable.from([bytes]) };
}

describe("config extractor rules (CSS selectors)", () => {
  it("win over everything else and only for matching hosts; shipping text joins the subtitle", async () => {
    const html = await readFile(fixture("selectors.html"), "utf8");
    const [item] = extractPage({ html, url: "https://shop.example/item/1" }, context);
    expect(item?.kind === "listing" && item.record.listing).toEqual({
      id: "https://shop.example/item/1",
      title: "手工红糖 400g",
      subtitle: "顺丰包邮\n运费：包邮（新疆、西藏除外）",
      description: '<div id="description"><p>古法熬制。</p><p>新疆西藏需补运费10元。</p></div>',
      price: 35.8,
      templateId: "T9",
      url: "https://shop.example/item/1",
    });
    const other = extractPage({ html, url: "https://elsewhere.example/item/1" }, context);
    expect(other[0]).toMatchObject({ kind: "problem", skipped: true, problem: { code: "page/not-a-product" } });
  });

  it("validates rules with zod", () => {
    expect(extractorRuleSchema.safeParse({ title: "#t", colour: "red" }).success).toBe(false);
    expect(extractorRuleSchema.safeParse({ match: "https://a.example/**", title: "#t" }).success).toBe(true);
  });
});

describe("html page reader", () => {
  it("detects .html files and HTML content, not other text", () => {
    expect(htmlPageReader.detect({ name: "a.htm", head: Buffer.from("x") })).toBe(true);
    expect(htmlPageReader.detect({ name: "page", head: Buffer.from("<!DOCTYPE html><html>") })).toBe(true);
    expect(htmlPageReader.detect({ name: "listings.json", head: Buffer.from('[{"id":"1"}]') })).toBe(false);
  });

  it("reads a GBK file with only a <meta charset> and locates records by file", async () => {
    const html = (await readFile(fixture("zh-baoyou.html"), "utf8")).replace(
      '<meta charset="utf-8">',
      '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    );
    const items = await collect(htmlPageReader.read(inputOf("pages/coffee.html", iconv.encode(html, "gbk")), {}));
    expect(items[0]).toMatchObject({
      kind: "listing",
      record: {
        source: { file: "pages/coffee.html" },
        listing: { id: "pages/coffee.html", title: "云南小粒咖啡豆 500g 全国包邮" },
      },
    });
  });

  it("reports saved-pages index lines that are not valid entries, with their line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "saved-"));
    const index = path.join(dir, "index.jsonl");
    await writeFile(index, '{"format":"listing-auditor/saved-pages","version":1}\n{"url":"nope"}\n');
    const bytes = await readFile(index);
    const reader = createHtmlPageReader();
    expect(reader.detect({ name: index, head: bytes })).toBe(true);
    const items = await collect(reader.read(inputOf(index, bytes), {}));
    expect(items).toMatchObject([
      { kind: "problem", problem: { code: "saved-pages/invalid-entry", source: { line: 2 } } },
    ]);
  });
});

describe("extractor rule globs on URLs the crawled site controls (red-team #10)", () => {
  const rules = [
    { match: "https://shop.example/item/*-*-*-*.html", title: "#t" },
    { match: "https://shop.example/goods/**", title: "#g" },
  ];

  it("match like globs: * within a path segment, ** across segments, a bare host", () => {
    expect(findRule(rules, "https://shop.example/item/a-b-c-d.html")?.title).toBe("#t");
    expect(findRule(rules, "https://shop.example/item/x/a-b-c-d.html")).toBeUndefined();
    expect(findRule(rules, "https://shop.example/goods/2024/06/1.html")?.title).toBe("#g");
    expect(findRule([{ match: "shop.example", title: "#h" }], "https://shop.example/any")?.title).toBe("#h");
  });

  it("answer at once for a URL of 1,000 dashes (picomatch took 22 s; the test timeout is the hang guard)", () => {
    const dashes = "-".repeat(1_000);
    expect(findRule(rules, `https://shop.example/item/${dashes}.html`)?.title).toBe("#t");
    expect(findRule(rules, `https://shop.example/item/${dashes}.htm`)).toBeUndefined();
    expect(
      findRule(
        [{ match: "https://s.example/*a*a*a*a*a*a*a*a*a*a*b", title: "#x" }],
        `https://s.example/${"a".repeat(60)}`,
      ),
    ).toBeUndefined();
  });
});
