import type { RegionCatalogue, RegionCode, RegionInfo, RegionMention } from "../model.js";
import { nearestNames } from "../util/nearest.js";
import type { GazetteerSpec, Place } from "./gazetteer.js";

/** The region data file after validation (see rules/regions/cn.yaml). */
export interface RegionData {
  regions: Array<{
    code: string;
    name: string;
    short: string;
    aliases?: string[];
    abbreviations?: string[];
    set: "mainland" | "non-mainland";
  }>;
  remote: string[];
  groups: Array<{ name: string; aliases?: string[]; members: string[]; vague?: boolean }>;
  /** Where places below province level come from (China: GB/T 2260 prefectures and counties). */
  gazetteer?: GazetteerSpec;
  /** Words that name the mainland as a whole (大陆, 内地): a text using one has said where the offer holds. */
  mainlandNames?: string[];
}

interface Term {
  text: string;
  codes: readonly RegionCode[];
  group?: string;
  vague: boolean;
  partial?: true;
  weak?: true;
}

const SET_REFERENCES = ["$mainland", "$remote", "$non-mainland"] as const;

/**
 * Builds the catalogue. `remote` overrides the data's remote set (config `remoteRegions`).
 * Throws on references to unknown codes: callers validate data files before building.
 */
export function buildRegionCatalogue(
  data: RegionData,
  remoteOverride?: readonly RegionCode[],
  places: readonly Place[] = [],
): RegionCatalogue {
  const byCode = new Map<RegionCode, RegionInfo>();
  for (const r of data.regions) {
    byCode.set(r.code, {
      code: r.code,
      name: r.name,
      shortName: r.short,
      aliases: r.aliases ?? [],
      mainland: r.set === "mainland",
    });
  }
  const sorted = (codes: Iterable<RegionCode>) => [...new Set(codes)].sort();
  const mainland = sorted(data.regions.filter((r) => r.set === "mainland").map((r) => r.code));
  const nonMainland = sorted(data.regions.filter((r) => r.set === "non-mainland").map((r) => r.code));
  const remote = sorted(remoteOverride ?? data.remote);
  const sets: Record<(typeof SET_REFERENCES)[number], readonly RegionCode[]> = {
    $mainland: mainland,
    $remote: remote,
    "$non-mainland": nonMainland,
  };
  const expand = (members: readonly string[]) =>
    sorted(members.flatMap((m) => (m in sets ? sets[m as keyof typeof sets] : [m])));

  const terms = new Map<string, Term>();
  const addTerm = (text: string, term: Omit<Term, "text">) => {
    const key = text.toLowerCase();
    if (!terms.has(key)) terms.set(key, { text: key, ...term });
  };
  for (const info of byCode.values()) {
    for (const text of [info.name, info.shortName, ...info.aliases])
      addTerm(text, { codes: [info.code], vague: false });
  }
  for (const g of data.groups) {
    const codes = expand(g.members);
    for (const text of [g.name, ...(g.aliases ?? [])]) addTerm(text, { codes, group: g.name, vague: g.vague === true });
  }
  // Every name and alias, each offered as the name a seller recognises: its region's short name or its group's name.
  const shownAs = new Map<string, string>();
  for (const info of byCode.values())
    for (const text of [info.shortName, info.name, ...info.aliases])
      if (!shownAs.has(text)) shownAs.set(text, info.shortName);
  for (const g of data.groups)
    for (const text of [g.name, ...(g.aliases ?? [])]) if (!shownAs.has(text)) shownAs.set(text, g.name);
  for (const [text, term] of placeTerms(places, terms)) addTerm(text, term);
  const trie = buildTermTrie(terms.values());
  // Most characters start no term: a table lookup skips them without a map lookup.
  const firstUnits = new Uint8Array(0x10000);
  for (const unit of trie.next.keys()) firstUnits[unit] = 1;
  const findAbbreviations = abbreviationFinder(data);
  /** First characters of the terms naming any region of a set, per set asked about (mentionsAny). */
  const startsOf = new WeakMap<ReadonlySet<RegionCode>, Uint8Array>();
  /**
   * Walks the mentions of (folded) text, longest term first, non-overlapping, in order; stops and
   * returns true when `visit` does.
   */
  const eachMention = (text: string, visit: (hit: Term, start: number) => boolean): boolean => {
    const lower = text.toLowerCase();
    for (let i = 0; i < lower.length; ) {
      // The longest term starting at i that does not start or end inside a Latin word (内蒙古 over 内蒙).
      const first = lower.charCodeAt(i);
      if (firstUnits[first] !== 1) {
        i += 1;
        continue;
      }
      let hit: Term | undefined;
      let node = trie.next.get(first);
      for (let j = i + 1; node !== undefined; j += 1) {
        if (node.term !== undefined && !insideLatinWord(lower, i, j - i)) hit = node.term;
        node = j < lower.length ? node.next.get(lower.charCodeAt(j)) : undefined;
      }
      if (!hit) {
        i += 1;
        continue;
      }
      if (visit(hit, i)) return true;
      i += hit.text.length;
    }
    return false;
  };
  const groups = data.groups.map((g) => ({ name: g.name, members: expand(g.members), vague: g.vague === true }));

  return {
    mainland,
    remote,
    nonMainland,
    groups,
    mainlandNames: data.mainlandNames ?? [],
    get: (code) => byCode.get(code),
    resolve(term) {
      const t = term.trim();
      if (t === "1") return mainland;
      const known = terms.get(t.toLowerCase());
      // A place below province level (酒泉市) is read in listing text only; template areas name provinces or codes.
      if (known && known.partial !== true) return known.codes;
      if (byCode.has(t)) return [t];
      if (/^\d{6}$/.test(t)) {
        const province = `${t.slice(0, 2)}0000`;
        if (byCode.has(province)) return [province];
      }
      return undefined;
    },
    findMentions(text) {
      const mentions: RegionMention[] = [];
      eachMention(text, (hit, start) => {
        mentions.push({
          text: text.slice(start, start + hit.text.length),
          start,
          end: start + hit.text.length,
          codes: hit.codes,
          ...(hit.group === undefined ? {} : { group: hit.group }),
          vague: hit.vague,
          ...(hit.partial ? { partial: true } : {}),
          ...(hit.weak ? { weak: true } : {}),
        });
        return false;
      });
      return mentions;
    },
    mentionsAny(text, codes) {
      let starts = startsOf.get(codes);
      if (starts === undefined) {
        starts = new Uint8Array(0x10000);
        for (const term of terms.values())
          if (term.codes.some((code) => codes.has(code))) starts[term.text.charCodeAt(0)] = 1;
        startsOf.set(codes, starts);
      }
      // Most texts hold no character that starts such a term: one pass over them settles it.
      const lower = text.toLowerCase();
      let possible = false;
      for (let i = 0; i < lower.length && !possible; i += 1) possible = starts[lower.charCodeAt(i)] === 1;
      return possible && eachMention(text, (hit) => hit.codes.some((code) => codes.has(code)));
    },
    suggest: (term) => nearestNames(term.trim(), shownAs.keys(), 3, (text) => shownAs.get(text) ?? text),
    ...(findAbbreviations ? { findAbbreviations } : {}),
  };
}

