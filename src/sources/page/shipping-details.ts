import type {
  FeeRow,
  FreeWhenRow,
  Problem,
  RegionCode,
  ServiceTable,
  ShippingTemplate,
  SourceLocation,
  StructuredDataIssue,
} from "../../model.js";
import { countryRegions, resolveRegion, type CountryCatalogues } from "./region-lookup.js";
import { asArray, booleanOf, numberOf, prop, textOf, type SchemaNode } from "./schema-values.js";
import { isRecord } from "../../util/is-record.js";

/** What the page's `OfferShippingDetails` say, turned into our template model. */
export interface ShippingDetailsResult {
  template?: ShippingTemplate;
  issues: StructuredDataIssue[];
  /** Data we could not read (unknown regions or countries): problems on the listing, not findings. */
  problems: Array<Pick<Problem, "code" | "message">>;
  /** The first destination's `addressCountry`. */
  country?: string;
}

export interface ShippingDetailsInput {
  offers: readonly SchemaNode[];
  /** The offer's `priceCurrency`, to check rates against. */
  currency?: string;
  /** Country to assume for destinations that name none (config `country`). */
  fallbackCountry?: string;
  catalogues: CountryCatalogues;
  templateId: string;
  source: SourceLocation;
  resolve: (value: unknown) => unknown;
}

/** How specific a destination is: explicit regions override a whole country; postal codes only add charges. */
type Level = "country" | "region" | "postal";

interface Destination {
  areas: RegionCode[];
  level: Level;
  country: string;
}

interface Rate {
  fee: number;
  level: Level;
}

/**
 * OfferShippingDetails → a buyer-pays, per-piece template: one service per `shippingLabel` (one when
 * unlabelled), rows per destination fee ({first 1, firstFee rate, next 1, nextFee 0}), `doesNotShip` →
 * noDelivery, `freeShippingThreshold` → freeWhen minAmount. No default row: regions the data does not
 * name stay unknown.
 */
export function readShippingDetails(input: ShippingDetailsInput): ShippingDetailsResult {
  const issues: StructuredDataIssue[] = [];
  const problems: ShippingDetailsResult["problems"] = [];
  const services = new Map<string, Map<RegionCode, Rate[]>>();
  const noDelivery = new Set<RegionCode>();
  const freeWhen: FreeWhenRow[] = [];
  let country: string | undefined;
  let seen = false;

  for (const offer of input.offers) {
    for (const details of detailEntries(prop(offer, "shippingDetails"), input.resolve)) {
      seen = true;
      const destinations = readDestinations(details, input, problems);
      country ??= destinations[0]?.country;
      if (booleanOf(prop(details, "doesNotShip"))) {
        for (const d of destinations) if (d.level !== "postal") for (const a of d.areas) noDelivery.add(a);
        continue;
      }
      const label = textOf(prop(details, "shippingLabel")) ?? "default";
      const regionsOf = destinations.flatMap((d) => d.areas);
      const rateNode = prop(details, "shippingRate");
      const threshold = readMoney(
        input.resolve(
          prop(details, "freeShippingThreshold") ??
            (isRecord(rateNode) ? prop(rateNode, "freeShippingThreshold") : undefined),
        ),
      );
      // A threshold alone (a ShippingService's free tier) states no rate; anything else must have one.
      if (rateNode !== undefined || threshold?.amount === undefined) {
        const rate = readMoney(input.resolve(rateNode));
        if (rate?.amount === undefined || rate.amount < 0) {
          issues.push({
            kind: "invalid-rate",
            message: `shippingRate ${rate?.amount !== undefined ? "is negative" : "is missing or not a number"} (${label})`,
            regions: sortedUnique(regionsOf),
          });
          continue;
        }
        checkCurrency(rate.currency, input.currency, "shippingRate", regionsOf, issues);
        const table = services.get(label) ?? new Map<RegionCode, Rate[]>();
        services.set(label, table);
        for (const d of destinations) {
          for (const area of d.areas) {
            const rates = table.get(area);
            if (rates) rates.push({ fee: rate.amount, level: d.level });
            else table.set(area, [{ fee: rate.amount, level: d.level }]);
          }
        }
      }
      if (threshold?.amount !== undefined) {
        checkCurrency(threshold.currency, input.currency, "freeShippingThreshold", regionsOf, issues);
        const areas = sortedUnique(destinations.filter((d) => d.level !== "postal").flatMap((d) => d.areas));
        if (areas.length) freeWhen.push({ areas, minAmount: threshold.amount, origin: "template" });
      }
    }
  }
  if (!seen) return { issues, problems, ...(country ? { country } : {}) };

  const tables: ServiceTable[] = [];
  for (const [service, table] of services)
    tables.push({ service, rows: rowsOf(table, service, issues, noDelivery, input.catalogues) });
  const template: ShippingTemplate = {
    id: input.templateId,
    name: "JSON-LD shippingDetails",
    payer: "buyer",
    valuation: "piece",
    services: tables,
    freeWhen,
    noDelivery: sortedUnique(noDelivery),
    conditionsExpressible: freeWhen.length > 0,
    format: "json-ld",
    source: input.source,
  };
  return { template, issues, problems, ...(country ? { country } : {}) };
}

