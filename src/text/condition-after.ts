import type { ClaimCondition } from "../model.js";
import type { AfterClaim, CompiledLexicon } from "./compile-lexicon.js";
import { readNumber } from "./numbers.js";

/** A condition read to the right of a claim core, and where it ends. */
export interface ConditionAfter {
  end: number;
  condition: ClaimCondition | null;
}

const MAX_WORDS = 6;

/**
 * "free shipping on orders over $50", "… on orders $35+", "… on 2 or more": condition words, then a
 * number. With a currency (or amount unit) the number is an amount; with a counting word or an at-least
 * word and no currency, a count. A number right after the core with no condition word must carry a
 * currency ("free shipping $50+"), so that "free shipping 5 pack" is no condition.
 */
export function readConditionAfter(
  folded: string,
  from: number,
  lexicon: CompiledLexicon,
  after: AfterClaim,
): ConditionAfter | undefined {
  let at = from;
  let words = 0;
  for (; words < MAX_WORDS; words += 1) {
    let next = at;
    while (folded[next] === " ") next += 1;
    const word = after.conditionWords.matchAt(folded, next);
    if (!word) break;
    at = word.end;
  }
  while (folded[at] === " ") at += 1;
  const m = after.condition.exec(folded.slice(at, at + 32));
  if (!m) return undefined;
  const [whole, currency, digits, unit, atLeast] = m;
  const value = readNumber(digits as string, lexicon.numerals);
  if (value === undefined) return undefined;
  const end = at + whole.length;
  if (unit !== undefined && lexicon.unsupportedUnits.has(unit))
    return { end, condition: { unsupported: whole.trim() } };
  const amount = currency !== undefined || (unit !== undefined && lexicon.amountUnits.has(unit));
  if (amount) return { end, condition: { minAmount: value } };
  if (words === 0) return undefined;
  const counted =
    (unit !== undefined && lexicon.countingWords.has(unit)) || (unit === undefined && atLeast !== undefined);
  if (!counted) return undefined;
  return { end, condition: value > 1 ? { minQuantity: value } : null };
}
