import type { Disclosure } from "../model.js";
import type { Anchor, CompiledLexicon } from "./compile-lexicon.js";
import { readNumber } from "./numbers.js";
import type { ParseState } from "./parse-state.js";
import type { PhraseIndex, PhraseMatch } from "./phrase-index.js";
import type { RegionRun } from "./region-runs.js";
import { linesOf, type Segments } from "./sentences.js";

/*
 * How a disclosure is composed (docs/reading.md has the grammar with an example per production):
 *
 *   regions  glue*  marker  [fee]       新疆西藏除外 · 青海、宁夏为非包邮区 · 新疆西藏补差价8元
 *   marker  head*  [:]  regions         不包邮的地区：新疆 西藏 · 不发货地区有新疆
 *   verb  object-glue*  regions         不发青海、甘肃 · 不发往新疆西藏 · 暂不支持寄往港澳台
 *   frame-prefix  regions  frame-verb   不支持港澳台地区配送
 *   prefix  regions  [closer]           除新疆西藏外 · 不含港澳台
 *
 * Region lists are read by region-runs.ts; every word class above is a list in rules/lexicon/.
 */

const MAX_FILLERS = 4;

/**
 * Regions + marker: 新疆西藏除外, 偏远地区不包邮, 港澳台不发货, 新疆西藏补运费10元, or marker + regions
 * (不包邮地区：新疆、西藏; 不发往新疆). Undefined when no region list stands there. A list another
 * statement already read may be read again (不含港澳台，新疆、青海不包邮: both say something of it).
 */
export function readDisclosure(
  state: ParseState,
  anchor: PhraseMatch<Anchor>,
  kind: Disclosure["kind"],
  needsAmount: boolean,
): Disclosure | undefined {
  const fee = kind === "surcharge" ? readFee(state.folded, anchor.end, state.lexicon) : undefined;
  if (needsAmount && fee === undefined) return undefined;
  const run =
    findRunBefore(state, anchor.start, state.lexicon.disclosureFillers) ?? findRunBeforeReason(state, anchor.start);
  if (run) {
    state.usedRuns.add(run.id);
    const end = fee?.end ?? anchor.end;
    const named = run.vague ? readNamedAfter(state, end) : undefined;
    if (named) return makeDisclosure(state, named.run, run.start, named.end, kind, fee?.value ?? null);
    return makeDisclosure(state, run, run.start, end, kind, fee?.value ?? null);
  }
  return fee === undefined ? readListAfter(state, anchor, kind) : undefined;
}

/**
 * 偏远地区不包邮（新疆、西藏）, 部分地区暂时不能购买 新疆、西藏: a closed list in brackets, after a colon or
 * a space right after names what the open group meant.
 */
