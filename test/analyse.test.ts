import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Listing } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { analyseListing, listingPrice } from "../src/text/analyse.js";
import { explainText } from "../src/text/explain.js";
import { lexiconAdditionsSchema, loadLexicon, mergeLexicon, parseLexicon } from "../src/text/lexicon.js";
import { createParser, parseText } from "../src/text/parser.js";

const regions = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();
const lexicon = await (async () => {
  const r = await loadLexicon();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();
const context = { lexicon, regions };

describe("explainText", () => {
  it("gives exactly the example of docs/report-format.md#explain-output", () => {
    expect(explainText("全国包邮（新疆西藏除外）", context)).toEqual({
      text: "全国包邮（新疆西藏除外）",
      claims: [
        {
          text: "全国包邮",
          start: 0,
          end: 4,
          scope: "all",
          regions: [],
          excluded: ["540000", "650000"],
          condition: null,
          carrier: null,
        },
      ],
      disclosures: [
        {
          text: "新疆西藏除外",
          start: 5,
          end: 11,
          regions: ["540000", "650000"],
          fee: null,
          vague: false,
          kind: "exclusion",
          footnote: false,
        },
      ],
      buyerPays: [],
      invoice: [],
    });
  });

  it("adds count only to partial claims and reads HTML as visible text", () => {
    const e = explainText("<p>25省包邮</p><p>江浙沪包邮</p>", context);
    expect(e.text).toBe("25省包邮\n江浙沪包邮");
    expect(e.claims.map((c) => Object.keys(c).includes("count"))).toEqual([true, false]);
    expect(e.claims[1]).toMatchObject({ start: 6, end: 11, scope: "regions", regions: ["310000", "320000", "330000"] });
  });

  it("judges numbers against the given price", () => {
    expect(explainText("99元包邮", { ...context, price: 99 }).claims[0]?.condition).toBeNull();
    expect(explainText("99元包邮", { ...context, price: 30 }).claims[0]?.condition).toEqual({ minAmount: 99 });
  });
});

describe("analyseListing", () => {
  const listing: Listing = {
    id: "1",
    title: "新疆红枣 全国包邮",
    subtitle: "",
    skus: [{ name: "500g 满2件包邮", price: 25 }, { name: "1kg", price: 19.9 }, { name: "  " }],
    description: "<p>新疆、西藏不发货</p><img alt='包邮'>",
    mobileDescription: "<p>退换货邮费自理</p>",
  };

  it("reads title, SKU names, description and mobile description in order, skipping empty fields", () => {
    const fields = analyseListing(listing, context);
    expect(fields.map((f) => [f.field, f.index])).toEqual([
      ["title", undefined],
      ["sku", 0],
      ["sku", 1],
      ["description", undefined],
      ["mobileDescription", undefined],
    ]);
    expect(fields[0]?.parsed.claims).toMatchObject([
      { text: "全国包邮", start: 5, end: 9, scope: "all", excluded: [] },
    ]);
    expect(fields[1]?.parsed.claims).toMatchObject([{ condition: { minQuantity: 2 } }]);
    expect(fields[3]).toMatchObject({ text: "新疆、西藏不发货" });
    expect(fields[3]?.parsed.disclosures).toMatchObject([{ kind: "no-delivery", regions: ["540000", "650000"] }]);
    expect(fields[4]?.parsed).toEqual({ claims: [], disclosures: [], buyerPays: [], invoice: [] });
  });

  it("uses the lowest SKU price, else the listing price (docs/listing-format.md#the-price)", () => {
    expect(listingPrice(listing)).toBe(19.9);
    expect(listingPrice({ ...listing, price: 50 })).toBe(19.9);
    expect(listingPrice({ id: "5", title: "x", price: 50, skus: [{ name: "a" }, { name: "b", price: 0 }] })).toBe(50);
    expect(listingPrice({ id: "2", title: "x" })).toBeUndefined();
    const cheap = analyseListing({ id: "3", title: "19.9元包邮", skus: [{ name: "a", price: 19.9 }] }, context);
    expect(cheap[0]?.parsed.claims[0]?.condition).toBeNull();
    const dear = analyseListing({ id: "4", title: "99元包邮", price: 19.9 }, context);
    expect(dear[0]?.parsed.claims[0]?.condition).toEqual({ minAmount: 99 });
    // A number equal to any price shown is that price, even above the lowest SKU price.
    const sku = analyseListing(
      {
        id: "6",
        title: "45.9元包邮",
        price: 29.9,
        skus: [
          { name: "a", price: 29.9 },
          { name: "b", price: 45.9 },
        ],
      },
      context,
    );
    expect(sku[0]?.parsed.claims[0]?.condition).toBeNull();
    const between = analyseListing(
      {
        id: "7",
        title: "39元包邮",
        price: 29.9,
        skus: [
          { name: "a", price: 29.9 },
          { name: "b", price: 45.9 },
        ],
      },
      context,
    );
    expect(between[0]?.parsed.claims[0]?.condition).toEqual({ minAmount: 39 });
  });
});

describe("lexicon", () => {
  it("loads the bundled lexicon", () => {
    expect(lexicon.language).toBe("zh-CN");
    expect(lexicon.claims.cores).toContain("包邮");
  });

  it("names file, line and key of a bad lexicon", () => {
    const r = parseLexicon("language: x\nclaims:\n  cores: [包邮, 3]\n", "bad.yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toContainEqual(expect.objectContaining({ file: "bad.yaml", line: 3, key: "claims.cores[1]" }));
      expect(r.errors.some((e) => e.key === "scopes")).toBe(true);
    }
  });

  it("reports a YAML syntax error with its line", () => {
    const r = parseLexicon("language: [\n", "broken.yaml");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ file: "broken.yaml" });
  });

  it("reports an unreadable file as a located error", async () => {
    const r = await loadLexicon("does-not-exist.yaml");
    expect(r.ok).toBe(false);
  });

  it("merges additions without touching the base", () => {
    const additions = lexiconAdditionsSchema.parse({
      claims: { cores: ["包寄"] },
      carriers: [
        { name: "顺丰", aliases: ["顺风"] },
        { name: "丰网", aliases: [] },
      ],
      numbers: { countingWords: ["片"] },
    });
    const merged = mergeLexicon(lexicon, additions);
    expect(merged.claims.cores).toContain("包寄");
    expect(lexicon.claims.cores).not.toContain("包寄");
    expect(merged.carriers.find((c) => c.name === "顺丰")?.aliases).toContain("顺风");
    expect(merged.carriers.some((c) => c.name === "丰网")).toBe(true);
    const parse = createParser(merged, regions);
    expect(parse("顺风包寄").claims).toMatchObject([{ text: "顺风包寄", carrier: "顺丰" }]);
    expect(parse("10片包邮").claims[0]?.condition).toEqual({ minQuantity: 10 });
    expect(parseText("10片包邮", context).claims[0]?.condition).toBeNull();
  });

  it("rejects unknown keys in additions", () => {
    expect(lexiconAdditionsSchema.safeParse({ claim: { cores: ["x"] } }).success).toBe(false);
    expect(lexiconAdditionsSchema.safeParse({ claims: { cores: "x" } }).success).toBe(false);
  });
});

