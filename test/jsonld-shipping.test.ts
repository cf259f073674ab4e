import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { ListingRecord, SourceItem } from "../src/model.js";
import { extractPage, loadPageContext, type PageContext } from "../src/sources/page/extract-page.js";

let context: PageContext;
beforeAll(async () => {
  const loaded = await loadPageContext();
  if (!loaded.ok) throw new Error("region data did not load");
  context = loaded.value;
});

async function extractFixture(
  name: string,
  url = `https://shop.example/${name}`,
  ctx = () => context,
): Promise<SourceItem[]> {
  const html = await readFile(new URL(`fixtures/pages/${name}`, import.meta.url), "utf8");
  return extractPage({ html, url }, ctx());
}

function recordOf(items: SourceItem[]): ListingRecord {
  const item = items.find((i) => i.kind === "listing");
  if (item?.kind !== "listing") throw new Error(`no listing in ${JSON.stringify(items)}`);
  return item.record;
}

const problemCodes = (items: SourceItem[]) => items.flatMap((i) => (i.kind === "problem" ? [i.problem.code] : []));

describe("JSON-LD OfferShippingDetails → template (English, US)", () => {
  it("turns a country row, a region override and doesNotShip into a json-ld template", async () => {
    const record = recordOf(await extractFixture("en-free-shipping.html"));
    expect(record.country).toBe("US");
    expect(record.structuredDataIssues).toBeUndefined();
    const template = record.template;
    expect(template).toMatchObject({
      id: "json-ld:https://shop.example/en-free-shipping.html",
      format: "json-ld",
      payer: "buyer",
      valuation: "piece",
      conditionsExpressible: false,
      freeWhen: [],
    });
    expect(template?.services).toHaveLength(1);
    const rows = template?.services[0]?.rows ?? [];
    expect(rows.map((r) => [r.firstFee, r.nextFee, r.first, r.next])).toEqual([
      [0, 0, 1, 1],
      [12.95, 0, 1, 1],
    ]);
    expect(rows[0]?.areas).toHaveLength(49); // 48 contiguous states + DC
    expect(rows[0]?.areas).not.toContain("US-AK");
    expect(rows[1]?.areas).toEqual(["US-AK", "US-HI"]);
    expect(template?.services[0]?.default).toBeUndefined();
    expect(template?.noDelivery).toEqual(["US-GU", "US-PR"]);
  });

  it("reads the listing fields: JSON-LD name, lowest price, canonical URL, body HTML without header/scripts", async () => {
    const record = recordOf(await extractFixture("en-free-shipping.html"));
    expect(record.listing).toMatchObject({
      id: "https://shop.example/en-free-shipping.html",
      title: "Trail Mug 12oz - Free Shipping*",
      price: 24,
      url: "https://shop.example/en-free-shipping.html",
    });
    expect(record.source).toEqual({ url: "https://shop.example/en-free-shipping.html" });
    expect(record.listing.description).toContain("Alaska and Hawaii ship for $12.95");
    expect(record.listing.description).not.toContain("Cart");
    expect(record.listing.description).not.toContain("ld+json");
  });

  it("reports a destination both free and charged, a foreign-currency rate, an unknown region and broken JSON-LD", async () => {
    const items = await extractFixture("contradictions.html");
    const record = recordOf(items);
    expect(record.structuredDataIssues?.map((i) => [i.kind, i.regions])).toEqual([
      ["currency-mismatch", ["US-AK"]],
      ["free-and-charged", ["US-CA"]],
    ]);
    expect(record.template?.services[0]?.rows.find((r) => r.areas.includes("US-CA"))?.firstFee).toBe(7.5);
    expect(problemCodes(items)).toEqual(["page/invalid-json-ld", "page/unknown-region"]);
    const invalid = items.find((i) => i.kind === "problem" && i.problem.code === "page/invalid-json-ld");
    expect(invalid?.kind === "problem" && invalid.skipped).toBe(false);
  });
});