function readNamedAfter(state: ParseState, from: number): { run: RegionRun; end: number } | undefined {
  const { folded } = state;
  let at = from;
  while (folded[at] === " " || folded[at] === ":") at += 1;
  const bracket = folded[at] === "(";
  if (!bracket && at === from) return undefined;
  if (bracket) return readDefinition(state, at + 1) ?? readBracketed(state, at + 1);
  const run = state.runStartingAt(at);
  if (!run || run.vague || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return { run, end: run.end };
}

function readBracketed(state: ParseState, at: number): { run: RegionRun; end: number } | undefined {
  const run = state.runStartingAt(at);
  const close = run ? closingBracket(state.folded, run.end) : undefined;
  if (!run || run.vague || close === undefined || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return { run, end: close };
}

/** Just past the bracket that closes a list, a few characters on at most (…、新疆四地）). */
function closingBracket(text: string, from: number): number | undefined {
  const close = text.indexOf(")", from);
  return close >= 0 && close - from <= MAX_DEFINITION_TAIL ? close + 1 : undefined;
}

/** （偏远地区包括：青海、新疆、云南）: the group named again, a list head, then the closed list it stands for. */
function readDefinition(state: ParseState, at: number): { run: RegionRun; end: number } | undefined {
  const { folded, lexicon } = state;
  const group = state.runStartingAt(at);
  if (!group?.vague) return undefined;
  let next = skipWords(folded, group.end, lexicon.listHeads);
  while (folded[next] === ":" || folded[next] === " ") next += 1;
  if (next === group.end) return undefined;
  const run = state.runStartingAt(next);
  if (!run || run.vague || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(group.id).add(run.id);
  return { run, end: closingBracket(folded, run.end) ?? run.end };
}

/** What may stand between a defining list and its bracket (…、新疆四地）). */
const MAX_DEFINITION_TAIL = 4;

/**
 * Marker + regions: a verb takes its regions as object (不发青海; 不发往新疆), and any marker heads a list
 * after list-head words or a colon (不包邮的地区：新疆、西藏; 不发货地区有新疆), or a list introducer ("free
 * shipping is not available in Alaska").
 */
function readListAfter(
  state: ParseState,
  anchor: PhraseMatch<Anchor>,
  kind: Disclosure["kind"],
): Disclosure | undefined {
  const { folded, lexicon } = state;
  let at = anchor.end;
  let headed = anchor.value.kind === "marker" && anchor.value.takesObject === true;
  if (headed) at = skipWords(folded, at, lexicon.objectGlue);
  for (let word = matchHead(state, at); word !== undefined; word = matchHead(state, at)) {
    at = word;
    headed = true;
  }
  while (folded[at] === " ") at += 1;
  if (folded[at] === ":") {
    at += 1;
    headed = true;
  } else {
    const introducer = lexicon.listIntroducers.matchAt(folded, at);
    if (introducer) {
      at = introducer.end;
      headed = true;
    }
  }
  if (!headed) return undefined;
  while (folded[at] === " ") at += 1;
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  state.usedRuns.add(run.id);
  return makeDisclosure(state, run, anchor.start, run.end, kind, null);
}

function matchHead(state: ParseState, at: number): number | undefined {
  return (state.lexicon.listHeads.matchAt(state.folded, at) ?? state.lexicon.run.suffixes.matchAt(state.folded, at))
    ?.end;
}

function skipWords(text: string, from: number, words: PhraseIndex<true>): number {
  let at = from;
  for (let word = words.matchAt(text, at); word; word = words.matchAt(text, at)) at = word.end;
  return at;
}

/** 不支持港澳台地区配送: frame prefix, regions, frame verb — not delivered. */
export function readFrame(state: ParseState, anchor: PhraseMatch<Anchor>): Disclosure | undefined {
  const { folded, lexicon } = state;
  let at = anchor.end;
  while (folded[at] === " ") at += 1;
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  let end = run.end;
  while (folded[end] === " ") end += 1;
  const verb = lexicon.frameVerbs.matchAt(folded, end);
  if (!verb) return undefined;
  state.usedRuns.add(run.id);
  return makeDisclosure(state, run, anchor.start, verb.end, "no-delivery", null);
}

/**
 * Marker + regions (+ closer): 除新疆西藏外, 不含港澳台. A surcharge prefix reads its fee before the
 * marker or after the regions ("$10 surcharge for Alaska and Hawaii", "extra for Alaska: $10").
 */
export function readPrefixDisclosure(state: ParseState, anchor: PhraseMatch<Anchor>): Disclosure | undefined {
  let at = anchor.end;
  while (state.folded[at] === " " || state.folded[at] === ":") at += 1;
  const run = state.runStartingAt(at);
  if (!run || state.usedRuns.has(run.id)) return undefined;
  const closer = state.lexicon.closers.matchAt(state.folded, run.end);
  const end = closer?.end ?? run.end;
  if (anchor.value.kind !== "prefix" || anchor.value.surcharge !== true) {
    state.usedRuns.add(run.id);
    return makeDisclosure(state, run, anchor.start, end, "exclusion", null);
  }
  const from = Math.max(0, anchor.start - 16);
  const before = state.lexicon.feeBefore.exec(state.folded.slice(from, anchor.start));
  const value = before ? readNumber(before[2] as string, state.lexicon.numerals) : undefined;
  const fee =
    value === undefined ? readFee(state.folded, end, state.lexicon) : { value, start: from + (before?.index ?? 0) };
  if (fee === undefined) return undefined;
  state.usedRuns.add(run.id);
  const span = "start" in fee ? { start: fee.start, end } : { start: anchor.start, end: fee.end };
  return makeDisclosure(state, run, span.start, span.end, "surcharge", fee.value);
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
  return {
    text: state.original.slice(start, end),
    start,
    end,
    regions: [...run.codes],
    fee,
    vague: run.vague,
    kind,
    ...(run.partial.length > 0 ? { partial: [...run.partial] } : {}),
  };
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

/** How far back, within its sentence, a reason may start (由于地区偏远，气候原因，). */
const REASON_REACH = 24;

/** 黑龙江、吉林由于地区偏远，气候原因，暂不配送: the list before a reason that ends at the marker. */
function findRunBeforeReason(state: ParseState, end: number): RegionRun | undefined {
  const { folded, lexicon } = state;
  const from = Math.max(state.sentences().around(end)[0], end - REASON_REACH);
  for (let at = end - 1; at >= from; at -= 1) {
    if (!lexicon.reasonWords.matchAt(folded, at)) continue;
    const run = findRunBefore(state, at, lexicon.disclosureFillers);
    if (run) return run;
  }
  return undefined;
}

/**
 * Marks disclosures reached through an asterisk or 注: (they count as description-only, see
 * docs/semantics.md#disclosure-placement), and those on a line that starts with a footnote line marker ("* Alaska and
 * Hawaii: $12.95").
 */
export function markFootnotes(state: ParseState, disclosures: Disclosure[]): void {
  const { folded, lexicon } = state;
  let lines: Segments | undefined;
  for (const d of disclosures) {
    let at = d.start;
    while (at > 0 && (folded[at - 1] === " " || folded[at - 1] === "(")) at -= 1;
    if (lexicon.footnoteMarkers.matchEndingAt(folded, at)) d.footnote = true;
    else {
      lines ??= linesOf(folded);
      if (startsFootnoteLine(folded, lines.around(d.start)[0], d.start, lexicon.footnoteLineMarkers)) d.footnote = true;
    }
  }
}

function startsFootnoteLine(folded: string, lineStart: number, at: number, markers: PhraseIndex<true>): boolean {
  let start = lineStart;
  while (folded[start] === " ") start += 1;
  return start < at && markers.matchAt(folded, start) !== undefined;
}

/** A stated fee right after a surcharge marker (补运费10元, 加收¥15). */
export function readFee(
  folded: string,
  from: number,
  lexicon: CompiledLexicon,
): { value: number; end: number } | undefined {
  const m = lexicon.feeAfter.exec(folded.slice(from, from + 16));
  if (!m) return undefined;
  const [whole, currency, digits, unit] = m;
  if (currency === undefined && unit === undefined) return undefined;
  const value = readNumber(digits as string, lexicon.numerals);
  return value === undefined ? undefined : { value, end: from + whole.length };
}
