import type { RegionCatalogue, RegionCode } from "../model.js";
import type { CompiledLexicon } from "./compile-lexicon.js";
import type { RegionRun } from "./region-runs.js";
import type { Segments } from "./sentences.js";

/**
 * One text being parsed: the original visible text (for `text` slices), its folded form (for matching,
 * same length so offsets agree) and the region lists, computed only when something asks for them.
 */
export interface ParseState {
  original: string;
  folded: string;
  lexicon: CompiledLexicon;
  regions: RegionCatalogue;
  price: number | undefined;
  /** Other prices shown (listing, SKUs): a number equal to one of them is the price. */
  prices: readonly number[];
  /** Region lists used by a claim or a disclosure: each is read once. */
  usedRuns: Set<number>;
  runEndingAt(end: number): RegionRun | undefined;
  runStartingAt(start: number): RegionRun | undefined;
  /** The folded text's sentences and clauses, found when first asked for. */
  sentences(): Segments;
  clauses(): Segments;
}

/** 是否包邮 / 包邮吗？: the phrase between start and end is asked about, not promised. */
export function isQuestion(state: ParseState, start: number, end: number): boolean {
  const { folded, lexicon } = state;
  let before = start;
  while (before > 0 && (folded[before - 1] === " " || folded[before - 1] === ":")) before -= 1;
  if (lexicon.questionPrefixes.matchEndingAt(folded, before)) return true;
  let after = end;
  while (folded[after] === " ") after += 1;
  return lexicon.questionSuffixes.matchAt(folded, after) !== undefined;
}

/** Sorted, deduplicated region codes. */
export function sortedCodes(codes: Iterable<RegionCode>): RegionCode[] {
  return [...new Set(codes)].sort();
}
