import { decodeHTML } from "entities";
import type { CheerioAPI } from "cheerio";
import type {
  Listing,
  ListingRecord,
  Problem,
  ProblemCode,
  RegionCatalogue,
  SourceItem,
  SourceLocation,
} from "../../model.js";
import { loadCountryCatalogues, loadRegionCatalogue } from "../../regions/load-regions.js";
import type { Result } from "../../util/result.js";
import { applyRule, findRule, type ExtractorRule, type SelectedFields } from "./extractor-rules.js";
import { describeTooDeep } from "./nesting-depth.js";
import { mainContentHtml, readMeta } from "./page-content.js";
import type { CountryCatalogues } from "./region-lookup.js";
import { asArray, numberOf, prop, textOf, typesOf, type SchemaNode } from "./schema-values.js";
import { isRecord } from "../../util/is-record.js";
import { readShippingDetails } from "./shipping-details.js";
import { findProduct, readJsonLd, readMicrodata } from "./structured-data.js";

/** Page-extraction settings that come from the config file. */
export interface PageOptions {
  /** Per-site CSS selector rules (config `extractors`). */
  extractors?: ExtractorRule[];
  /** ISO 3166-1 country of offers whose structured data names none (config `country`). */
  country?: string;
  /** The Chinese region catalogue as configured (remote set); the bundled one when absent. */
  regions?: RegionCatalogue;
}

/** Everything extraction needs, loaded once per run. */
export interface PageContext {
  extractors: readonly ExtractorRule[];
  country?: string;
  catalogues: CountryCatalogues;
  /** cheerio's `load`: imported with the context, so runs that read no page never load cheerio (and undici). */
  loadHtml: (html: string) => CheerioAPI;
}

export async function loadPageContext(options: PageOptions = {}): Promise<Result<PageContext>> {
  const cn = options.regions ? { ok: true as const, value: options.regions } : await loadRegionCatalogue();
  if (!cn.ok) return cn;
  const others = await loadCountryCatalogues();
  if (!others.ok) return others;
  const { load } = await import("cheerio");
  return {
    ok: true,
    value: {
      extractors: options.extractors ?? [],
      ...(options.country ? { country: options.country.toUpperCase() } : {}),
      catalogues: new Map([["CN", cn.value], ...others.value]),
      loadHtml: (html) => load(html),
    },
  };
}

/** A page to extract: its HTML and where it came from (a URL when fetched or saved, a file otherwise). */
export interface PageInput {
  html: string;
  url?: string;
  file?: string;
}

/**
 * One page → a listing (with the template its JSON-LD shipping details describe) plus problems, or a
 * `page/not-a-product` problem (skipped). Order of sources: config selectors, JSON-LD / microdata, meta.
 */
