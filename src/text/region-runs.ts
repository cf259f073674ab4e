import type { RegionCatalogue, RegionCode, RegionMention } from "../model.js";
import type { PhraseIndex } from "./phrase-index.js";

/** One list of region names as written: 新疆、西藏和青海; 偏远地区（新疆、西藏）; 新疆西藏等地区. */
export interface RegionRun {
  /** Index in the runs of its text. */
  id: number;
  start: number;
  end: number;
  /** Regions the list stands for, sorted. */
  codes: RegionCode[];
  /** An open group or "…等" made the list read as the configured remote set plus what it names. */
  vague: boolean;
  /** Provinces of `codes` the list names only in part (甘肃部分地区, 酒泉市), sorted. */
  partial: RegionCode[];
}

/** The phrase lists that shape region lists. */
export interface RunVocabulary {
  joiners: PhraseIndex<true>;
  suffixes: PhraseIndex<true>;
  openMarkers: PhraseIndex<true>;
  modifiers: PhraseIndex<true>;
  vagueRegions: PhraseIndex<true>;
  /** What ends the name of a place the region data does not know (云龙镇, 高新技术产业开发区). */
  placeSuffixes: PhraseIndex<true>;
  placeStopWords: PhraseIndex<true>;
  definers: PhraseIndex<true>;
}

/** The longest gap between two names of one list; unknown place names in it make it long. */
const MAX_GAP = 32;
/** The longest unknown place name. */
const MAX_PLACE = 10;

type Gap =
  | { ok: false }
  | { ok: true; open: boolean; depth: number; opensParen: boolean; empty: boolean; defines: boolean };

/** A part of the text [start, end) worth looking at for region names. */
export type TextWindow = readonly [number, number];

/** Where capitalised abbreviations (AK, HI) count: windows of the unfolded text, and how to find them. */
export interface Abbreviations {
  text: string;
  windows: readonly TextWindow[];
  find: (text: string) => RegionMention[];
}

/**
 * Groups the region mentions of folded text, within the given windows, into lists. Mentions that stand
 * for the whole mainland (全国, 大陆) are scope words, not regions, and are left out. Open groups named
 * by the lexicon (部分地区) join as vague mentions of the remote set.
 */
export function findRegionRuns(
  text: string,
  windows: readonly TextWindow[],
  regions: RegionCatalogue,
  vocabulary: RunVocabulary,
  abbreviations?: Abbreviations,
): RegionRun[] {
  let mentions = windows.flatMap(([start, end]) => collectMentions(text, start, end, regions, vocabulary));
  if (abbreviations) mentions = addAbbreviations(mentions, abbreviations);
  const runs: RegionRun[] = [];
  for (let i = 0; i < mentions.length; ) {
    const members: RegionMention[] = [mentions[i] as RegionMention];
    const gaps: Gap[] = [];
    let depth = 0;
    let j = i + 1;
    for (; j < mentions.length; j += 1) {
      const prev = members[members.length - 1] as RegionMention;
      const next = mentions[j] as RegionMention;
      const gap = readGap(text, prev.end, next.start, depth, vocabulary);
      if (!gap.ok) break;
      depth = gap.depth;
      gaps.push(gap);
      members.push(next);
    }
    i = j;
    // A short form alone (酒泉) is more often a word than a place.
    if (members.length === 1 && members[0]?.weak === true) continue;
    const last = members[members.length - 1] as RegionMention;
    const tail = readTail(text, last.end, depth, vocabulary);
    const first = members[0] as RegionMention;
    const modifier = vocabulary.modifiers.matchEndingAt(text, first.start);
    runs.push({
      id: runs.length,
      start: modifier ? modifier.start : first.start,
      end: tail.end,
      ...readCodes(members, gaps, tail.open, regions),
    });
  }
  return runs;
}

/** How far back a window grows, step by step, while a list runs into its start. */
const WINDOW_STEP = 48;
const MAX_WINDOW_GROWTH = 1024;

