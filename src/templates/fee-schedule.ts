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
 * Infinity when it never charges (or only past 2^53 items), "unknown" when that depends on units nobody
 * gave. Exact because the fee never decreases with q: it is positive from q = from when firstFee > 0,
 * otherwise from the first q whose units exceed `first` when nextFee > 0.
 */
export function findPayingQuantity(
  schedule: FeeSchedule,
  unitsPerItem: number | undefined,
  from: number,
): number | "unknown" {
  if (schedule.firstFee > 0) return from;
  if (schedule.nextFee <= 0) return Infinity;
  if (unitsPerItem === undefined) return "unknown";
  if (!(unitsPerItem > 0)) return Infinity;
  const pays = (q: number) => countExtraSteps(schedule, q * unitsPerItem) >= 1;
  if (pays(from)) return from;
  // Past first + next units it surely pays. Bisect rather than step up from the arithmetic answer, so the
  // result agrees with countExtraSteps wherever decimal rounding puts the threshold, in ~53 steps at most
  // whatever the weight: stepping took 10^16 steps for 1e-16 kg (and never ended past 2^53, where q + 1 = q).
  const sure = Math.max(from + 1, Math.ceil((schedule.first + schedule.next) / unitsPerItem) + 1);
  if (!(sure <= Number.MAX_SAFE_INTEGER) || !pays(sure)) return Infinity;
  let below = from;
  let paying = sure;
  while (paying - below > 1) {
    const middle = below + Math.floor((paying - below) / 2);
    if (pays(middle)) paying = middle;
    else below = middle;
  }
  return paying;
}

/** Smallest integer q with q × step ≥ threshold (threshold and step positive). */
export function reachQuantity(threshold: number, step: number): number {
  return Math.max(1, Math.ceil(threshold / step - EPSILON));
}

/** Rounds to a millionth of a yuan; a sum too large for that (never from valid data) is left as it is, not Infinity. */
function dropFloatNoise(yuan: number): number {
  const rounded = Math.round(yuan * 1e6) / 1e6;
  return Number.isFinite(rounded) ? rounded : yuan;
}
