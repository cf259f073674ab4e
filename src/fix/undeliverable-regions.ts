import type { ListingRecord, RegionCatalogue, RegionCode, ShippingTemplate } from "../model.js";
import { evaluateRegionFee } from "../templates/evaluate-fee.js";
import { resolveShippingTerms } from "../templates/shipping-terms.js";

/** For one listing: whether its shipping template does not deliver to a region. */
export type UndeliverableCheck = (record: ListingRecord) => (region: RegionCode) => boolean;

/**
 * Resolves a listing's terms as the audit does and asks its template whether a region is served. Only a
 * real template (named by id or from the page) answers: the terms built for seller-pays or flat fees serve
 * the mainland by construction and say nothing about 港澳台 or overseas, so every region counts as delivered.
 */
export function createUndeliverableCheck(
  templates: ReadonlyMap<string, ShippingTemplate>,
  regions: RegionCatalogue,
): UndeliverableCheck {
  return (record) => {
    // Shop promotions only make served regions free; whether a region is served does not depend on them.
    const { terms } = resolveShippingTerms(record, templates, [], regions);
    if (terms.kind !== "template" || (terms.origin !== "template" && terms.origin !== "page")) return () => false;
    const { template } = terms;
    return (region) => evaluateRegionFee(template, region, { quantity: 1 }).status === "undeliverable";
  };
}