describe("schema.org ShippingService (hasShippingService, referenced by @id)", () => {
  it("reads shippingConditions: the base tier as a rate, a free orderValue tier as a threshold, doesNotShip", () => {
    const graph = {
      "@context": "https://schema.org",
      "@graph": [
        {
          "@type": "Organization",
          name: "Example Outfitters",
          hasShippingService: {
            "@type": "ShippingService",
            "@id": "#standard",
            name: "Standard",
            shippingConditions: [
              {
                "@type": "ShippingConditions",
                shippingDestination: { addressCountry: "US" },
                orderValue: { minValue: 0, maxValue: 49.99, currency: "USD" },
                shippingRate: { value: 5.99, currency: "USD" },
              },
              {
                "@type": "ShippingConditions",
                shippingDestination: { addressCountry: "US" },
                orderValue: { minValue: 50, currency: "USD" },
                shippingRate: { value: 0, currency: "USD" },
              },
              {
                "@type": "ShippingConditions",
                shippingDestination: { addressCountry: "US", addressRegion: ["AK", "HI"] },
                doesNotShip: true,
              },
            ],
          },
        },
        {
          "@type": "Product",
          name: "Camp Stool",
          offers: { "@type": "Offer", price: 30, priceCurrency: "USD", shippingDetails: { "@id": "#standard" } },
        },
      ],
    };
    const html = `<html><head><script type="application/ld+json">${JSON.stringify(graph)}</script></head><body><main><h1>Camp Stool</h1></main></body></html>`;
    const record = recordOf(extractPage({ html, url: "https://shop.example/stool" }, context));
    const template = record.template;
    expect(template?.services.map((t) => [t.service, t.rows.map((r) => [r.firstFee, r.areas.length])])).toEqual([
      ["Standard", [[5.99, 49]]],
    ]);
    expect(template?.freeWhen).toEqual([
      { areas: expect.arrayContaining(["US-AL", "US-DC"]), minAmount: 50, origin: "template" },
    ]);
    expect(template?.freeWhen[0]?.areas).toHaveLength(51);
    expect(template?.noDelivery).toEqual(["US-AK", "US-HI"]);
    expect(template?.conditionsExpressible).toBe(true);
    expect(record.structuredDataIssues).toBeUndefined();
  });
});

describe("JSON-LD shipping in Chinese", () => {
  it("maps 全国 (addressCountry CN) to the 31 provinces and addressRegion names / CN-63 through the catalogue", async () => {
    const record = recordOf(await extractFixture("zh-baoyou.html"));
    expect(record.country).toBe("CN");
    expect(record.listing.title).toBe("云南小粒咖啡豆 500g 全国包邮");
    expect(record.listing.price).toBe(68);
    const rows = record.template?.services[0]?.rows ?? [];
    expect(rows.map((r) => [r.label.includes("…") ? "many" : r.label, r.firstFee])).toEqual([
      ["many", 0],
      ["青海", 12],
      ["西藏、新疆", 20],
    ]);
    expect(rows.flatMap((r) => r.areas)).toHaveLength(31);
    expect(record.template?.freeWhen).toEqual([{ areas: ["630000"], minAmount: 199, origin: "template" }]);
    expect(record.template?.conditionsExpressible).toBe(true);
    expect(record.listing.description).toContain("偏远地区不包邮");
    expect(record.listing.description).not.toContain("var promo");
  });

  it("reads microdata Product/Offer/OfferShippingDetails like JSON-LD", async () => {
    const record = recordOf(await extractFixture("microdata.html"));
    expect(record.listing).toMatchObject({ title: "保温杯 全国包邮", price: 59 });
    expect(record.country).toBe("CN");
    expect(record.template?.services[0]?.rows).toMatchObject([{ firstFee: 0 }]);
    expect(record.template?.services[0]?.rows[0]?.areas).toHaveLength(31);
  });
});

describe("pages without shipping data", () => {
  it("falls back to Open Graph / product meta; the offer country comes from the config", async () => {
    const withCountry = { ...context, country: "US" };
    const record = recordOf(
      await extractFixture("og-only.html", "https://socks.example/p/wool-3?ref=x", () => withCountry),
    );
    expect(record.listing).toMatchObject({
      title: "Wool Socks (3 pack) — free shipping on orders over $50",
      price: 18,
    });
    expect(record.template).toBeUndefined();
    expect(record.country).toBe("US");
  });

  it("decodes HTML entities that a CMS left in the JSON-LD name", () => {
    const html = `<script type="application/ld+json">{"@type":"Product","name":"Salt &amp; Pepper &#x5305;&#x90AE;"}</script>`;
    expect(recordOf(extractPage({ html, file: "p.html" }, context)).listing.title).toBe("Salt & Pepper 包邮");
  });

  it("leaves the country unknown without structured data or config", async () => {
    const record = recordOf(await extractFixture("og-only.html"));
    expect(record.country).toBeUndefined();
  });

  it("skips a page that is not a product page, counted as skipped", async () => {
    const items = await extractFixture("not-a-product.html");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: "problem",
      skipped: true,
      problem: { code: "page/not-a-product", source: { url: "https://shop.example/not-a-product.html" } },
    });
  });
});
