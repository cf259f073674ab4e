import type { Claim, ClaimCondition, ClaimScope, Disclosure, RegionCode } from "../model.js";
import type { AfterClaim, Anchor, ScopeWord } from "./compile-lexicon.js";
import { readConditionAfter } from "./condition-after.js";
import { readCondition, type ConditionMatch } from "./conditions.js";
import { makeDisclosure } from "./disclosures.js";
import { readNumber } from "./numbers.js";
import { isQuestion, sortedCodes, type ParseState } from "./parse-state.js";
import type { PhraseIndex, PhraseMatch } from "./phrase-index.js";
import { coversMainland, type RegionRun } from "./region-runs.js";

/** A claim, and the disclosure its own scope made (非偏远地区包邮). */
export interface ClaimMatch {
  claim: Claim;
  disclosure?: Disclosure;
}

/** What stands before a claim core, read right to left. */
interface Parts {
  start: number;
  carrier: string | null;
  scope: ScopeWord | null;
  run: RegionRun | null;
  count: number | undefined;
  condition: ClaimCondition | null | undefined;
  excludedRun: { run: RegionRun; start: number } | null;
}

const MAX_PARTS = 6;
const MAX_FILLERS = 3;
const WINDOW = 16;
/** What may stand before a heading: the start of a line, a sentence or a list item. */
const HEADING_START = /[\n。;!?,、()[\] ]/;

/**
 * Reads the claim around a core (包邮): carrier, scope (全国, 江浙沪, 25省, 省内), condition (满99, 三件)
 * to its left, in any order and with filler words between; a carrier or partial scope right after
 * (包邮顺丰, 包邮多省); regions it names as included (含港澳台). Undefined when the claim is a question.
 */
export function readClaim(
  state: ParseState,
  core: PhraseMatch<Anchor>,
  carrier: string | null,
): ClaimMatch | undefined {
  const parts: Parts = {
    start: core.start,
    carrier,
    scope: null,
    run: null,
    count: undefined,
    condition: undefined,
    excludedRun: null,
  };
  if (core.value.kind === "core" && core.value.global === true) parts.scope = { scope: "all", global: true };
  readLeft(state, parts);
  if (parts.run === null && (parts.scope === null || (parts.scope.scope === "all" && !parts.scope.global)))
    readHeading(state, parts);
  let end = core.end;
  const { folded, lexicon } = state;
  if (parts.carrier === null) {
    const after = lexicon.carriers.matchAt(folded, end);
    if (after) {
      parts.carrier = after.value;
      end = after.end;
    }
  }
  if (parts.scope === null && parts.run === null) {
    const after = lexicon.partialAfter.matchAt(folded, end);
    if (after) {
      parts.scope = { scope: "partial", global: false };
      end = after.end;
    }
  }
  const after = lexicon.afterClaim;
  if (after) end = readRight(state, parts, end, after);
  if (isQuestion(state, parts.start, end)) return undefined;
  if (parts.run === null && (parts.scope === null || parts.scope.scope === "all"))
    parts.run = readRestriction(state, end) ?? null;

  const { scope, regions } = resolveScope(state, parts);
  const included = readInclusions(state, end);
  const claim: Claim = {
    text: state.original.slice(parts.start, end),
    start: parts.start,
    end,
    scope,
    regions: sortedCodes([...regions, ...included]),
    excluded: [],
    condition: parts.condition ?? null,
    carrier: parts.carrier,
    ...(scope === "partial" && parts.count !== undefined ? { count: parts.count } : {}),
  };
  if (!parts.excludedRun) return { claim };
  const { run, start } = parts.excludedRun;
  return { claim, disclosure: makeDisclosure(state, run, start, run.end, "exclusion", null) };
}

function readLeft(state: ParseState, parts: Parts): void {
  let at = parts.start;
  for (let step = 0; step < MAX_PARTS; step += 1) {
    let next = readPart(state, parts, at);
    let skipped = at;
    for (let i = 0; next === undefined && i < MAX_FILLERS; i += 1) {
      const filler = state.lexicon.claimFillers.matchEndingAt(state.folded, skipped);
      if (!filler) break;
      skipped = filler.start;
      next = readPart(state, parts, skipped);
    }
    if (next === undefined) return;
    at = next;
    parts.start = next;
    if (parts.excludedRun) return;
  }
}

