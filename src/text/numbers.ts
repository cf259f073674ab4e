/** How to read numbers written with digits or numeral characters (三, 十四, 两百). */
export interface NumeralSystem {
  digits: Readonly<Record<string, number>>;
  multipliers: Readonly<Record<string, number>>;
}

/** A regular-expression source matching one number: decimal digits or a run of numeral characters. */
export function numberPattern(numerals: NumeralSystem): string {
  const chars = [...Object.keys(numerals.digits), ...Object.keys(numerals.multipliers)].map(escapeRegExp).join("");
  return chars ? `\\d+(?:\\.\\d+)?|[${chars}]+` : `\\d+(?:\\.\\d+)?`;
}

/** Reads a number matched by numberPattern; undefined when the numerals do not form a number. */
export function readNumber(text: string, numerals: NumeralSystem): number | undefined {
  if (/^\d/.test(text)) return Number.parseFloat(text);
  let total = 0;
  let section = 0;
  let pending: number | undefined;
  for (const ch of text) {
    const digit = numerals.digits[ch];
    if (digit !== undefined) {
      pending = digit;
      continue;
    }
    const multiplier = numerals.multipliers[ch];
    if (multiplier === undefined) return undefined;
    // The largest multiplier closes a section (三万五千 = (3) × 10000 + 5 × 1000).
    if (multiplier >= 10000) {
      total = (total + section + (pending ?? 0)) * multiplier;
      section = 0;
    } else section += (pending ?? 1) * multiplier;
    pending = undefined;
  }
  return total + section + (pending ?? 0);
}

/** True for text made only of digits (not numeral characters). */
export function isDecimal(text: string): boolean {
  return /^\d/.test(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** An alternation of literal phrases, longest first (so `kg` is tried before `g`). */
export function alternation(phrases: readonly string[]): string {
  const unique = [...new Set(phrases)].filter((p) => p.length > 0);
  unique.sort((a, b) => b.length - a.length);
  return unique.length ? unique.map(escapeRegExp).join("|") : "(?!)";
}
