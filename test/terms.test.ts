import { describe, expect, it } from "vitest";
import type { FreeWhenRow, Listing, ListingRecord, RegionCatalogue, ShippingTemplate } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import {
  describeOrder,
  evaluateRegionFee,
  findAmountRow,
  parseTemplates,
  resolveShippingTerms,
} from "../src/templates/index.js";

const regions: RegionCatalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

const parsed = parseTemplates(
  [
    "templates:",
    "  - id: T1",
    "    default: { firstFee: 0 }",
    "    regions:",
    "      - { areas: [新疆, 西藏], firstFee: 20, nextFee: 10 }",
    "  - id: FREE",
    "    payer: seller",
  ].join("\n"),
  "templates.yaml",
  regions,
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const templates = new Map(parsed.value.templates.map((t) => [t.id, t]));
const T1 = templates.get("T1") as ShippingTemplate;

const source = { file: "listings.json", row: 3, line: 12 };
function record(fields: Partial<Listing>, template?: ShippingTemplate): ListingRecord {
  return { listing: { id: "1001", title: "包邮", ...fields }, source, ...(template ? { template } : {}) };
}
function resolve(r: ListingRecord, promotions: FreeWhenRow[] = []) {
  return resolveShippingTerms(r, templates, promotions, regions);
}
function templateOf(r: ListingRecord, promotions: FreeWhenRow[] = []): ShippingTemplate {
  const { terms } = resolve(r, promotions);
  if (terms.kind !== "template") throw new Error(`no template: ${JSON.stringify(terms)}`);
  return terms.template;
}
const fee = (t: ShippingTemplate, region: string, quantity = 1, price?: number) =>
  evaluateRegionFee(t, region, { quantity, price });

describe("resolveShippingTerms", () => {
  it("lets a template from the page win", () => {
    const page: ShippingTemplate = { ...T1, id: "page", format: "json-ld" };
    const { terms } = resolve(record({ templateId: "FREE", freightPayer: "seller" }, page));
    expect(terms).toMatchObject({ kind: "template", origin: "page", template: { id: "page" } });
  });

  it("lets a resolving templateId decide alone", () => {
    const { terms, problems } = resolve(record({ templateId: " T1 ", fees: { express: 0 } }));
    expect(terms).toEqual({ kind: "template", template: T1, origin: "template" });
    expect(problems).toEqual([]);
  });

  it("reports an unresolved templateId as unknown", () => {
    expect(resolve(record({ templateId: "T9", freightPayer: "seller" })).terms).toEqual({
      kind: "unknown",
      reason: "unresolved-template",
      templateId: "T9",
    });
  });

  it.each(["", "0"])("reads templateId %j as none", (templateId) => {
    expect(resolve(record({ templateId, freightPayer: "seller" })).terms).toMatchObject({
      kind: "template",
      origin: "seller-pays",
    });
  });

  it("makes freightPayer seller a seller-pays template over the mainland", () => {
    const r = record({ freightPayer: "seller", fees: { express: 10 } });
    const { terms } = resolve(r);
    expect(terms).toMatchObject({
      kind: "template",
      origin: "seller-pays",
      template: { id: "listing:1001", payer: "seller", format: "listing", conditionsExpressible: true, source },
    });
    const t = templateOf(r);
    expect(regions.mainland.map((code) => fee(t, code, 5).status)).toEqual(regions.mainland.map(() => "free"));
    expect(fee(t, "810000").status).toBe("undeliverable");
  });

  it("charges flat fees once per order, cheapest service first", () => {
    const t = templateOf(record({ freightPayer: "buyer", fees: { express: 10, ems: 20, post: 8 } }));
    expect(t).toMatchObject({ id: "listing:1001", payer: "buyer", format: "listing" });
    expect(t.services.map((s) => [s.service, s.default?.firstFee])).toEqual([
      ["express", 10],
      ["ems", 20],
      ["post", 8],
    ]);
    expect(fee(t, "650000", 7)).toMatchObject({ status: "charged", fee: 8, service: "post" });
    expect(fee(t, "710000").status).toBe("undeliverable");
    expect(resolve(record({ fees: { express: 10 } })).terms).toMatchObject({ origin: "flat-fees" });
  });

  it("reads export noise below half a fen as a zero fee", () => {
    const t = templateOf(record({ fees: { express: 1.2e-14, post: 6 } }));
    expect(t.services[0]?.default?.firstFee).toBe(0);
    expect(fee(t, "110000").status).toBe("free");
  });

  it("ignores a negative flat fee with a problem", () => {
    const { terms, problems } = resolve(record({ fees: { express: -3, post: 6 } }));
    expect(terms.kind === "template" && terms.template.services.map((s) => s.service)).toEqual(["post"]);
    expect(problems).toEqual([
      {
        code: "listing/invalid-fee",
        message: expect.stringContaining("fees.express"),
        source: { ...source, field: "fees.express" },
        listingId: "1001",
      },
    ]);
  });

  it.each([
    ["no fields", {}],
    ["empty fees", { fees: {} }],
    ["buyer pays without fees", { freightPayer: "buyer" as const }],
  ])("knows nothing with %s", (_, fields) => {
    expect(resolve(record(fields)).terms).toEqual({ kind: "unknown", reason: "no-terms" });
  });

  it("reports freightPayer seller against a charging template, and the template decides", () => {
    const { terms, problems } = resolve(record({ templateId: "T1", freightPayer: "seller" }));
    expect(terms).toMatchObject({ kind: "template", origin: "template", template: { id: "T1" } });
    expect(problems).toEqual([
      {
        code: "listing/payer-disagrees-with-template",
        message: expect.stringContaining("西藏(¥20)、新疆(¥20)"),
        source,
        listingId: "1001",
      },
    ]);
    expect(resolve(record({ templateId: "FREE", freightPayer: "seller" })).problems).toEqual([]);
  });

  it("adds promotions to every template as freeWhen rows", () => {
    const promotion: FreeWhenRow = { areas: [...regions.mainland], minAmount: 99, origin: "promotion" };
    const t = templateOf(record({ templateId: "T1" }), [promotion]);
    expect(t.freeWhen).toEqual([promotion]);
    expect(T1.freeWhen).toEqual([]);
    expect(fee(t, "650000", 1, 50)).toMatchObject({ status: "charged", fee: 20 });
    expect(fee(t, "650000", 2, 50).status).toBe("free");
    const flat = templateOf(record({ fees: { express: 6 } }), [promotion]);
    expect(fee(flat, "110000", 1, 100).status).toBe("free");
  });

  it("does not count a charge that a promotion removes at every quantity", () => {
    const promotion: FreeWhenRow = { areas: [...regions.mainland], minQuantity: 1, origin: "promotion" };
    expect(resolve(record({ templateId: "T1", freightPayer: "seller" }), [promotion]).problems).toEqual([]);
  });
});

describe("describeOrder", () => {
  it("takes the lowest SKU price for amount conditions", () => {
    expect(
      describeOrder({
        id: "1",
        title: "t",
        price: 30,
        weight: 0.5,
        skus: [{ name: "a", price: 25 }, { name: "b", price: 19.9 }, { name: "c" }],
      }),
    ).toEqual({
      price: 19.9,
      weight: 0.5,
      volume: undefined,
    });
    expect(describeOrder({ id: "1", title: "t", price: 30, skus: [{ name: "a" }] }).price).toBe(30);
  });
});

describe("findAmountRow", () => {
  const t = only(
    "templates:\n  - id: A\n    default: { firstFee: 8 }\n    freeWhen:\n      - { areas: [江浙沪], minAmount: 59 }\n      - { areas: [广东], minAmount: 49, minQuantity: 2 }\n",
  );
  it.each([
    ["上海", 99, 5],
    ["上海", 59, 5],
    ["上海", 58, undefined],
    ["广东", 99, undefined],
    ["北京", 99, undefined],
  ])("%s at ¥%s → row on line %s", (region, amount, line) => {
    expect(findAmountRow(t, regions.resolve(region)?.[0] ?? "", amount)?.line).toBe(line);
  });
});

function only(text: string): ShippingTemplate {
  const result = parseTemplates(text, "a.yaml", regions);
  if (!result.ok || !result.value.templates[0]) throw new Error(JSON.stringify(result));
  return result.value.templates[0];
}
