import type { RegionCatalogue, RegionCode, RegionMention } from "../model.js";
import { PhraseIndex } from "./phrase-index.js";

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
}

/** The phrase lists that shape region lists. */
export interface RunVocabulary {
  joiners: PhraseIndex<true>;
  suffixes: PhraseIndex<true>;
  openMarkers: PhraseIndex<true>;
  modifiers: PhraseIndex<true>;
  vagueRegions: PhraseIndex<true>;
}

const MAX_GAP = 8;

type Gap = { ok: false } | { ok: true; open: boolean; depth: number; opensParen: boolean; empty: boolean };

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
    i = j;
  }
  return runs;
}

function collectMentions(text: string, start: number, end: number, regions: RegionCatalogue, vocabulary: RunVocabulary): RegionMention[] {
  const slice = text.slice(start, end);
  const shift = (m: RegionMention): RegionMention => ({ ...m, start: m.start + start, end: m.end + start });
  const found = regions
    .findMentions(slice)
    .filter((m) => !coversMainland(m.codes, regions))
    .map(shift);
  const vague = vocabulary.vagueRegions
    .scan(slice)
    .map((v): RegionMention => ({ text: v.text, start: v.start + start, end: v.end + start, codes: regions.remote, group: v.text, vague: true }))
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
  if (!mainland) mainlandSets.set(regions, (mainland = new Set(regions.mainland)));
  let found = 0;
  for (const code of codes) if (mainland.has(code)) found += 1;
  return found === mainland.size;
}

function readGap(text: string, from: number, to: number, depth: number, vocabulary: RunVocabulary): Gap {
  if (to - from > MAX_GAP) return { ok: false };
  let open = false;
  let opensParen = false;
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
    const word = marker ?? vocabulary.joiners.matchAt(text, i) ?? vocabulary.suffixes.matchAt(text, i);
    if (!word || word.end > to) return { ok: false };
    open ||= marker !== undefined;
    i = word.end;
  }
  return { ok: true, open, depth, opensParen, empty: from === to };
}

function readTail(text: string, from: number, depth: number, vocabulary: RunVocabulary): { end: number; open: boolean } {
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
    if (!word) break;
    open ||= marker !== undefined;
    end = word.end;
  }
  return { end, open };
}

/**
 * An open group is closed by the names attached to it — 偏远地区（新疆、西藏） or 新疆西藏偏远地区 —
 * and then stands for exactly those names; otherwise it adds the remote set and makes the list vague.
 */
function readCodes(
  members: readonly RegionMention[],
  gaps: readonly Gap[],
  openTail: boolean,
  regions: RegionCatalogue,
): { codes: RegionCode[]; vague: boolean } {
  const codes = new Set<RegionCode>();
  let vague = openTail || gaps.some((g) => g.ok && g.open);
  members.forEach((m, i) => {
    if (!m.vague) {
      for (const c of m.codes) codes.add(c);
      return;
    }
    const after = gaps[i];
    const before = i > 0 ? gaps[i - 1] : undefined;
    const namedAfter = after?.ok === true && after.opensParen && members[i + 1]?.vague === false;
    const previous = members[i - 1];
    const namedBefore = before?.ok === true && before.empty && previous !== undefined && !previous.vague && previous.group === undefined;
    if (namedAfter || namedBefore) return;
    vague = true;
    for (const c of m.codes) codes.add(c);
  });
  if (vague) for (const c of regions.remote) codes.add(c);
  return { codes: [...codes].sort(), vague };
}
