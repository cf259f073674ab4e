import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RegionCatalogue, ShippingTemplate, SourceItem } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { genericCsvReader } from "../src/sources/generic-csv.js";
import { jsonlReader, jsonReader, yamlReader } from "../src/sources/json-listings.js";
import { checkListing } from "../src/sources/listing-schema.js";
import { NotAListingSourceError, type SourceReader } from "../src/sources/source.js";
import { evaluateRegionFee, parseTemplates } from "../src/templates/index.js";
import { foldText } from "../src/text/fold.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { createParser } from "../src/text/parser.js";
import { toVisibleText } from "../src/text/visible-text.js";
import { inputOf } from "./fixtures/exports/taobao-export.js";

// Fixed seeds: a failure reproduces on every machine; fast-check prints the shrunk counterexample.
const SEED = 20240601;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

const regions: RegionCatalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();
const parse = await (async () => {
  const r = await loadLexicon();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return createParser(r.value, regions);
})();

/** Any UTF-16 code unit, lone surrogates included: what a broken export decodes to. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Shop words, markup and punctuation, mixed with arbitrary code units so the parser's anchors fire on noise. */
const shopPiece = fc.oneof(
  fc.constantFrom(
    "包邮",
    "全国包邮",
    "新疆",
    "西藏",
    "偏远地区",
    "除外",
    "不包邮",
    "满99元",
    "2件",
    "江浙沪",
    "港澳台",
    "（",
    "）",
    "、",
    "，",
    "加收10元",
    "邮费自理",
    "可开发票",
    "包郵",
    "<p>",
    "</p>",
    "<br>",
    "&amp;",
    "&#x5305;",
    "<script>x</script>",
    "\u2028",
    "\u00a0",
    "\u200b",
    " ",
    "\n",
  ),
  codeUnit,
  fc.string({ unit: "binary", maxLength: 4 }),
);
const shopText = fc.array(shopPiece, { maxLength: 40 }).map((parts) => parts.join(""));

describe("claim parser (see also test/analyse.test.ts 'parser robustness' for phrase-only texts)", () => {
  it("never throws on arbitrary text and every item is a slice of the text at its offsets", () => {
    fc.assert(
      fc.property(
        shopText,
        fc.option(fc.double({ min: -1, max: 1e6, noNaN: false }), { nil: undefined }),
        (text, price) => {
          const parsed = parse(text, price);
          for (const item of [...parsed.claims, ...parsed.disclosures, ...parsed.buyerPays, ...parsed.invoice]) {
            expect(0 <= item.start && item.start < item.end && item.end <= text.length).toBe(true);
            expect(text.slice(item.start, item.end)).toBe(item.text);
          }
        },
      ),
      runs(600),
    );
  });

  it("parses visible text of arbitrary HTML, and every visible offset maps back inside the input, in order", () => {
    fc.assert(
      fc.property(shopText, (html) => {
        const visible = toVisibleText(html);
        let previous = 0;
        for (let i = 0; i <= visible.text.length; i++) {
          const at = visible.toSource(i);
          expect(at).toBeGreaterThanOrEqual(previous);
          expect(at).toBeLessThanOrEqual(html.length);
          previous = at;
        }
        const parsed = parse(visible.text);
        for (const claim of parsed.claims) {
          expect(visible.text.slice(claim.start, claim.end)).toBe(claim.text);
          expect(visible.toSource(claim.start)).toBeLessThan(html.length);
        }
      }),
      runs(400),
    );
  });

  it("maps characters that were not entities back to themselves", () => {
    fc.assert(
      fc.property(shopText, (html) => {
        const visible = toVisibleText(html);
        for (let i = 0; i < visible.text.length; i++) {
          const ch = visible.text[i] as string;
          const at = visible.toSource(i);
          // Separators stand for collapsed white space or tags; entities map to their `&`.
          if (ch === " " || ch === "\n" || html[at] === "&") continue;
          expect(html[at]).toBe(ch);
        }
      }),
      runs(400),
    );
  });
});

