import { readdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { RegionCatalogue, RegionCode } from "../model.js";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import { describeUnknownRegion } from "./area-input.js";
import { buildRegionCatalogue, type RegionData } from "./catalogue.js";
import { readPlaces, type Place } from "./gazetteer.js";
import { readLocatedText, shownDataPath } from "../util/read-located.js";

export const BUILTIN_REGIONS_FILE = path.join(PACKAGE_ROOT, "rules", "regions", "cn.yaml");

const nonEmpty = z.string().trim().min(1);

export const regionDataSchema = z.strictObject({
  regions: z
    .array(
      z.strictObject({
        code: nonEmpty,
        name: nonEmpty,
        short: nonEmpty,
        aliases: z.array(nonEmpty).optional(),
        abbreviations: z.array(nonEmpty).optional(),
        set: z.enum(["mainland", "non-mainland"]),
      }),
    )
    .min(1),
  remote: z.array(nonEmpty),
  groups: z.array(
    z.strictObject({
      name: nonEmpty,
      aliases: z.array(nonEmpty).optional(),
      members: z.array(nonEmpty).min(1),
      vague: z.boolean().optional(),
    }),
  ),
  gazetteer: z
    .strictObject({
      package: nonEmpty,
      skip: z.array(nonEmpty),
      shortSuffixes: z.array(nonEmpty),
      ethnicNames: z.array(nonEmpty),
      minCountyLength: z.number().int().positive(),
      countySuffixes: z.array(nonEmpty).default([]),
    })
    .optional(),
  mainlandNames: z.array(nonEmpty).optional(),
}) satisfies z.ZodType<RegionData>;

/** Parses and validates region data; codes referenced by `remote` and groups must exist. */
export function parseRegionData(text: string, file: string): Result<RegionData> {
  const doc = parseLocatedDocument(text, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, regionDataSchema);
  if (!valid.ok) return valid;
  const data = valid.value;
  const known = new Set<string>([...data.regions.map((r) => r.code), "$mainland", "$remote", "$non-mainland"]);
  const errors: LocatedError[] = [];
  data.remote.forEach((code, i) => {
    if (!known.has(code)) errors.push(errorAt(doc.value, ["remote", i], `unknown region code "${code}"`));
  });
  for (const [gi, g] of data.groups.entries())
    for (const [mi, code] of g.members.entries())
      if (!known.has(code))
        errors.push(errorAt(doc.value, ["groups", gi, "members", mi], `unknown region code "${code}"`));
  return errors.length ? { ok: false, errors } : { ok: true, value: data };
}

export interface RegionOptions {
  /** Region data file; the bundled rules/regions/cn.yaml by default. */
  file?: string;
  /** Remote set override: names, aliases or codes (config `remoteRegions`). */
  remote?: readonly string[];
}

/** Reads region data and builds the catalogue, resolving the remote override against it. */
export async function loadRegionCatalogue(options: RegionOptions = {}): Promise<Result<RegionCatalogue>> {
  const file = options.file ?? BUILTIN_REGIONS_FILE;
  const source = await readLocatedText(file);
  if (!source.ok) return source;
  const data = parseRegionData(source.value, shownDataPath(file));
  if (!data.ok) return data;
  const places = await loadPlaces(data.value);
  if (!places.ok) return places;
  const base = buildRegionCatalogue(data.value, undefined, places.value);
  if (!options.remote) return { ok: true, value: base };
  const remote: RegionCode[] = [];
  const errors: LocatedError[] = [];
  for (const term of options.remote) {
    const codes = base.resolve(term);
    if (codes) remote.push(...codes);
    else errors.push({ file: "config", key: "remoteRegions", ...describeUnknownRegion(term, base) });
  }
  return errors.length
    ? { ok: false, errors }
    : { ok: true, value: buildRegionCatalogue(data.value, remote, places.value) };
}

const placeCache = new Map<string, Promise<Result<Place[]>>>();

/** The places below province level of the region data's gazetteer, read once per process. */
function loadPlaces(data: RegionData): Promise<Result<Place[]>> {
  const spec = data.gazetteer;
  if (!spec) return Promise.resolve({ ok: true, value: [] });
  const provinces = new Set(data.regions.map((r) => r.code));
  const key = JSON.stringify(spec);
  let places = placeCache.get(key);
  if (!places) {
    places = readPlaces(spec, provinces);
    placeCache.set(key, places);
  }
  return places;
}

/**
 * Region data of the other countries (see docs/english.md#adding-a-country): every rules/regions/<cc>.yaml but China's,
 * whose catalogue comes from the config, keyed by the upper-cased file name (US).
 */
export async function loadCountryCatalogues(
  dir: string = path.dirname(BUILTIN_REGIONS_FILE),
): Promise<Result<Map<string, RegionCatalogue>>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".yaml") && n !== path.basename(BUILTIN_REGIONS_FILE)).sort();
  } catch {
    return { ok: true, value: new Map() };
  }
  const catalogues = new Map<string, RegionCatalogue>();
  const errors: LocatedError[] = [];
  for (const name of names) {
    const loaded = await loadRegionCatalogue({ file: path.join(dir, name) });
    if (loaded.ok) catalogues.set(path.basename(name, ".yaml").toUpperCase(), loaded.value);
    else errors.push(...loaded.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: catalogues };
}
