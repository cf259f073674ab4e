import type {
  FlatFees,
  FreeWhenRow,
  Listing,
  ListingRecord,
  OrderSize,
  Problem,
  RegionCatalogue,
  ServiceTable,
  ShippingTemplate,
  ShippingTerms,
} from "../model.js";
import { FEE_RANGE } from "../util/number-limits.js";
import { nameRegion } from "./area-terms.js";
import { createDefaultRow, createFreeDefault } from "./fee-rows.js";
import { findPaidQuantity, listTemplateRegions, sharePaidQuantities } from "./paid-quantity.js";

/** Template ids that mean "no template" (see docs/listing-format.md#fields). */
const NO_TEMPLATE_IDS = new Set(["", "0"]);
/** Flat fees below half a fen are export noise (1.2e-14), not money. */
const FEE_NOISE = 0.005;
const FEE_KINDS = ["express", "ems", "post"] as const satisfies ReadonlyArray<keyof FlatFees>;
/** How many charged regions a payer-disagreement problem names before "…". */
const NAMED_REGIONS = 3;

/** The template id a listing names, or undefined when it names none (absent, `""` or `"0"`). */
export function namedTemplateId(listing: Pick<ListingRecord["listing"], "templateId">): string | undefined {
  const templateId = listing.templateId?.trim() ?? "";
  return NO_TEMPLATE_IDS.has(templateId) ? undefined : templateId;
}

/**
 * Decides what a listing's shipping costs (see docs/semantics.md#shipping-terms): a template from its page, else a
 * `templateId` that resolves, else seller-pays, else flat fees. Shop promotions join every template's `freeWhen`.
 * `regions` supplies the mainland that seller-pays and flat-fee terms serve.
 */
export function resolveShippingTerms(
  record: ListingRecord,
  templates: ReadonlyMap<string, ShippingTemplate>,
  promotions: readonly FreeWhenRow[],
  regions: RegionCatalogue,
): { terms: ShippingTerms; problems: Problem[] } {
  const { listing } = record;
  const problems: Problem[] = [];
  const decided = decideTerms(record, templates, regions, problems);
  if (decided.kind === "unknown") return { terms: decided, problems };
  const template =
    promotions.length > 0
      ? { ...decided.template, freeWhen: [...decided.template.freeWhen, ...promotions] }
      : decided.template;
  const terms: ShippingTerms = { kind: "template", template, origin: decided.origin };
  if (listing.freightPayer === "seller" && decided.origin !== "seller-pays") {
    const charged = describeChargedRegions(template, record, regions);
    if (charged) {
      problems.push({
        code: "listing/payer-disagrees-with-template",
        message: `listing ${listing.id} says the seller pays postage (freightPayer: seller), but shipping template ${template.id} charges ${charged}; the template decides`,
        source: record.source,
        listingId: listing.id,
      });
    }
  }
  return { terms, problems };
}

function decideTerms(
  record: ListingRecord,
  templates: ReadonlyMap<string, ShippingTemplate>,
  regions: RegionCatalogue,
  problems: Problem[],
): ShippingTerms {
  const { listing } = record;
  if (record.template) return { kind: "template", template: record.template, origin: "page" };
  const templateId = namedTemplateId(listing);
  if (templateId !== undefined) {
    const template = templates.get(templateId);
    return template
      ? { kind: "template", template, origin: "template" }
      : { kind: "unknown", reason: "unresolved-template", templateId };
  }
  if (listing.freightPayer === "seller") {
    const services = () => [{ service: "default", default: createFreeDefault(regions), rows: [] }];
    return {
      kind: "template",
      template: createListingTemplate(record, "seller", "seller", services, regions),
      origin: "seller-pays",
    };
  }
  const fees = listing.fees ? readFlatFees(record, listing.fees, problems) : [];
  if (fees.length === 0) return { kind: "unknown", reason: "no-terms" };
  const key = `buyer|${fees.map(({ kind, firstFee }) => `${kind}:${firstFee}`).join("|")}`;
  const services = () =>
    fees.map(({ kind, firstFee }) => ({
      service: kind,
      default: createDefaultRow({ first: 1, firstFee, next: 1, nextFee: 0 }, regions),
      rows: [],
    }));
  return {
    kind: "template",
    template: createListingTemplate(record, "buyer", key, services, regions),
    origin: "flat-fees",
  };
}

