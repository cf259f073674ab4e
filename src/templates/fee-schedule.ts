import type { FeeSchedule } from "../model.js";

/** Units and amounts are decimals (0.1 kg × 3): compare with a tolerance so 0.30000000000000004 is 0.3. */
const EPSILON = 1e-9;

/** What one schedule charges when the number of units may be unknown (weight/volume not given). */
export type ScheduleFee =
  | { kind: "exact"; fee: number }
  /** Units unknown but firstFee > 0: the fee is at least `fee`. */
  | { kind: "at-least"; fee: number }
  | { kind: "unknown" };

/** firstFee + ceil(max(0, units − first) / next) × nextFee, free of float noise (0.1 × 3 is 0.3). */
function computeScheduleFee(schedule: FeeSchedule, units: number): number {
  return dropFloatNoise(schedule.firstFee + countExtraSteps(schedule, units) * schedule.nextFee);
}

function countExtraSteps(schedule: FeeSchedule, units: number): number {
  return Math.max(0, Math.ceil((units - schedule.first) / schedule.next - EPSILON));
}

/** The fee for `units`, or what can still be said about it when units are unknown. */
export function evaluateSchedule(schedule: FeeSchedule, units: number | undefined): ScheduleFee {
  if (units !== undefined) return { kind: "exact", fee: computeScheduleFee(schedule, units) };
  if (schedule.firstFee > 0) return { kind: "at-least", fee: schedule.firstFee };
  return schedule.nextFee > 0 ? { kind: "unknown" } : { kind: "exact", fee: 0 };
}

/**
 * The smallest quantity q ≥ from at which the schedule charges, with `unitsPerItem` units per item;
 * Infinity when it never charges, "unknown" when that depends on units nobody gave. Exact because the
 * fee never decreases with q: it is positive from q = from when firstFee > 0, otherwise from the first q
 * whose units exceed `first` when nextFee > 0.
 */
export function findPayingQuantity(schedule: FeeSchedule, unitsPerItem: number | undefined, from: number): number | "unknown" {
  if (schedule.firstFee > 0) return from;
  if (schedule.nextFee <= 0) return Infinity;
  if (unitsPerItem === undefined) return "unknown";
  if (unitsPerItem <= 0) return Infinity;
  // Start just below the arithmetic answer and step up, so the result agrees with countExtraSteps
  // even where decimal rounding puts the threshold a hair to either side.
  let q = Math.max(from, Math.floor(schedule.first / unitsPerItem) - 1);
  while (countExtraSteps(schedule, q * unitsPerItem) < 1) q += 1;
  return q;
}

/** Smallest integer q with q × step ≥ threshold (threshold and step positive). */
export function reachQuantity(threshold: number, step: number): number {
  return Math.max(1, Math.ceil(threshold / step - EPSILON));
}

function dropFloatNoise(yuan: number): number {
  return Math.round(yuan * 1e6) / 1e6;
}