function collectMentions(
  text: string,
  from: number,
  end: number,
  regions: RegionCatalogue,
  vocabulary: RunVocabulary,
): RegionMention[] {
  // A long list (甘肃、青海、…、莲池区不发货) may start before the window: grow it back while a name opens it.
  let start = from;
  while (start > 0 && from - start < MAX_WINDOW_GROWTH) {
    const head = regions.findMentions(text.slice(start, Math.min(end, start + WINDOW_STEP)));
    const first = head[0];
    if (first === undefined || first.start > MAX_GAP) break;
    start = Math.max(0, start - WINDOW_STEP);
  }
  const slice = text.slice(start, end);
  const shift = (m: RegionMention): RegionMention => ({ ...m, start: m.start + start, end: m.end + start });
  const found = regions
    .findMentions(slice)
    .filter((m) => !coversMainland(m.codes, regions))
    .map(shift);
  const vague = vocabulary.vagueRegions
    .scan(slice)
    .map(
      (v): RegionMention => ({
        text: v.text,
        start: v.start + start,
        end: v.end + start,
        codes: regions.remote,
        group: v.text,
        vague: true,
        partial: true,
      }),
    )
    .filter((v) => !found.some((m) => m.start < v.end && v.start < m.end));
  return vague.length ? [...found, ...vague].sort((a, b) => a.start - b.start) : found;
}

/** Abbreviations that no name overlaps join the mentions, in text order. */
function addAbbreviations(mentions: RegionMention[], abbreviations: Abbreviations): RegionMention[] {
  const seen = new Set<number>();
  const found: RegionMention[] = [];
  for (const [start, end] of abbreviations.windows) {
    for (const m of abbreviations.find(abbreviations.text.slice(start, end))) {
      const shifted = { ...m, start: m.start + start, end: m.end + start };
      if (seen.has(shifted.start) || mentions.some((n) => n.start < shifted.end && shifted.start < n.end)) continue;
      seen.add(shifted.start);
      found.push(shifted);
    }
  }
  return found.length ? [...mentions, ...found].sort((a, b) => a.start - b.start) : mentions;
}

const mainlandSets = new WeakMap<RegionCatalogue, ReadonlySet<RegionCode>>();

/** True when the codes include every mainland province (全国, 大陆, 全球 …). */
export function coversMainland(codes: readonly RegionCode[], regions: RegionCatalogue): boolean {
  if (codes.length < regions.mainland.length) return false;
  let mainland = mainlandSets.get(regions);
  if (!mainland) {
    mainland = new Set(regions.mainland);
    mainlandSets.set(regions, mainland);
  }
  let found = 0;
  for (const code of codes) if (mainland.has(code)) found += 1;
  return found === mainland.size;
}

function readGap(text: string, from: number, to: number, depth: number, vocabulary: RunVocabulary): Gap {
  if (to - from > MAX_GAP) return { ok: false };
  let open = false;
  let opensParen = false;
  let defines = false;
  for (let i = from; i < to; ) {
    const ch = text[i];
    if (ch === "(") {
      depth += 1;
      opensParen ||= i === from;
      i += 1;
      continue;
    }
    if (ch === ")") {
      if (depth === 0) return { ok: false };
      depth -= 1;
      i += 1;
      continue;
    }
    const marker = vocabulary.openMarkers.matchAt(text, i);
    const word =
      marker ??
      vocabulary.joiners.matchAt(text, i) ??
      vocabulary.suffixes.matchAt(text, i) ??
      vocabulary.modifiers.matchAt(text, i);
    const end = word?.end ?? readPlace(text, i, to, vocabulary);
    if (end === undefined || end > to) return { ok: false };
    open ||= marker !== undefined;
    defines ||= vocabulary.definers.matchAt(text, i) !== undefined;
    i = end;
  }
  return { ok: true, open, depth, opensParen, empty: from === to, defines };
}

/**
 * An unknown place name at `at` (云龙镇, 高新技术产业开发区): Han characters ending in a place suffix,
 * followed by a joiner, a bracket or `limit`. Returns where it ends.
 */