/**
 * Place names that no province or group already uses. A name shared by places of different provinces
 * (朝阳区 in 北京 and 吉林) keeps no province: it still belongs to a list, but says nothing about one.
 */
function placeTerms(places: readonly Place[], taken: ReadonlyMap<string, Term>): Map<string, Omit<Term, "text">> {
  const provincesOf = new Map<string, Set<RegionCode>>();
  const weak = new Set<string>();
  const full = new Set<string>();
  const add = (name: string, province: RegionCode) => {
    if (taken.has(name)) return;
    let set = provincesOf.get(name);
    if (!set) {
      set = new Set();
      provincesOf.set(name, set);
    }
    set.add(province);
  };
  for (const place of places) {
    for (const name of place.names) {
      add(name, place.province);
      full.add(name);
    }
    for (const name of place.shortForms) {
      add(name, place.province);
      weak.add(name);
    }
  }
  const out = new Map<string, Omit<Term, "text">>();
  for (const [name, provinces] of provincesOf) {
    const codes = provinces.size === 1 ? [...provinces] : [];
    out.set(name, { codes, vague: false, partial: true, ...(weak.has(name) && !full.has(name) ? { weak: true } : {}) });
  }
  return out;
}

/**
 * Postal abbreviations (AK, HI) are ordinary words in free text ("OR", "IN", "ME"), so they are matched
 * only as written in capitals, as whole words, and callers use them only inside exclusion lists.
 */
function abbreviationFinder(data: RegionData): ((text: string) => RegionMention[]) | undefined {
  const byText = new Map<string, RegionCode>();
  for (const r of data.regions) for (const a of r.abbreviations ?? []) if (!byText.has(a)) byText.set(a, r.code);
  if (byText.size === 0) return undefined;
  const alternatives = [...byText.keys()]
    .sort((a, b) => b.length - a.length)
    .map((a) => a.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${alternatives.join("|")})(?![A-Za-z0-9])`, "g");
  return (text) =>
    [...text.matchAll(pattern)].map((m) => ({
      text: m[0],
      start: m.index,
      end: m.index + m[0].length,
      codes: [byText.get(m[0]) as RegionCode],
      vague: false,
    }));
}

interface TermNode {
  next: Map<number, TermNode>;
  term?: Term;
}

/** A trie over the terms' UTF-16 units: matching costs the length of the match, not the number of terms. */
function buildTermTrie(terms: Iterable<Term>): TermNode {
  const root: TermNode = { next: new Map() };
  for (const term of terms) {
    if (term.text.length === 0) continue;
    let node = root;
    for (let i = 0; i < term.text.length; i += 1) {
      const unit = term.text.charCodeAt(i);
      let next = node.next.get(unit);
      if (next === undefined) {
        next = { next: new Map() };
        node.next.set(unit, next);
      }
      node = next;
    }
    node.term = term;
  }
  return root;
}

/** Latin terms ("mainland", "overseas") only match whole words. */
function insideLatinWord(text: string, start: number, length: number): boolean {
  if (!isLatin(text.charCodeAt(start))) return false;
  return isLatin(text.charCodeAt(start - 1)) || isLatin(text.charCodeAt(start + length));
}

/** a–z or 0–9 (the text is lower-cased); NaN outside the text is not. */
function isLatin(unit: number): boolean {
  return (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39);
}
