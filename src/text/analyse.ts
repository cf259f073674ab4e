import type { AnalysedField, Listing, ParsedText, TextField } from "../model.js";
import { parseText, type ParseContext } from "./parser.js";
import { readVisibleText } from "./visible-text.js";

/** What analyseListing needs: the lexicon and regions (the prices come from the listing). */
export type AnalyseContext = Omit<ParseContext, "price" | "prices">;

/**
 * Reads every buyer-visible field of a listing in order of prominence — title, subtitle, each SKU name,
 * description, mobile description — as visible text and parses it. Empty fields are skipped. Amount
 * conditions are judged against the lowest SKU price, else the listing price; a number equal to any
 * price the listing shows is that price.
 */
export function analyseListing(listing: Listing, context: AnalyseContext): AnalysedField[] {
  const price = listingPrice(listing);
  const prices = shownPrices(listing);
  const parseContext: ParseContext = { ...context, ...(price === undefined ? {} : { price }), prices };
  const parse = (text: string): ParsedText => parseText(text, parseContext);
  const out: AnalysedField[] = [];
  const add = (field: TextField, input: string | undefined, index?: number) => {
    if (typeof input !== "string" || input.trim() === "") return;
    const visible = readVisibleText(input);
    if (visible === "") return;
    out.push({ field, ...(index === undefined ? {} : { index }), text: visible, parsed: parse(visible) });
  };
  add("title", listing.title);
  add("subtitle", listing.subtitle);
  for (const [i, sku] of (listing.skus ?? []).entries()) add("sku", sku.name, i);
  add("description", listing.description);
  add("mobileDescription", listing.mobileDescription);
  return out;
}

/**
 * The price amount conditions are judged against (docs/listing-format.md#the-price): the lowest SKU price, else
 * the listing price.
 */
export function listingPrice(listing: Listing): number | undefined {
  const skuPrices = (listing.skus ?? []).map((s) => s.price).filter(isPrice);
  // A loop, not Math.min(...skuPrices): spreading some 125,000 SKU prices overflows the stack.
  if (skuPrices.length > 0) return skuPrices.reduce((low, price) => Math.min(low, price));
  return isPrice(listing.price) ? listing.price : undefined;
}

/** Every price the listing shows: its own and its SKUs'. */
function shownPrices(listing: Listing): number[] {
  return [listing.price, ...(listing.skus ?? []).map((s) => s.price)].filter(isPrice);
}

/** A usable price: zero or negative placeholders say nothing about the order amount. */
function isPrice(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