/**
 * OfferShippingDetails nodes, plus schema.org's newer ShippingService (`shippingConditions`, usually an
 * `@id` reference to the Organization's `hasShippingService`): each condition reads like one details entry
 * under the service's name; a free condition from an `orderValue` minimum is a free-shipping threshold.
 */
function detailEntries(value: unknown, resolve: (value: unknown) => unknown): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const raw of asArray(value)) {
    const node = resolve(raw);
    if (!isRecord(node)) continue;
    const conditions = prop(node, "shippingConditions");
    if (conditions === undefined) {
      out.push(node);
      continue;
    }
    const label = textOf(prop(node, "name")) ?? textOf(prop(node, "identifier"));
    for (const rawCondition of asArray(conditions)) {
      const condition = resolve(rawCondition);
      if (!isRecord(condition)) continue;
      const orderValue = resolve(prop(condition, "orderValue"));
      const minimum = isRecord(orderValue) ? numberOf(prop(orderValue, "minValue")) : undefined;
      const entry: SchemaNode = { ...condition, ...(label ? { shippingLabel: label } : {}) };
      if (minimum !== undefined && minimum > 0) {
        const rate = readMoney(resolve(prop(condition, "shippingRate")));
        // A tier above zero: free from that order value on; a paying upper tier adds nothing checkable.
        if (rate?.amount !== 0) continue;
        const currency = isRecord(orderValue) ? prop(orderValue, "currency") : undefined;
        const { shippingRate: _paid, ...rest } = entry;
        out.push({ ...rest, freeShippingThreshold: { value: minimum, currency } });
        continue;
      }
      out.push(entry);
    }
  }
  return out;
}

function readDestinations(
  details: SchemaNode,
  input: ShippingDetailsInput,
  problems: ShippingDetailsResult["problems"],
): Destination[] {
  const out: Destination[] = [];
  const regions = asArray(prop(details, "shippingDestination")).map(input.resolve);
  for (const region of regions) {
    if (!isRecord(region)) continue;
    const named = textOf(prop(region, "addressCountry"))?.toUpperCase();
    const country = named ?? input.fallbackCountry;
    if (!country || !/^[A-Z]{2}$/.test(country)) {
      problems.push({
        code: "page/unknown-country",
        message: `shippingDestination addressCountry "${named ?? ""}" is not an ISO 3166-1 alpha-2 code and no country is configured`,
      });
      continue;
    }
    const postal = ["postalCode", "postalCodePrefix", "postalCodeRange"].some((k) => prop(region, k) !== undefined);
    const terms = asArray(prop(region, "addressRegion"))
      .map(textOf)
      .filter((t): t is string => t !== undefined);
    if (terms.length === 0) {
      out.push({ areas: countryRegions(country, input.catalogues), level: postal ? "postal" : "country", country });
      continue;
    }
    const areas: RegionCode[] = [];
    for (const term of terms) {
      const codes = resolveRegion(country, term, input.catalogues);
      if (codes) areas.push(...codes);
      else
        problems.push({
          code: "page/unknown-region",
          message: `shippingDestination addressRegion "${term}" is not a known region of ${country}`,
        });
    }
    out.push({ areas, level: postal ? "postal" : "region", country });
  }
  if (regions.length === 0 && input.fallbackCountry)
    out.push({
      areas: countryRegions(input.fallbackCountry, input.catalogues),
      level: "country",
      country: input.fallbackCountry,
    });
  else if (regions.length === 0)
    problems.push({
      code: "page/unknown-country",
      message: "shippingDetails without shippingDestination and no country is configured",
    });
  return out;
}