/** 四川：全场免运费 — a region list heading the claim, before a colon, is its scope (全场 means every item). */
function readHeading(state: ParseState, parts: Parts): void {
  const { folded } = state;
  let at = parts.start;
  while (folded[at - 1] === " ") at -= 1;
  if (folded[at - 1] !== ":") return;
  at -= 1;
  while (folded[at - 1] === " ") at -= 1;
  const run = state.runEndingAt(at);
  if (!run || state.usedRuns.has(run.id) || !HEADING_START.test(folded[run.start - 1] ?? "\n")) return;
  state.usedRuns.add(run.id);
  parts.run = run;
  parts.start = run.start;
}

/** Reads one part ending at `end` into `parts`; returns where it starts, or undefined. */
function readPart(state: ParseState, parts: Parts, end: number): number | undefined {
  const { folded, lexicon } = state;
  if (end <= 0) return undefined;
  if (parts.carrier === null) {
    const carrier = lexicon.carriers.matchEndingAt(folded, end);
    if (carrier) {
      parts.carrier = carrier.value;
      return carrier.start;
    }
  }
  if (parts.scope === null && parts.run === null) {
    const scoped = readScopePart(state, parts, end);
    if (scoped !== undefined) return scoped;
  }
  if (parts.condition === undefined) {
    const condition = readAlternatives(state, end);
    if (condition) {
      parts.condition = condition.condition;
      return condition.start;
    }
  }
  return undefined;
}

/** 满3件或满128元包邮: conditions joined by 或 are one condition, met when either holds. */
function readAlternatives(state: ParseState, end: number): ConditionMatch | undefined {
  const { folded, lexicon } = state;
  const last = readCondition(folded, end, lexicon, state.price, state.prices);
  if (!last?.condition) return last;
  let { start, condition } = last;
  for (
    let joiner = lexicon.alternatives.matchEndingAt(folded, start);
    joiner;
    joiner = lexicon.alternatives.matchEndingAt(folded, start)
  ) {
    const other = readCondition(folded, joiner.start, lexicon, state.price, state.prices);
    if (!other?.condition) break;
    condition = eitherCondition(other.condition, condition);
    start = other.start;
  }
  return { start, condition };
}

function eitherCondition(a: ClaimCondition, b: ClaimCondition): ClaimCondition {
  if (a.unsupported !== undefined || b.unsupported !== undefined)
    return { unsupported: a.unsupported ?? b.unsupported ?? "" };
  const least = (x: number | undefined, y: number | undefined) =>
    x === undefined ? y : y === undefined ? x : Math.min(x, y);
  const minAmount = least(a.minAmount, b.minAmount);
  const minQuantity = least(a.minQuantity, b.minQuantity);
  return { ...(minAmount === undefined ? {} : { minAmount }), ...(minQuantity === undefined ? {} : { minQuantity }) };
}

/**
 * 包邮地区：江浙沪 (the list is the scope) or 包邮地区不含新疆西藏 (a claim of every province, the
 * exclusion read on its own): a claim noun is a claim only then; alone it is slang (包邮区).
 */
export function readClaimNoun(state: ParseState, noun: PhraseMatch<Anchor>): Claim | undefined {
  const { folded, lexicon } = state;
  let at = noun.end;
  for (let glue = lexicon.listHeads.matchAt(folded, at); glue; glue = lexicon.listHeads.matchAt(folded, at))
    at = glue.end;
  while (folded[at] === " " || folded[at] === ":") at += 1;
  const run = state.runStartingAt(at);
  const claim = (scope: ClaimScope, regions: RegionCode[], end: number): Claim => ({
    text: state.original.slice(noun.start, end),
    start: noun.start,
    end,
    scope,
    regions,
    excluded: [],
    condition: null,
    carrier: null,
  });
  if (run && !state.usedRuns.has(run.id)) {
    state.usedRuns.add(run.id);
    const codes = run.codes.filter((c) => !run.partial.includes(c));
    if (coversMainland(codes, state.regions)) return claim("all", [], run.end);
    return codes.length === 0 ? claim("local", [], run.end) : claim("regions", codes, run.end);
  }
  return state.lexicon.exclusionPrefixes.matchAt(folded, at) ? claim("all", [], noun.end) : undefined;
}

function readScopePart(state: ParseState, parts: Parts, end: number): number | undefined {
  const { folded, lexicon } = state;
  const word = lexicon.scopes.matchEndingAt(folded, end);
  if (word) {
    // 福建省内: a province named right before 省内 makes the scope that province.
    const named = word.value.scope === "local" ? findNamedProvince(state, word.start, word.end) : undefined;
    if (named) return takeRun(state, parts, named);
    parts.scope = word.value;
    return word.start;
  }
  const from = Math.max(0, end - WINDOW);
  const count = lexicon.partialCount.exec(folded.slice(from, end));
  if (count) {
    parts.scope = { scope: "partial", global: false };
    parts.count = readNumber(count[1] as string, lexicon.numerals);
    return from + count.index;
  }
  const run = state.runEndingAt(end);
  if (run && !state.usedRuns.has(run.id)) return takeRun(state, parts, run);
  return undefined;
}

