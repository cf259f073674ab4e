import type { FeeRow, OrderSize, RegionCode, ShippingTemplate } from "../model.js";
import { countUnits, coverService, evaluateRegionFee, findFreeQuantity, selectServices } from "./evaluate-fee.js";
import { findPayingQuantity, reachQuantity } from "./fee-schedule.js";

/** Whether, and from which quantity, a region pays (see docs/semantics.md#quantities). */
export type PaidQuantity =
  | { kind: "charged"; quantity: number; fee: number; row: FeeRow; service: string }
  | { kind: "free" }
  | { kind: "undeliverable" }
  | { kind: "unknown"; reason: string };

/**
 * The smallest quantity q ≥ fromQuantity at which the region pays, or what holds at every such q.
 *
 * Exact without scanning: every row's fee is non-decreasing in q, so a row turns from free to paying at
 * one quantity (findPayingQuantity), and a `freeWhen` row turns on at one quantity and stays on. The
 * region's status is therefore constant between those turning points, and evaluating it at each of
 * them — at most one per row plus two — decides every q.
 */
export function findPaidQuantity(
  template: ShippingTemplate,
  region: RegionCode,
  order: Omit<OrderSize, "quantity">,
  fromQuantity = 1,
): PaidQuantity {
  return createPaidQuantityTable(template, order)(region, fromQuantity);
}

/** `findPaidQuantity` for one template and one order, by region and starting quantity. */
export type PaidQuantityTable = (region: RegionCode, fromQuantity?: number) => PaidQuantity;

/**
 * The outcomes of one template for one order, memoised: rules ask about the same regions for every
 * claim of a listing, and listings that share a template mostly share the outcomes too. An outcome
 * depends on the order only through the units per item and, when a `freeWhen` row has an amount
 * condition, the price, so listings that agree on those share a table. Templates are never changed
 * after loading, and outcomes are shared read-only. The price matters only through the quantity at which
 * each amount row is reached, so listings whose prices reach them at the same quantities share a table.
 */
export function createPaidQuantityTable(
  template: ShippingTemplate,
  order: Omit<OrderSize, "quantity">,
): PaidQuantityTable {
  const memo = memoOf(template);
  const key = `${countUnits(template, order, 1)}|${memo.usesPrice ? reachedAt(template, order.price) : ""}`;
  let outcomes = memo.tables.get(key);
  if (outcomes === undefined) {
    // Units and prices vary from listing to listing: start afresh rather than grow without bound.
    if (memo.tables.size >= MAX_TABLES) memo.tables.clear();
    outcomes = new Map();
    memo.tables.set(key, outcomes);
  }
  const byQuantity = outcomes;
  return (region, fromQuantity = 1) => {
    if (!Number.isInteger(fromQuantity) || fromQuantity < 1) {
      throw new TypeError(`fromQuantity must be a positive integer, got ${fromQuantity}`);
    }
    let table = byQuantity.get(fromQuantity);
    if (table === undefined) {
      table = new Map();
      byQuantity.set(fromQuantity, table);
    }
    let outcome = table.get(region);
    if (outcome === undefined) {
      outcome = computePaidQuantity(template, region, order, fromQuantity);
      table.set(region, outcome);
    }
    return outcome;
  };
}

/** The quantities at which the template's amount rows are reached at this price ("-": never, no price). */
function reachedAt(template: ShippingTemplate, price: number | undefined): string {
  let key = "";
  for (const row of template.freeWhen) {
    if (row.minAmount === undefined || row.minAmount <= 0) continue;
    key += price === undefined || price <= 0 ? "-," : `${reachQuantity(row.minAmount, price)},`;
  }
  return key;
}

interface PaidQuantityMemo {
  /** By units per item and (when it matters) the quantities the price reaches the amount rows at. */
  tables: Map<string, Map<number, Map<RegionCode, PaidQuantity>>>;
  usesPrice: boolean;
}

const memos = new WeakMap<ShippingTemplate, PaidQuantityMemo>();
const MAX_TABLES = 1024;

function memoOf(template: ShippingTemplate): PaidQuantityMemo {
  let memo = memos.get(template);
  if (memo === undefined) {
    memo = {
      tables: new Map(),
      usesPrice: template.freeWhen.some((row) => row.minAmount !== undefined && row.minAmount > 0),
    };
    memos.set(template, memo);
  }
  return memo;
}

/**
 * Lets `template` use the memoised outcomes of `like`: for templates that differ only in id and source
 * (the seller-pays and flat-fee terms of listings), so each structure is evaluated once per run.
 */
export function sharePaidQuantities(template: ShippingTemplate, like: ShippingTemplate): void {
  memos.set(template, memoOf(like));
}

function computePaidQuantity(
  template: ShippingTemplate,
  region: RegionCode,
  order: Omit<OrderSize, "quantity">,
  fromQuantity: number,
): PaidQuantity {
  const unitsPerItem = countUnits(template, order, 1);
  const turningPoints = new Set<number>([fromQuantity]);
  for (const service of selectServices(template)) {
    for (const row of coverService(service, region).rows) {
      const quantity = findPayingQuantity(row, unitsPerItem, fromQuantity);
      if (typeof quantity === "number" && Number.isFinite(quantity)) turningPoints.add(quantity);
    }
  }
  const freeFrom = findFreeQuantity(template.freeWhen, region, order.price);
  if (Number.isFinite(freeFrom) && freeFrom > fromQuantity) turningPoints.add(freeFrom);

  let unknown: string | undefined;
  let undeliverable = false;
  for (const quantity of [...turningPoints].sort((a, b) => a - b)) {
    const fee = evaluateRegionFee(template, region, { ...order, quantity });
    if (fee.status === "charged")
      return { kind: "charged", quantity, fee: fee.fee, row: fee.row, service: fee.service };
    if (fee.status === "unknown") unknown ??= fee.reason;
    if (fee.status === "undeliverable") undeliverable = true;
  }
  if (unknown !== undefined) return { kind: "unknown", reason: unknown };
  return undeliverable ? { kind: "undeliverable" } : { kind: "free" };
}

/** Every region a template names or serves by default, sorted: where it might charge or refuse. */
export function listTemplateRegions(template: ShippingTemplate): RegionCode[] {
  const codes = new Set<RegionCode>(template.noDelivery);
  for (const service of template.services) {
    for (const row of service.default ? [service.default, ...service.rows] : service.rows) {
      for (const code of row.areas) codes.add(code);
    }
  }
  return [...codes].sort();
}