describe("parser robustness", () => {
  const fragments = [
    "包邮",
    "全国",
    "新疆",
    "西藏",
    "偏远地区",
    "江浙沪",
    "除",
    "外",
    "除外",
    "不",
    "满",
    "99",
    "9.9",
    "元",
    "件",
    "三",
    "省",
    "（",
    "）",
    "(",
    ")",
    "、",
    "，",
    "。",
    "？",
    "吗",
    "等",
    "不发货",
    "加收",
    "10元",
    "邮费自理",
    "退换货",
    "可开发票",
    "顺丰",
    "包",
    "*",
    " ",
    "\n",
    "包郵",
    "ＡＢ",
    "<p>",
    "</p>",
    "&amp;",
    "含",
    "港澳台",
    "：",
    "部分",
    "起拍",
  ];
  const texts = fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((parts) => parts.join(""));

  it("never throws and reports consistent offsets, slices and sorted codes", () => {
    const parse = createParser(lexicon, regions);
    const sorted = (codes: readonly string[]) => codes.every((c, i) => i === 0 || (codes[i - 1] as string) < c);
    fc.assert(
      fc.property(texts, fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: undefined }), (text, price) => {
        const parsed = parse(text, price);
        for (const item of [...parsed.claims, ...parsed.disclosures, ...parsed.buyerPays, ...parsed.invoice]) {
          expect(item.start).toBeGreaterThanOrEqual(0);
          expect(item.end).toBeGreaterThan(item.start);
          expect(item.end).toBeLessThanOrEqual(text.length);
          expect(text.slice(item.start, item.end)).toBe(item.text);
        }
        for (const claim of parsed.claims) expect(sorted(claim.regions) && sorted(claim.excluded)).toBe(true);
        for (const d of parsed.disclosures) expect(sorted(d.regions)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("stays fast on long and repetitive text", () => {
    const parse = createParser(lexicon, regions);
    const long = "满满满满99包邮新疆、西藏、".repeat(2000);
    const started = performance.now();
    parse(long);
    // Hang guard only, with a margin no loaded machine reaches.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
