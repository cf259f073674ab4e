import type { AnalysedField, Listing, ParsedText, TextField } from "../model.js";
import { parseText, type ParseContext } from "./parser.js";
import { toVisibleText } from "./visible-text.js";

/** What analyseListing needs: the lexicon and regions (the price comes from the listing). */
export type AnalyseContext = Omit<ParseContext, "price">;

/**
 * Reads every buyer-visible field of a listing in order of prominence — title, subtitle, each SKU name,
 * description, mobile description — as visible text and parses it. Empty fields are skipped. Amount
 * conditions are judged against the listing price, else the lowest SKU price.
 */
export function analyseListing(listing: Listing, context: AnalyseContext): AnalysedField[] {
  const price = listingPrice(listing);
  const parse = (text: string): ParsedText => parseText(text, price === undefined ? context : { ...context, price });
  const out: AnalysedField[] = [];
  const add = (field: TextField, input: string | undefined, index?: number) => {
    if (typeof input !== "string" || input.trim() === "") return;
    const visible = toVisibleText(input).text;
    if (visible === "") return;
    out.push({ field, ...(index === undefined ? {} : { index }), text: visible, parsed: parse(visible) });
  };
  add("title", listing.title);
  add("subtitle", listing.subtitle);
  listing.skus?.forEach((sku, i) => add("sku", sku.name, i));
  add("description", listing.description);
  add("mobileDescription", listing.mobileDescription);
  return out;
}

/** The price amount conditions are judged against (contract §2: else the lowest SKU price). */
export function listingPrice(listing: Listing): number | undefined {
  if (typeof listing.price === "number" && Number.isFinite(listing.price)) return listing.price;
  const prices = (listing.skus ?? []).map((s) => s.price).filter((p): p is number => typeof p === "number" && Number.isFinite(p));
  return prices.length ? Math.min(...prices) : undefined;
}