describe("foldText (see also test/fold.test.ts)", () => {
  it("is length-preserving and idempotent on arbitrary code units, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 200 }), (text) => {
        const folded = foldText(text);
        expect(folded).toHaveLength(text.length);
        expect(foldText(folded)).toBe(folded);
      }),
      runs(500),
    );
  });
});

describe("fee evaluation (findPaidQuantity against a scan: test/fees.test.ts)", () => {
  const schedule = fc.record({
    first: fc.integer({ min: 0, max: 5 }),
    firstFee: fc.constantFrom(0, 0.5, 3, 12),
    next: fc.integer({ min: 1, max: 4 }),
    nextFee: fc.constantFrom(0, 0.3, 2, 7),
  });
  const areas = fc.uniqueArray(fc.constantFrom("新疆", "西藏", "青海", "北京", "650100", "香港", "海外"), {
    minLength: 1,
    maxLength: 3,
  });
  const template = fc.record({
    valuation: fc.constantFrom("piece", "weight", "volume"),
    default: schedule,
    rows: fc.array(fc.record({ areas, schedule }), { maxLength: 3 }),
    noDelivery: fc.uniqueArray(fc.constantFrom("台湾", "澳门"), { maxLength: 2 }),
  });

  it("is monotone non-decreasing in quantity for templates without freeWhen rows", () => {
    fc.assert(
      fc.property(template, fc.constantFrom(0.25, 1, 2.5), (t, unit) => {
        const used = new Set<string>(t.noDelivery);
        const rows = t.rows
          .map((r) => ({ areas: r.areas.filter((a) => !used.has(a) && used.add(a)), ...r.schedule }))
          .filter((r) => r.areas.length > 0);
        const text = JSON.stringify({
          templates: [
            {
              id: "M",
              payer: "buyer",
              valuation: t.valuation,
              default: t.default,
              regions: rows,
              noDelivery: t.noDelivery,
            },
          ],
        });
        const parsed = parseTemplates(text, "m.json", regions);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        const shipping = parsed.value.templates[0] as ShippingTemplate;
        for (const region of ["650000", "540000", "630000", "110000", "810000", "710000", "overseas"]) {
          let previous: ReturnType<typeof evaluateRegionFee> | undefined;
          for (let quantity = 1; quantity <= 25; quantity++) {
            const fee = evaluateRegionFee(shipping, region, { quantity, weight: unit, volume: unit });
            if (previous !== undefined) {
              expect(fee.status === "unknown" || fee.status === "undeliverable").toBe(
                previous.status === "unknown" || previous.status === "undeliverable",
              );
              expect(fee.fee ?? 0).toBeGreaterThanOrEqual(previous.fee ?? 0);
            }
            previous = fee;
          }
        }
      }),
      runs(200),
    );
  });
});

