import type { RegionCatalogue, RegionCode, RegionGroup } from "../../model.js";

/** What folding needs from the run's region data: the mainland provinces (with short names) and group words. */
export interface RegionSets {
  mainland: ReadonlyArray<{ code: RegionCode; name: string }>;
  groups: readonly RegionGroup[];
}

/** What a run's region catalogue tells the HTML report, named by their short names (新疆, 西藏). */
export function describeRegionSets(regions: RegionCatalogue): RegionSets {
  return {
    mainland: regions.mainland.map((code) => ({ code, name: regions.get(code)?.shortName ?? code })),
    groups: regions.groups ?? [],
  };
}

/** The words of a folded list, in the run's language (report-labels.ts). */
export interface FoldWords {
  allProvinces: (count: number) => string;
  provincesExcept: (excluded: string, count: number) => string;
  listSeparator: string;
}

/** A list names at least this many mainland provinces before it is folded. */
const FOLD_MIN = 10;
/** At most this many missing provinces are named one by one when no group word names them. */
const NAMED_EXCEPTIONS = 4;

/**
 * Folds a long list of regions into words a reader takes in at once: 「全部 31 个省份」, 「除江浙沪外 28 个
 * 省份」 (the missing provinces are a group word of the region data) or 「除新疆、西藏外 29 个省份」; regions
 * outside the mainland follow the fold by name. Undefined when the list is short or too ragged to fold.
 */
export function foldRegions(
  regions: ReadonlyArray<{ code: RegionCode; name: string }>,
  sets: RegionSets | undefined,
  words: FoldWords,
): string | undefined {
  if (sets === undefined) return undefined;
  const listed = new Set(regions.map((r) => r.code));
  const mainland = sets.mainland.filter((r) => listed.has(r.code));
  if (mainland.length < FOLD_MIN) return undefined;
  const missing = sets.mainland.filter((r) => !listed.has(r.code));
  const head = missing.length === 0 ? words.allProvinces(mainland.length) : exceptPhrase(missing, mainland.length);
  if (head === undefined) return undefined;
  const mainlandCodes = new Set(sets.mainland.map((r) => r.code));
  const others = regions.filter((r) => !mainlandCodes.has(r.code)).map((r) => r.name);
  return [head, ...others].join(words.listSeparator);

  function exceptPhrase(absent: ReadonlyArray<{ code: RegionCode; name: string }>, count: number) {
    const absentCodes = new Set(absent.map((r) => r.code));
    const group = sets?.groups.find(
      (g) => g.vague !== true && g.members.length === absentCodes.size && g.members.every((c) => absentCodes.has(c)),
    );
    if (group !== undefined) return words.provincesExcept(group.name, count);
    if (absent.length > NAMED_EXCEPTIONS) return undefined;
    return words.provincesExcept(absent.map((r) => r.name).join(words.listSeparator), count);
  }
}