export function extractPage(input: PageInput, context: PageContext, loaded?: CheerioAPI): SourceItem[] {
  const source: SourceLocation = input.url ? { url: input.url } : { file: input.file ?? "-" };
  const tooDeep = loaded ? undefined : describeTooDeep(input.html, input.url ?? input.file ?? "page");
  if (tooDeep)
    return [{ kind: "problem", problem: { code: "page/too-deep", message: tooDeep, source }, skipped: true }];
  const $ = loaded ?? context.loadHtml(input.html);
  const items: SourceItem[] = [];
  const problem = (code: ProblemCode, message: string, skipped = false, listingId?: string): void => {
    const p: Problem = { code, message, source, ...(listingId ? { listingId } : {}) };
    items.push({ kind: "problem", problem: p, skipped });
  };

  const jsonLd = readJsonLd($);
  const found = findProduct([...jsonLd.nodes, ...readMicrodata($)]);
  const meta = readMeta($);
  const rule = findRule(context.extractors, input.url ?? input.file ?? "");
  const selected: SelectedFields = rule ? applyRule($, rule) : {};
  const where = input.url ?? input.file ?? "page";
  const isProduct = selected.title !== undefined || found !== undefined || meta.isProduct;
  if (!isProduct) {
    for (const e of jsonLd.errors) problem(e.code, e.message);
    problem(
      "page/not-a-product",
      `${where}: no product found (no extractor rule matched, no schema.org Product, no og:type product)`,
      true,
    );
    return items;
  }

  const product = found?.product;
  const resolve = found?.resolve ?? ((v: unknown) => v);
  const offers = product ? offersOf(product, resolve) : [];
  const pageUrl = input.url ?? absoluteUrl(meta.url) ?? absoluteUrl(product ? textOf(prop(product, "url")) : undefined);
  const id = selected.id ?? pageUrl ?? input.file ?? "-";
  for (const e of jsonLd.errors) problem(e.code, e.message, false, id);
  // Some CMSs HTML-escape JSON-LD strings; the buyer sees the decoded text.
  const structuredName = product ? textOf(prop(product, "name")) : undefined;
  const title = selected.title ?? (structuredName === undefined ? undefined : decodeHTML(structuredName)) ?? meta.title;
  if (!title) {
    problem("listing/missing-title", `${where}: the product page has no title`, true, id);
    return items;
  }

  const listing: Listing = { id, title };
  if (selected.subtitle) listing.subtitle = selected.subtitle;
  const description = selected.description ?? mainContentHtml($);
  if (description) listing.description = description;
  const price = selected.price ?? lowestPrice(offers) ?? meta.price;
  if (price !== undefined) listing.price = price;
  if (selected.templateId) listing.templateId = selected.templateId;
  const skus = skusOf(offers, title);
  if (skus.length > 1) listing.skus = skus;
  if (pageUrl) listing.url = pageUrl;

  const record: ListingRecord = { listing, source };
  const currency = offers.map((o) => textOf(prop(o, "priceCurrency"))).find(Boolean) ?? meta.currency;
  const shipping = readShippingDetails({
    offers,
    ...(currency ? { currency } : {}),
    ...(context.country ? { fallbackCountry: context.country } : {}),
    catalogues: context.catalogues,
    templateId: `json-ld:${id}`,
    source,
    resolve,
  });
  if (shipping.template) record.template = shipping.template;
  if (shipping.issues.length) record.structuredDataIssues = shipping.issues;
  const country = shipping.country ?? eligibleCountry(offers) ?? context.country;
  if (country) record.country = country;
  for (const p of shipping.problems) problem(p.code, `${where}: ${p.message}`, false, id);
  items.unshift({ kind: "listing", record });
  return items;
}

function offersOf(product: SchemaNode, resolve: (value: unknown) => unknown): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const raw of asArray(prop(product, "offers"))) {
    const offer = resolve(raw);
    if (!isRecord(offer)) continue;
    if (typesOf(offer).includes("aggregateoffer") && prop(offer, "offers") !== undefined) {
      for (const inner of asArray(prop(offer, "offers"))) {
        const node = resolve(inner);
        if (isRecord(node)) out.push({ priceCurrency: prop(offer, "priceCurrency"), ...node });
      }
      out.push(offer);
    } else out.push(offer);
  }
  return out;
}

/** A loop, not `Math.min(...prices)`: spreading a hundred thousand offers overflows the argument stack. */
function lowestPrice(offers: readonly SchemaNode[]): number | undefined {
  let lowest: number | undefined;
  for (const o of offers) {
    const spec = prop(o, "priceSpecification");
    const value = numberOf(
      prop(o, "price") ?? prop(o, "lowPrice") ?? (isRecord(spec) ? prop(spec, "price") : undefined),
    );
    if (value !== undefined && (lowest === undefined || value < lowest)) lowest = value;
  }
  return lowest;
}

function skusOf(offers: readonly SchemaNode[], title: string): Array<{ name: string; price?: number }> {
  return offers.flatMap((o) => {
    const name = textOf(prop(o, "name"));
    if (!name || name === title) return [];
    const price = numberOf(prop(o, "price"));
    return [{ name, ...(price === undefined ? {} : { price }) }];
  });
}

function eligibleCountry(offers: readonly SchemaNode[]): string | undefined {
  for (const offer of offers) {
    const region = asArray(prop(offer, "eligibleRegion"))[0];
    const code = (
      isRecord(region) ? textOf(prop(region, "addressCountry") ?? prop(region, "name")) : textOf(region)
    )?.toUpperCase();
    if (code && /^[A-Z]{2}$/.test(code)) return code;
  }
  return undefined;
}

function absoluteUrl(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
