import type { FeeRow, FeeSchedule, RegionCatalogue } from "../model.js";
import { labelArea, type ResolvedArea } from "./area-terms.js";

/** How merchants know the default row (默认运费). */
const DEFAULT_LABEL = "默认";

/** A default row over the 31 mainland provinces (全国 / destination `1`). */
export function createDefaultRow(schedule: FeeSchedule, regions: RegionCatalogue, line?: number): FeeRow {
  return {
    ...pickSchedule(schedule),
    areas: [...regions.mainland],
    label: DEFAULT_LABEL,
    ...(line === undefined ? {} : { line }),
  };
}

/** The zero-fee default row of a seller-pays template: free wherever it delivers. */
export function createFreeDefault(regions: RegionCatalogue, line?: number): FeeRow {
  return createDefaultRow({ first: 1, firstFee: 0, next: 1, nextFee: 0 }, regions, line);
}

/** A row for named areas; provinces named only by sub-province codes are marked `partial`. */
export function createAreaRow(
  schedule: FeeSchedule,
  areas: readonly ResolvedArea[],
  regions: RegionCatalogue,
  line?: number,
): FeeRow {
  const whole = new Set(areas.filter((a) => !a.partial).flatMap((a) => a.codes));
  const partial = [...new Set(areas.filter((a) => a.partial).flatMap((a) => a.codes))]
    .filter((c) => !whole.has(c))
    .sort();
  return {
    ...pickSchedule(schedule),
    areas: [...new Set([...whole, ...partial])].sort(),
    label: areas.map((a) => labelArea(a, regions)).join("、"),
    ...(line === undefined ? {} : { line }),
    ...(partial.length > 0 ? { partial } : {}),
  };
}

function pickSchedule(s: FeeSchedule): FeeSchedule {
  return { first: s.first, firstFee: s.firstFee, next: s.next, nextFee: s.nextFee };
}
