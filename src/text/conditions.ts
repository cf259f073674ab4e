import type { ClaimCondition } from "../model.js";
import type { CompiledLexicon } from "./compile-lexicon.js";
import { isDecimal, readNumber } from "./numbers.js";

/** Numbers before a claim: the condition they state (null: none, e.g. the price itself or 一件). */
export interface ConditionMatch {
  start: number;
  condition: ClaimCondition | null;
}

const WINDOW = 24;
const LATIN_OR_DIGIT = /[a-z0-9]$/;
const CENT = 0.005;

/**
 * Reads the number phrase ending at `end` (see docs/semantics.md#numbers-before-the-claim): 满/买 + number is an amount
 * (or count, with a counting word; or unsupported, with a weight); number + 元 above the price is an amount, and at or
 * below it, or equal to another price shown (a SKU's), is the price; number + counting word is a count unless it
 * describes the unit sold (共24个, *6, 1件6瓶, 8-9个). Undefined when no condition phrase ends there.
 */
export function readCondition(
  text: string,
  end: number,
  lexicon: CompiledLexicon,
  price?: number,
  prices: readonly number[] = [],
): ConditionMatch | undefined {
  const from = Math.max(0, end - WINDOW);
  const window = text.slice(from, end);
  return readPrefixed(window, from, lexicon) ?? readBare(text, window, from, lexicon, price, prices);
}

function readPrefixed(window: string, from: number, lexicon: CompiledLexicon): ConditionMatch | undefined {
  const m = lexicon.prefixedCondition.exec(window);
  if (!m) return undefined;
  const [whole, currency, digits, unit] = m;
  const value = readNumber(digits as string, lexicon.numerals);
  if (value === undefined) return undefined;
  const start = from + m.index;
  if (unit !== undefined && lexicon.unsupportedUnits.has(unit)) {
    return { start, condition: { unsupported: whole.replace(/[ ,]+$/, "") } };
  }
  const countsItems = unit !== undefined && lexicon.countingWords.has(unit);
  // "buy 2 get free shipping": without a currency such a lexicon reads a count.
  const unitless = lexicon.amountNeedsCurrency && unit === undefined;
  if ((countsItems || unitless) && currency === undefined) {
    return { start, condition: value > 1 ? { minQuantity: value } : null };
  }
  return { start, condition: { minAmount: value } };
}

function readBare(
  text: string,
  window: string,
  from: number,
  lexicon: CompiledLexicon,
  price: number | undefined,
  prices: readonly number[],
): ConditionMatch | undefined {
  const m = lexicon.bareCondition.exec(window);
  if (!m) return undefined;
  const [whole, currency, digits, unit, fraction] = m;
  const start = from + m.index + (whole.length - whole.trimStart().length);
  if (!isDecimal(digits as string) && unit === undefined) return undefined;
  if (
    lexicon.amountNeedsCurrency &&
    currency === undefined &&
    (unit === undefined || !(lexicon.countingWords.has(unit) || lexicon.amountUnits.has(unit)))
  )
    return undefined;
  if (describesUnit(text, start, lexicon)) return undefined;
  const integer = readNumber(digits as string, lexicon.numerals);
  if (integer === undefined) return undefined;
  // 9块9: an amount unit followed by one digit is yuan and tenths.
  const value = fraction === undefined ? integer : integer + Number(fraction) / 10;
  if (fraction === undefined && unit !== undefined && lexicon.countingWords.has(unit) && currency === undefined) {
    return { start, condition: value > 1 ? { minQuantity: value } : null };
  }
  const isYear =
    unit === undefined &&
    fraction === undefined &&
    currency === undefined &&
    Number.isInteger(value) &&
    value >= lexicon.years.min &&
    value <= lexicon.years.max;
  if (isYear) return undefined;
  if (price !== undefined && value <= price + 1e-9) return { start, condition: null };
  if (prices.some((p) => Math.abs(p - value) < CENT)) return { start, condition: null };
  return { start, condition: { minAmount: value } };
}

/** 300g*6件, 共24个, 1件6瓶, 8-9个, ja-871: the number belongs to a description, model or range. */
function describesUnit(text: string, start: number, lexicon: CompiledLexicon): boolean {
  const before = text.slice(Math.max(0, start - 8), start);
  if (LATIN_OR_DIGIT.test(before)) return true;
  const trimmed = before.replace(/ +$/, "");
  if (lexicon.unitMarkers.matchEndingAt(trimmed, trimmed.length)) return true;
  if (lexicon.rangeMarkers.matchEndingAt(before, before.length)) return true;
  return lexicon.countAtEnd.test(trimmed);
}
