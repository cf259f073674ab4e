/**
 * The plausible range of every number a listing or a shipping template gives. A value outside it is a
 * typo or hostile input, and would otherwise break fee arithmetic: a weight of 1e-16 kg takes 10^16
 * items to reach the next weight step, and a fee of 1e303 yuan overflows to Infinity once rounded.
 */
export interface NumberRange {
  min: number;
  /** The smallest value above 0 that is allowed, when it is above `min`: 0 itself stays allowed. */
  minPositive?: number;
  max: number;
  unit: string;
}

/** A price or an order amount: up to 100 million yuan. */
export const PRICE_RANGE: NumberRange = { min: 0, max: 100_000_000, unit: "yuan" };
/** A shipping fee (a listing's flat fee, a template's first or next fee): up to 1 million yuan. */
export const FEE_RANGE: NumberRange = { min: 0, max: 1_000_000, unit: "yuan" };
/** A listing's weight: 0, or 1 mg to 1,000 t. */
export const WEIGHT_RANGE: NumberRange = { min: 0, minPositive: 0.000001, max: 1_000_000, unit: "kg" };
/** A listing's volume: 0, or 1 mm³ to 10,000 m³. */
export const VOLUME_RANGE: NumberRange = { min: 0, minPositive: 0.000000001, max: 10_000, unit: "m³" };
/** A template's first units (pieces, kg or m³): up to a million. */
export const FIRST_UNITS_RANGE: NumberRange = { min: 0, max: 1_000_000, unit: "units" };
/** A template's next units: above 0 (a step of 0 never ends), at least a millionth, up to a million. */
export const NEXT_UNITS_RANGE: NumberRange = { min: 0.000001, max: 1_000_000, unit: "units" };
/** A `freeWhen` quantity: up to a million items. */
export const QUANTITY_RANGE: NumberRange = { min: 0.000001, max: 1_000_000, unit: "items" };

/** Why `value` is outside `range`, or undefined when it is inside. */
export function describeOutOfRange(value: number, range: NumberRange): string | undefined {
  const inside =
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (range.minPositive === undefined || value === 0 || value >= range.minPositive);
  if (inside) return undefined;
  const low = range.minPositive === undefined ? formatPlain(range.min) : `0 or ${formatPlain(range.minPositive)}`;
  return `${formatPlain(value)} is out of range (${low} to ${formatPlain(range.max)} ${range.unit})`;
}

/** Decimal notation as people write it (0.000001, not 1e-6); huge or tiny values keep their exponent. */
function formatPlain(value: number): string {
  if (!Number.isFinite(value) || value === 0 || Math.abs(value) >= 1e21 || Math.abs(value) < 1e-9) return String(value);
  return value.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}