function readPlace(text: string, at: number, limit: number, vocabulary: RunVocabulary): number | undefined {
  const last = Math.min(limit, at + MAX_PLACE);
  for (let end = at + 2; end <= last && isHan(text.charCodeAt(end - 1)); end += 1) {
    if (!vocabulary.placeSuffixes.matchEndingAt(text, end, at + 1)) continue;
    if (holdsStopWord(text, at, end, vocabulary)) return undefined;
    if (end === limit || text[end] === "(" || text[end] === ")" || vocabulary.joiners.matchAt(text, end)) return end;
  }
  return undefined;
}

function isHan(unit: number): boolean {
  return unit >= 0x4e00 && unit <= 0x9fff;
}

function readTail(
  text: string,
  from: number,
  depth: number,
  vocabulary: RunVocabulary,
): { end: number; open: boolean } {
  let end = from;
  let open = false;
  for (;;) {
    if (depth > 0 && text[end] === ")") {
      depth -= 1;
      end += 1;
      continue;
    }
    const marker = vocabulary.openMarkers.matchAt(text, end);
    const word = marker ?? vocabulary.suffixes.matchAt(text, end);
    if (word) {
      open ||= marker !== undefined;
      end = word.end;
      continue;
    }
    const place = readTrailingPlace(text, end, vocabulary);
    if (place === undefined) break;
    end = place;
  }
  return { end, open };
}

/** 新疆、云龙镇不发货: a joiner and an unknown place name (the shortest that ends in a place suffix) still belong to the list. */
function readTrailingPlace(text: string, from: number, vocabulary: RunVocabulary): number | undefined {
  const joiner = vocabulary.joiners.matchAt(text, from);
  if (!joiner || joiner.text === " ") return undefined;
  const start = joiner.end;
  for (let end = start + 2; end <= start + MAX_PLACE && isHan(text.charCodeAt(end - 1)); end += 1) {
    if (!vocabulary.placeSuffixes.matchEndingAt(text, end, start + 1)) continue;
    return holdsStopWord(text, start, end, vocabulary) ? undefined : end;
  }
  return undefined;
}

function holdsStopWord(text: string, start: number, end: number, vocabulary: RunVocabulary): boolean {
  for (let i = start; i < end; i += 1) {
    const word = vocabulary.placeStopWords.matchAt(text, i);
    if (word && word.end <= end) return true;
  }
  return false;
}

/**
 * An open group is closed by the names attached to it — 偏远地区（新疆、西藏） or 新疆西藏偏远地区 —
 * and then stands for exactly those names; otherwise it adds the remote set and makes the list vague.
 * A province followed at once by a place of its own or by 部分地区 (广东湛江市, 甘肃部分地区) is named
 * only in part, and so is the province of a place named alone (酒泉市).
 */
function readCodes(
  members: readonly RegionMention[],
  gaps: readonly Gap[],
  openTail: boolean,
  regions: RegionCatalogue,
): { codes: RegionCode[]; vague: boolean; partial: RegionCode[] } {
  const codes = new Set<RegionCode>();
  const whole = new Set<RegionCode>();
  let vague = openTail || gaps.some((g) => g.ok && g.open);
  members.forEach((m, i) => {
    const after = gaps[i];
    const next = members[i + 1];
    if (!m.vague) {
      for (const c of m.codes) codes.add(c);
      const narrowed =
        after?.ok === true &&
        after.empty &&
        next !== undefined &&
        next.partial === true &&
        (next.vague || next.codes.every((c) => m.codes.includes(c)));
      if (m.partial !== true && !narrowed) for (const c of m.codes) whole.add(c);
      return;
    }
    const before = i > 0 ? gaps[i - 1] : undefined;
    const namedAfter = after?.ok === true && (after.opensParen || after.defines) && next?.vague === false;
    const previous = members[i - 1];
    const namedBefore =
      before?.ok === true && before.empty && previous !== undefined && !previous.vague && previous.group === undefined;
    if (namedAfter || namedBefore) return;
    vague = true;
    for (const c of m.codes) codes.add(c);
  });
  if (vague) for (const c of regions.remote) codes.add(c);
  const partial = [...codes].filter((c) => !whole.has(c) && !(vague && regions.remote.includes(c))).sort();
  return { codes: [...codes].sort(), vague, partial };
}