/** MonetaryAmount (value / maxValue) or DeliveryChargeSpecification (price). */
function readMoney(value: unknown): { amount?: number; currency?: string } | undefined {
  const node = asArray(value)[0];
  if (!isRecord(node)) {
    const amount = numberOf(node);
    return amount === undefined ? undefined : { amount };
  }
  const amount = numberOf(
    prop(node, "value") ?? prop(node, "price") ?? prop(node, "maxValue") ?? prop(node, "minValue"),
  );
  const currency = textOf(prop(node, "currency") ?? prop(node, "priceCurrency"))?.toUpperCase();
  return { ...(amount === undefined ? {} : { amount }), ...(currency ? { currency } : {}) };
}

function checkCurrency(
  currency: string | undefined,
  offerCurrency: string | undefined,
  what: string,
  regions: RegionCode[],
  issues: StructuredDataIssue[],
): void {
  if (currency && offerCurrency && currency !== offerCurrency.toUpperCase()) {
    issues.push({
      kind: "currency-mismatch",
      message: `${what} is in ${currency} but the offer is priced in ${offerCurrency.toUpperCase()}`,
      regions: sortedUnique(regions),
    });
  }
}

const LEVEL_RANK: Record<Level, number> = { country: 0, region: 1, postal: 2 };

/**
 * Per region, the most specific country/region rate decides; the same level both free and charged is a
 * contradiction (the higher fee is kept, as for conflicting Taobao rows). A paying postal-code destination
 * charges its whole region at the highest such fee, like a sub-province row.
 */
function rowsOf(
  table: Map<RegionCode, Rate[]>,
  service: string,
  issues: StructuredDataIssue[],
  noDelivery: Set<RegionCode>,
  catalogues: CountryCatalogues,
): FeeRow[] {
  const feeByRegion = new Map<RegionCode, number>();
  const contradictions: RegionCode[] = [];
  for (const [region, rates] of table) {
    if (noDelivery.has(region)) continue;
    const broad = rates.filter((r) => r.level !== "postal");
    const top = broad.reduce((max, r) => Math.max(max, LEVEL_RANK[r.level]), -1);
    const decisive = broad.filter((r) => LEVEL_RANK[r.level] === top).map((r) => r.fee);
    const postal = rates.filter((r) => r.level === "postal" && r.fee > 0).map((r) => r.fee);
    if (decisive.some((f) => f === 0) && decisive.some((f) => f > 0)) contradictions.push(region);
    // Reduced, not spread: one region may carry a rate from each of a hundred thousand offers.
    const fees = [...decisive, ...postal];
    if (fees.length)
      feeByRegion.set(
        region,
        fees.reduce((max, f) => Math.max(max, f), -Infinity),
      );
  }
  if (contradictions.length) {
    issues.push({
      kind: "free-and-charged",
      message: `the same destination is both free and charged${service === "default" ? "" : ` (${service})`}`,
      regions: sortedUnique(contradictions),
    });
  }
  const byFee = new Map<number, RegionCode[]>();
  for (const [region, fee] of feeByRegion) {
    const regions = byFee.get(fee);
    if (regions) regions.push(region);
    else byFee.set(fee, [region]);
  }
  return [...byFee.entries()]
    .sort(([a], [b]) => a - b)
    .map(([fee, regions]) => {
      const areas = sortedUnique(regions);
      return { areas, label: labelOf(areas, catalogues), first: 1, firstFee: fee, next: 1, nextFee: 0 };
    });
}

function labelOf(areas: RegionCode[], catalogues: CountryCatalogues): string {
  const names = areas.map((code) => {
    for (const catalogue of catalogues.values()) {
      const info = catalogue.get(code);
      if (info) return info.shortName;
    }
    return code;
  });
  const chinese = areas.every((a) => /^\d{6}$/.test(a));
  const shown = names.length > 8 ? [...names.slice(0, 8), "…"] : names;
  return shown.join(chinese ? "、" : ", ");
}

function sortedUnique(codes: Iterable<RegionCode>): RegionCode[] {
  return [...new Set(codes)].sort();
}