/** The valid flat fees, each charged once per order everywhere on the mainland. */
function readFlatFees(
  record: ListingRecord,
  fees: FlatFees,
  problems: Problem[],
): Array<{ kind: (typeof FEE_KINDS)[number]; firstFee: number }> {
  const out: Array<{ kind: (typeof FEE_KINDS)[number]; firstFee: number }> = [];
  for (const kind of FEE_KINDS) {
    const fee = fees[kind];
    if (fee === undefined) continue;
    if (!Number.isFinite(fee) || fee <= -FEE_NOISE || fee > FEE_RANGE.max) {
      problems.push({
        code: "listing/invalid-fee",
        message: `listing ${record.listing.id}: fees.${kind} is ${fee}, not a fee in yuan; it is ignored`,
        source: { ...record.source, field: `fees.${kind}` },
        listingId: record.listing.id,
      });
      continue;
    }
    out.push({ kind, firstFee: Math.abs(fee) < FEE_NOISE ? 0 : fee });
  }
  return out;
}

/**
 * Listing templates by catalogue and structure (payer and fees): listings with the same terms share the
 * first one's services and its memoised paid quantities instead of rebuilding and re-evaluating them.
 */
const listingTemplates = new WeakMap<RegionCatalogue, Map<string, ShippingTemplate>>();

function createListingTemplate(
  record: ListingRecord,
  payer: "seller" | "buyer",
  key: string,
  createServices: () => ServiceTable[],
  regions: RegionCatalogue,
): ShippingTemplate {
  let byKey = listingTemplates.get(regions);
  if (!byKey) {
    byKey = new Map();
    listingTemplates.set(regions, byKey);
  }
  const like = byKey.get(key);
  if (like) {
    const template = { ...like, id: `listing:${record.listing.id}`, source: record.source };
    sharePaidQuantities(template, like);
    return template;
  }
  const template = buildListingTemplate(record, payer, createServices());
  byKey.set(key, template);
  return template;
}

function buildListingTemplate(
  record: ListingRecord,
  payer: "seller" | "buyer",
  services: ServiceTable[],
): ShippingTemplate {
  return {
    id: `listing:${record.listing.id}`,
    payer,
    valuation: "piece",
    services,
    freeWhen: [],
    noDelivery: [],
    conditionsExpressible: true,
    format: "listing",
    source: record.source,
  };
}

/**
 * The order facts a listing gives for fee evaluation. The price for amount conditions is the lowest SKU
 * price when SKUs carry prices (see docs/listing-format.md#the-price), else the listing price.
 */
export function describeOrder(listing: Listing): Omit<OrderSize, "quantity"> {
  // Zero or negative placeholders are no price (as in the text analysis, src/text/analyse.ts).
  const skuPrices = (listing.skus ?? []).flatMap((sku) =>
    sku.price !== undefined && Number.isFinite(sku.price) && sku.price > 0 ? [sku.price] : [],
  );
  // Not Math.min(...skuPrices): spreading some 125,000 SKU prices overflows the stack.
  const price = skuPrices.length > 0 ? skuPrices.reduce((low, p) => Math.min(low, p)) : listing.price;
  return { price, weight: listing.weight, volume: listing.volume };
}

/** "新疆(¥20)、西藏(¥20)" for the regions the template charges at some quantity, or undefined if none. */
function describeChargedRegions(
  template: ShippingTemplate,
  record: ListingRecord,
  regions: RegionCatalogue,
): string | undefined {
  const order = describeOrder(record.listing);
  const charged: string[] = [];
  for (const region of listTemplateRegions(template)) {
    const paid = findPaidQuantity(template, region, order);
    if (paid.kind === "charged") charged.push(`${nameRegion(region, regions)}(¥${paid.fee})`);
  }
  if (charged.length === 0) return undefined;
  const shown = charged.slice(0, NAMED_REGIONS).join("、");
  return charged.length > NAMED_REGIONS ? `${shown}… (${charged.length} regions)` : shown;
}
