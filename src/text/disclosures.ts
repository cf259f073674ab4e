import type { Disclosure } from "../model.js";
import type { Anchor, CompiledLexicon } from "./compile-lexicon.js";
import { readNumber } from "./numbers.js";
import type { ParseState } from "./parse-state.js";
import type { PhraseIndex, PhraseMatch } from "./phrase-index.js";
import type { RegionRun } from "./region-runs.js";

const MAX_FILLERS = 4;

/**
 * Regions + marker: 新疆西藏除外, 偏远地区不包邮, 港澳台不发货, 新疆西藏补运费10元. Undefined when no
 * region list stands right before the marker (fillers such as 需 or 运费 may sit between).
 */
export function readDisclosure(
  state: ParseState,
  anchor: PhraseMatch<Anchor>,
  kind: Disclosure["kind"],
  needsAmount: boolean,
): Disclosure | undefined {
  const fee = kind === "surcharge" ? readFee(state.folded, anchor.end, state.lexicon) : undefined;
  if (needsAmount && fee === undefined) return undefined;
  const run = findRunBefore(state, anchor.start, state.lexicon.disclosureFillers);
  if (run && !state.usedRuns.has(run.id)) {
    state.usedRuns.add(run.id);
    const end = fee?.end ?? anchor.end;
    const named = run.vague ? readNamedAfter(state, end) : undefined;
    if (named) return makeDisclosure(state, named.run, run.start, named.end, kind, fee?.value ?? null);
    return makeDisclosure(state, run, run.start, end, kind, fee?.value ?? null);
  }
  return fee === undefined ? readListAfter(state, anchor, kind) : undefined;
}

/** 偏远地区不包邮（新疆、西藏）: a closed list in brackets right after names what the open group meant. */
function readNamedAfter(state: ParseState, from: number): { run: RegionRun; end: number } | undefined {
  const { folded } = state;
  let at = from;
  while (folded[at] === " ") at += 1;
  if (folded[at] !== "(") return undefined;
  const run = state.runStartingAt(at + 1);
  if (!run || run.vague || folded[run.end] !== ")" || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return { run, end: run.end + 1 };
}

/** 不包邮地区：新疆、西藏 — the marker heads a list that follows a colon. */
function readListAfter(state: ParseState, anchor: PhraseMatch<Anchor>, kind: Disclosure["kind"]): Disclosure | undefined {
  const { folded, lexicon } = state;
  let at = anchor.end;
  for (let word = lexicon.run.suffixes.matchAt(folded, at); word; word = lexicon.run.suffixes.matchAt(folded, at)) at = word.end;
  while (folded[at] === " ") at += 1;
  if (folded[at] !== ":") return undefined;
  at += 1;
  while (folded[at] === " ") at += 1;
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return makeDisclosure(state, run, anchor.start, run.end, kind, null);
}

/** Marker + regions (+ closer): 除新疆西藏外, 不含港澳台. */
export function readPrefixDisclosure(state: ParseState, anchor: PhraseMatch<Anchor>): Disclosure | undefined {
  let at = anchor.end;
  while (state.folded[at] === " " || state.folded[at] === ":") at += 1;
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  const closer = state.lexicon.closers.matchAt(state.folded, run.end);
  return makeDisclosure(state, run, anchor.start, closer?.end ?? run.end, "exclusion", null);
}

/** 仅限大陆: 港澳台 and overseas are not covered. */
export function readMainlandOnly(state: ParseState, anchor: PhraseMatch<Anchor>): Disclosure {
  return {
    text: state.original.slice(anchor.start, anchor.end),
    start: anchor.start,
    end: anchor.end,
    regions: [...state.regions.nonMainland],
    fee: null,
    vague: false,
    kind: "exclusion",
  };
}

/** A disclosure built from a region list, spanning start..end of the text. */
export function makeDisclosure(
  state: ParseState,
  run: RegionRun,
  start: number,
  end: number,
  kind: Disclosure["kind"],
  fee: number | null,
): Disclosure {
  return { text: state.original.slice(start, end), start, end, regions: [...run.codes], fee, vague: run.vague, kind };
}

/** The region list ending at `end`, possibly before a few filler words. */
export function findRunBefore(state: ParseState, end: number, fillers: PhraseIndex<true>): RegionRun | undefined {
  let at = end;
  for (let step = 0; step <= MAX_FILLERS; step += 1) {
    const run = state.runEndingAt(at);
    if (run) return run;
    const filler = fillers.matchEndingAt(state.folded, at);
    if (!filler) return undefined;
    at = filler.start;
  }
  return undefined;
}

/** Marks disclosures reached through an asterisk or 注: (contract §4: they count as description-only). */
export function markFootnotes(state: ParseState, disclosures: Disclosure[]): void {
  for (const d of disclosures) {
    let at = d.start;
    while (at > 0 && (state.folded[at - 1] === " " || state.folded[at - 1] === "(")) at -= 1;
    if (state.lexicon.footnoteMarkers.matchEndingAt(state.folded, at)) d.footnote = true;
  }
}

/** A stated fee right after a surcharge marker (补运费10元, 加收¥15). */
export function readFee(folded: string, from: number, lexicon: CompiledLexicon): { value: number; end: number } | undefined {
  const m = lexicon.feeAfter.exec(folded.slice(from, from + 16));
  if (!m) return undefined;
  const [whole, currency, digits, unit] = m;
  if (currency === undefined && unit === undefined) return undefined;
  const value = readNumber(digits as string, lexicon.numerals);
  return value === undefined ? undefined : { value, end: from + whole.length };
}
