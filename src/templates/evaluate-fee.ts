import type {
  FeeRow,
  FreeWhenRow,
  OrderSize,
  RegionCode,
  RegionFee,
  ServiceTable,
  ShippingTemplate,
} from "../model.js";
import { evaluateSchedule, reachQuantity } from "./fee-schedule.js";

/** Which rows of one service apply to a region, and what holds for the part of it no row serves. */
export interface ServiceCoverage {
  rows: FeeRow[];
  /** `served`: the rows cover the whole region; otherwise the status of the part they leave. */
  rest: "served" | "undeliverable" | "unknown";
}

type ServiceFee = Exclude<RegionFee, { status: "charged" }> | { status: "charged"; fee: number; row: FeeRow };

/** Cash on delivery is a payment option, not a way to ship for less: it never decides a region. */
const IGNORED_SERVICE = "cod";

/**
 * The fee for one region at one order size (see docs/templates.md#how-a-fee-is-worked-out). A region in `noDelivery` or
 * served by no row is undeliverable; a `freeWhen` row that holds makes it free; with several services the region is
 * charged only if every service other than cod charges it, and the cheapest is reported.
 */
export function evaluateRegionFee(template: ShippingTemplate, region: RegionCode, order: OrderSize): RegionFee {
  if (!Number.isInteger(order.quantity) || order.quantity < 1) {
    throw new TypeError(`order.quantity must be a positive integer, got ${order.quantity}`);
  }
  if (template.noDelivery.includes(region)) return { status: "undeliverable", fee: null };
  const units = countUnits(template, order, order.quantity);
  const services = selectServices(template);
  const byService = services.map((service) => ({
    service,
    fee: evaluateService(coverService(service, region), units, template),
  }));
  const combined = combineServices(byService);
  if (combined.status === "undeliverable") return combined;
  if (order.quantity >= findFreeQuantity(template.freeWhen, region, order.price)) return { status: "free", fee: 0 };
  return combined;
}

/** The services that decide a region: all but cod (all of them when cod is the only one). */
export function selectServices(template: ShippingTemplate): ServiceTable[] {
  const shipping = template.services.filter((s) => s.service !== IGNORED_SERVICE);
  return shipping.length > 0 ? shipping : template.services;
}

/**
 * Rows naming the region override the default; a row that names only part of a province (a sub-province
 * code) leaves the rest of it to the default, so the province pays the higher of the two.
 */
export function coverService(service: ServiceTable, region: RegionCode): ServiceCoverage {
  const named = service.rows.filter((row) => row.areas.includes(region));
  if (named.some((row) => !row.partial?.includes(region))) return { rows: named, rest: "served" };
  if (service.default?.areas.includes(region)) return { rows: [...named, service.default], rest: "served" };
  return { rows: named, rest: service.default ? "undeliverable" : "unknown" };
}

/** Units of one order: pieces, or total kg / m³; undefined when the listing lacks its weight or volume. */
export function countUnits(
  template: ShippingTemplate,
  order: Omit<OrderSize, "quantity">,
  quantity: number,
): number | undefined {
  if (template.valuation === "piece") return quantity;
  const perItem = template.valuation === "weight" ? order.weight : order.volume;
  return perItem === undefined ? undefined : quantity * perItem;
}

/** The smallest quantity from which some `freeWhen` row covering the region holds; Infinity if none ever does. */
export function findFreeQuantity(rows: readonly FreeWhenRow[], region: RegionCode, price: number | undefined): number {
  let best = Infinity;
  for (const row of rows) {
    if (row.areas.includes(region)) best = Math.min(best, findRowFreeQuantity(row, price));
  }
  return best;
}

/**
 * A `freeWhen` row (or promotion) that frees the region at any order amount of at least `amount`
 * yuan, whatever the quantity: how an amount claim (满99包邮) is backed when the price is unknown.
 */
export function findAmountRow(template: ShippingTemplate, region: RegionCode, amount: number): FreeWhenRow | undefined {
  return template.freeWhen.find(
    (row) =>
      row.areas.includes(region) &&
      row.minAmount !== undefined &&
      row.minAmount <= amount &&
      (row.minQuantity === undefined || row.minQuantity <= 1),
  );
}

function findRowFreeQuantity(row: FreeWhenRow, price: number | undefined): number {
  let quantity = 1;
  if (row.minQuantity !== undefined) quantity = Math.max(quantity, Math.ceil(row.minQuantity));
  if (row.minAmount !== undefined && row.minAmount > 0) {
    // Without a price the amount condition cannot be shown to hold.
    if (price === undefined || price <= 0) return Infinity;
    quantity = Math.max(quantity, reachQuantity(row.minAmount, price));
  }
  return quantity;
}

function evaluateService(coverage: ServiceCoverage, units: number | undefined, template: ShippingTemplate): ServiceFee {
  let charged: { fee: number; row: FeeRow } | undefined;
  let unitsUnknown = false;
  for (const row of coverage.rows) {
    const fee = evaluateSchedule(row, units);
    if (fee.kind === "unknown") unitsUnknown = true;
    else if (fee.fee > 0 && (charged === undefined || fee.fee > charged.fee)) charged = { fee: fee.fee, row };
  }
  if (charged) return { status: "charged", ...charged };
  if (unitsUnknown) return { status: "unknown", fee: null, reason: `${template.valuation}-unknown` };
  if (coverage.rest === "served") return { status: "free", fee: 0 };
  if (coverage.rest === "unknown") return { status: "unknown", fee: null, reason: "no-default-row" };
  return { status: "undeliverable", fee: null };
}

function combineServices(results: ReadonlyArray<{ service: ServiceTable; fee: ServiceFee }>): RegionFee {
  if (results.length === 0) return { status: "unknown", fee: null, reason: "no-services" };
  if (results.some((r) => r.fee.status === "free")) return { status: "free", fee: 0 };
  for (const { fee } of results) if (fee.status === "unknown") return fee;
  let cheapest: RegionFee | undefined;
  for (const { service, fee } of results) {
    if (fee.status !== "charged") continue;
    if (cheapest === undefined || (cheapest.status === "charged" && fee.fee < cheapest.fee)) {
      cheapest = { status: "charged", fee: fee.fee, service: service.service, row: fee.row };
    }
  }
  return cheapest ?? { status: "undeliverable", fee: null };
}
