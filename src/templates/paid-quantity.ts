import type { FeeRow, OrderSize, RegionCode, ShippingTemplate } from "../model.js";
import { countUnits, coverService, evaluateRegionFee, findFreeQuantity, selectServices } from "./evaluate-fee.js";
import { findPayingQuantity } from "./fee-schedule.js";

/** Whether, and from which quantity, a region pays (contract §4 "Quantities"). */
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
  if (!Number.isInteger(fromQuantity) || fromQuantity < 1) {
    throw new TypeError(`fromQuantity must be a positive integer, got ${fromQuantity}`);
  }
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
    if (fee.status === "charged") return { kind: "charged", quantity, fee: fee.fee, row: fee.row, service: fee.service };
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
