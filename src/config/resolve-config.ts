import type { FreeWhenRow, RegionCatalogue, RegionCode } from "../model.js";
import { describeUnknownRegion, splitAreaItem } from "../regions/area-input.js";
import { loadRegionCatalogue } from "../regions/load-regions.js";
import type { LocatedError, Result } from "../util/result.js";
import type { LoadedConfig } from "./load-config.js";

/** The region catalogue with the config's `remoteRegions`; an unknown name is located in the config. */
export async function loadConfiguredRegions(config: LoadedConfig | undefined): Promise<Result<RegionCatalogue>> {
  const base = await loadRegionCatalogue();
  const remote = config?.values.remoteRegions;
  if (!base.ok || !remote) return base;
  const terms: string[] = [];
  const errors: LocatedError[] = [];
  remote.forEach((item, i) => {
    for (const term of splitAreaItem(item, base.value)) {
      if (base.value.resolve(term)) terms.push(term);
      else errors.push(config.errorAt(["remoteRegions", i], describeUnknownRegion(term, base.value)));
    }
  });
  if (errors.length) return { ok: false, errors };
  return loadRegionCatalogue({ remote: terms });
}

/** The config's `promotions` as `freeWhen` rows (origin `promotion`) that apply to every template. */
export function resolvePromotions(config: LoadedConfig | undefined, regions: RegionCatalogue): Result<FreeWhenRow[]> {
  const promotions = config?.values.promotions ?? [];
  const errors: LocatedError[] = [];
  const rows: FreeWhenRow[] = [];
  promotions.forEach((promotion, i) => {
    const areas = new Set<RegionCode>();
    promotion.areas.forEach((item, j) => {
      for (const term of splitAreaItem(item, regions)) {
        const codes = regions.resolve(term);
        if (codes) for (const c of codes) areas.add(c);
        else errors.push(config!.errorAt(["promotions", i, "areas", j], describeUnknownRegion(term, regions)));
      }
    });
    const line = config!.errorAt(["promotions", i], "").line;
    rows.push({
      areas: [...areas].sort(),
      ...(promotion.minAmount === undefined ? {} : { minAmount: promotion.minAmount }),
      ...(promotion.minQuantity === undefined ? {} : { minQuantity: promotion.minQuantity }),
      origin: "promotion",
      ...(line === undefined ? {} : { line }),
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: rows };
}