function findNamedProvince(state: ParseState, start: number, end: number): RegionRun | undefined {
  for (let at = end - 1; at > start; at -= 1) {
    const run = state.runEndingAt(at);
    if (run && run.start < start && !state.usedRuns.has(run.id)) return run;
  }
  return undefined;
}

/** 江浙沪包邮: the list is the scope; 非偏远地区包邮: the list is excluded from an all-scope claim. */
function takeRun(state: ParseState, parts: Parts, run: RegionRun): number {
  state.usedRuns.add(run.id);
  const negation = state.lexicon.exclusionPrefixes.matchEndingAt(state.folded, run.start);
  if (negation) {
    parts.excludedRun = { run, start: negation.start };
    return run.end;
  }
  parts.run = run;
  return run.start;
}

/**
 * "free shipping on orders over $50 within the contiguous US", "free shipping worldwide": a condition,
 * a scope word or a restricted region list to the right of the core, in any order, fillers between.
 * Returns the new end of the claim.
 */
function readRight(state: ParseState, parts: Parts, end: number, after: AfterClaim): number {
  const { folded, lexicon } = state;
  for (let step = 0; step < MAX_PARTS; step += 1) {
    let at = end;
    for (let i = 0; i < MAX_FILLERS; i += 1) {
      const filler = after.fillers.matchAt(folded, at);
      if (!filler) break;
      at = filler.end;
    }
    if (parts.condition === undefined) {
      const condition = readConditionAfter(folded, at, lexicon, after);
      if (condition) {
        parts.condition = condition.condition;
        end = condition.end;
        continue;
      }
    }
    if (!after.scopes || parts.scope !== null || parts.run !== null) break;
    const word = lexicon.scopes.matchAt(folded, at);
    if (word) {
      parts.scope = word.value;
      end = word.end;
      continue;
    }
    const run = readListAfter(state, at, lexicon.restrictions) ?? readClosedList(state, at, after);
    if (!run) break;
    parts.run = run;
    end = run.end;
  }
  return end;
}

/** "(lower 48 only)": a region list closed by a word that makes it the claim's scope. */
function readClosedList(state: ParseState, at: number, after: AfterClaim): RegionRun | undefined {
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  let end = run.end;
  while (state.folded[end] === " ") end += 1;
  if (!after.regionClosers.matchAt(state.folded, end)) return undefined;
  state.usedRuns.add(run.id);
  return run;
}

function resolveScope(state: ParseState, parts: Parts): { scope: ClaimScope; regions: RegionCode[] } {
  const { regions } = state;
  if (parts.run) {
    // A place below province level (广州市区包邮) promises that place, not its province.
    const codes = parts.run.codes.filter((c) => !parts.run?.partial.includes(c));
    if (codes.length === 0) return { scope: "local", regions: [] };
    if (coversMainland(codes, regions))
      return { scope: "all", regions: codes.filter((c) => !regions.mainland.includes(c)) };
    return { scope: "regions", regions: codes };
  }
  if (parts.scope) return { scope: parts.scope.scope, regions: parts.scope.global ? [...regions.nonMainland] : [] };
  return { scope: "all", regions: [] };
}

/** 全国包邮（含港澳台）: regions named after an inclusion word join the claim. */
function readInclusions(state: ParseState, end: number): RegionCode[] {
  return readListAfter(state, end, state.lexicon.inclusions)?.codes ?? [];
}

/** 包邮（仅限江浙沪）: regions named after a restriction word are the claim's scope. */
function readRestriction(state: ParseState, end: number): RegionRun | undefined {
  return readListAfter(state, end, state.lexicon.restrictions);
}

function readListAfter(state: ParseState, end: number, words: PhraseIndex<true>): RegionRun | undefined {
  const { folded } = state;
  let at = end;
  while (folded[at] === " " || folded[at] === "(" || folded[at] === ",") at += 1;
  const word = words.matchAt(folded, at);
  if (!word) return undefined;
  let start = word.end;
  while (folded[start] === " " || folded[start] === ":") start += 1;
  const run = state.runStartingAt(start);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return run;
}
