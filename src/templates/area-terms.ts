import type { RegionCatalogue, RegionCode } from "../model.js";

/** One area a template names, resolved: `partial` when a sub-province code stands for part of `codes[0]`. */
export interface ResolvedArea {
  term: string;
  codes: readonly RegionCode[];
  partial: boolean;
}

const AREA_CODE = /^\d{6}$/;

/** Resolves a name, alias, group word or GB/T 2260 code; undefined when the catalogue does not know it. */
export function resolveArea(term: string, regions: RegionCatalogue): ResolvedArea | undefined {
  const text = term.trim();
  const codes = regions.resolve(text);
  if (!codes) return undefined;
  const partial = AREA_CODE.test(text) && codes.length === 1 && codes[0] !== text;
  return { term: text, codes, partial };
}

/** How a merchant recognises an area: the words they wrote, a code as its region's name, 新疆(650100) for part of one. */
export function labelArea(area: ResolvedArea, regions: RegionCatalogue): string {
  if (!AREA_CODE.test(area.term)) return area.term;
  const names = area.codes.map((code) => nameRegion(code, regions)).join("、");
  return area.partial ? `${names}(${area.term})` : names;
}

/** Short name of a region code, for messages and labels. */
export function nameRegion(code: RegionCode, regions: RegionCatalogue): string {
  return regions.get(code)?.shortName ?? code;
}
