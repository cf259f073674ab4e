import type { RegionCatalogue, RegionCode, RegionInfo, RegionMention } from "../model.js";

/** The region data file after validation (see rules/regions/cn.yaml). */
export interface RegionData {
  regions: Array<{ code: string; name: string; short: string; aliases?: string[]; set: "mainland" | "non-mainland" }>;
  remote: string[];
  groups: Array<{ name: string; aliases?: string[]; members: string[]; vague?: boolean }>;
}

interface Term {
  text: string;
  codes: readonly RegionCode[];
  group?: string;
  vague: boolean;
}

const SET_REFERENCES = ["$mainland", "$remote", "$non-mainland"] as const;

/**
 * Builds the catalogue. `remote` overrides the data's remote set (config `remoteRegions`).
 * Throws on references to unknown codes: callers validate data files before building.
 */
export function buildRegionCatalogue(data: RegionData, remoteOverride?: readonly RegionCode[]): RegionCatalogue {
  const byCode = new Map<RegionCode, RegionInfo>();
  for (const r of data.regions) {
    byCode.set(r.code, { code: r.code, name: r.name, shortName: r.short, aliases: r.aliases ?? [], mainland: r.set === "mainland" });
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
    for (const text of [info.name, info.shortName, ...info.aliases]) addTerm(text, { codes: [info.code], vague: false });
  }
  for (const g of data.groups) {
    const codes = expand(g.members);
    for (const text of [g.name, ...(g.aliases ?? [])]) addTerm(text, { codes, group: g.name, vague: g.vague === true });
  }
  const byFirstChar = indexByFirstChar(terms.values());

  return {
    mainland,
    remote,
    nonMainland,
    get: (code) => byCode.get(code),
    resolve(term) {
      const t = term.trim();
      if (t === "1") return mainland;
      const known = terms.get(t.toLowerCase());
      if (known) return known.codes;
      if (byCode.has(t)) return [t];
      if (/^\d{6}$/.test(t)) {
        const province = `${t.slice(0, 2)}0000`;
        if (byCode.has(province)) return [province];
      }
      return undefined;
    },
    findMentions(text) {
      const mentions: RegionMention[] = [];
      const lower = text.toLowerCase();
      for (let i = 0; i < lower.length; ) {
        const candidates = byFirstChar.get(lower[i] as string);
        const hit = candidates?.find((c) => lower.startsWith(c.text, i) && !insideLatinWord(lower, i, c.text.length));
        if (!hit) {
          i += 1;
          continue;
        }
        mentions.push({
          text: text.slice(i, i + hit.text.length),
          start: i,
          end: i + hit.text.length,
          codes: hit.codes,
          ...(hit.group === undefined ? {} : { group: hit.group }),
          vague: hit.vague,
        });
        i += hit.text.length;
      }
      return mentions;
    },
  };
}

/** Candidates per first character, longest first, so the first hit is the longest match (内蒙古 over 内蒙). */
function indexByFirstChar(terms: Iterable<Term>): Map<string, Term[]> {
  const index = new Map<string, Term[]>();
  for (const term of terms) {
    const first = term.text[0];
    if (first === undefined) continue;
    const list = index.get(first) ?? [];
    list.push(term);
    index.set(first, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.text.length - a.text.length);
  return index;
}

/** Latin terms ("mainland", "overseas") only match whole words. */
function insideLatinWord(text: string, start: number, length: number): boolean {
  const isLatin = (ch: string | undefined) => ch !== undefined && /[a-z0-9]/.test(ch);
  if (!isLatin(text[start])) return false;
  return isLatin(text[start - 1]) || isLatin(text[start + length]);
}