describe("loaders turn arbitrary input into records or located problems, never an exception", () => {
  const templateLike = fc.record(
    {
      id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      payer: fc.oneof(fc.constantFrom("buyer", "seller"), fc.anything()),
      valuation: fc.oneof(fc.constantFrom("piece", "weight", "volume"), fc.string()),
      default: fc.oneof(
        fc.record({ first: fc.anything(), firstFee: fc.double(), next: fc.integer(), nextFee: fc.anything() }),
        fc.anything(),
      ),
      regions: fc.oneof(
        fc.array(
          fc.record({
            areas: fc.oneof(fc.array(fc.string()), fc.anything()),
            first: fc.double(),
            firstFee: fc.anything(),
          }),
        ),
        fc.anything(),
      ),
      freeWhen: fc.oneof(
        fc.array(fc.record({ areas: fc.array(fc.constantFrom("全国", "新疆", "火星")), minQuantity: fc.anything() })),
        fc.anything(),
      ),
      noDelivery: fc.anything(),
    },
    { requiredKeys: [] },
  );
  const templateDocument = fc.oneof(
    fc.record({ templates: fc.array(templateLike, { maxLength: 3 }) }).map((d) => JSON.stringify(d)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ unit: codeUnit, maxLength: 300 }),
    fc
      .array(
        fc.constantFrom(
          "templates:",
          "\n",
          "  - id: T",
          "    payer: buyer",
          "&a ",
          "*a",
          "[",
          "]",
          "{",
          "}",
          ": ",
          "- ",
          "  ",
          '"',
          "'",
          "#",
          "\t",
          "---",
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join("")),
  );

  it("parseTemplates: a value or errors that each name the file and a line inside it", () => {
    fc.assert(
      fc.property(templateDocument, (text) => {
        const result = parseTemplates(text, "fuzz.yaml", regions);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        const lines = text.split(/\r\n|\r|\n/).length;
        for (const error of result.errors) {
          expect(error.file).toBe("fuzz.yaml");
          expect(typeof error.message).toBe("string");
          if (error.line !== undefined) expect(error.line >= 1 && error.line <= lines + 1).toBe(true);
        }
      }),
      runs(300),
    );
  });

  it("checkListing: any JSON value is a listing or one problem with a code", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record(
            { id: fc.anything(), title: fc.anything(), price: fc.anything(), fees: fc.anything(), skus: fc.anything() },
            { requiredKeys: [] },
          ),
        ),
        (value) => {
          const check = checkListing(value, { file: "x.json", row: 1, line: 1 });
          if (check.ok)
            expect(typeof check.listing.id === "string" && typeof check.listing.title === "string").toBe(true);
          else expect(check.problem.code).toMatch(/^listing\/[a-z-]+$/);
        },
      ),
      runs(800),
    );
  });

  const listingText = fc.oneof(
    fc
      .array(
        fc.record(
          {
            id: fc.oneof(fc.string(), fc.integer()),
            title: fc.oneof(fc.string(), fc.integer()),
            price: fc.oneof(fc.double(), fc.string()),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      )
      .map((v) => JSON.stringify(v, null, 1)),
    fc
      .array(
        fc.constantFrom(
          '{"id":"1","title":"包邮"}',
          "[",
          "]",
          "{",
          "}",
          ",",
          '"',
          ":",
          "\n",
          "listings",
          "- id: 2",
          "  title: x",
          "null",
          "\\",
          "\u0000",
          "\ud800",
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join("")),
    fc.string({ unit: codeUnit, maxLength: 200 }),
  );

  it.each<[string, SourceReader, string]>([
    ["json", jsonReader, "l.json"],
    ["jsonl", jsonlReader, "l.jsonl"],
    ["yaml", yamlReader, "l.yaml"],
    ["generic csv", genericCsvReader, "l.csv"],
  ])(
    "the %s reader yields listings and located problems, or says it is not a listing source",
    async (_, reader, name) => {
      const text = name.endsWith(".csv")
        ? fc
            .array(fc.constantFrom("a", "包邮", ",", '"', "\n", "\r\n", "\r", "\t", " ", "\u0000", "\ud800", "99"), {
              maxLength: 60,
            })
            .map((p) => `id,title,price\n${p.join("")}`)
        : listingText;
      await fc.assert(
        fc.asyncProperty(text, async (content) => {
          const items = await readAllItems(reader, inputOf(name, Buffer.from(content, "utf8"), 7));
          if (items === "not-a-listing-source") return;
          for (const item of items) {
            if (item.kind === "listing") expect(item.record.source.file).toBe(name);
            else expect(item.problem.source.file).toBe(name);
          }
        }),
        runs(250),
      );
    },
  );
});

async function readAllItems(
  reader: SourceReader,
  input: ReturnType<typeof inputOf>,
): Promise<SourceItem[] | "not-a-listing-source"> {
  const items: SourceItem[] = [];
  try {
    for await (const item of reader.read(input, {})) items.push(item);
  } catch (error) {
    if (error instanceof NotAListingSourceError) return "not-a-listing-source";
    throw error;
  }
  return items;
}
