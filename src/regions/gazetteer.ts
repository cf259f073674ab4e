import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { RegionCode } from "../model.js";
import type { Result } from "../util/result.js";

/** How the region data reads places below province level (rules/regions/cn.yaml `gazetteer`). */
export interface GazetteerSpec {
  /** An npm package whose data.json maps a GB/T 2260 parent code to its children's codes and names. */
  package: string;
  /** Division names that are no place (市辖区, 省直辖县级行政区划). */
  skip: string[];
  /** Prefecture suffixes dropped for the short form sellers write (酒泉市 → 酒泉, 阿拉善盟 → 阿拉善). */
  shortSuffixes: string[];
  /** Ethnic names that start the tail of an autonomous prefecture's name (临夏回族自治州 → 临夏, 临夏州). */
  ethnicNames: string[];
  /** Below this length a county or district name is a common word (城区, 郊区), not a place. */
  minCountyLength: number;
  /** County suffixes dropped for a short form (门头沟区 → 门头沟) that keeps `minCountyLength`. */
  countySuffixes: string[];
}

/** A place below province level, and the forms it is written in. */
export interface Place {
  province: RegionCode;
  /** The full name (酒泉市) first, then short forms (酒泉) that count only next to another region. */
  names: string[];
  shortForms: string[];
}

type DivisionData = Record<string, Record<string, string>>;

/** Reads the places of the gazetteer package: prefectures with their short forms, and counties. */
export async function readPlaces(spec: GazetteerSpec, provinces: ReadonlySet<RegionCode>): Promise<Result<Place[]>> {
  let data: DivisionData;
  try {
    const file = createRequire(import.meta.url).resolve(`${spec.package}/data.json`);
    data = JSON.parse(await readFile(file, "utf8")) as DivisionData;
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          file: "gazetteer",
          key: "gazetteer.package",
          message: `cannot read ${spec.package}: ${(error as Error).message}`,
        },
      ],
    };
  }
  const skip = new Set(spec.skip);
  const places: Place[] = [];
  for (const province of provinces) {
    for (const [prefectureCode, prefecture] of Object.entries(data[province] ?? {})) {
      if (!skip.has(prefecture))
        places.push({ province, names: [prefecture], shortForms: shortFormsOf(prefecture, spec) });
      for (const county of Object.values(data[prefectureCode] ?? {})) {
        if (skip.has(county) || county.length < spec.minCountyLength) continue;
        places.push({ province, names: [county], shortForms: countyShortForms(county, spec) });
      }
    }
  }
  return { ok: true, value: places };
}

/** 门头沟区 → 门头沟: a county's short form, when it is still long enough not to be a common word. */
function countyShortForms(name: string, spec: GazetteerSpec): string[] {
  const suffix = spec.countySuffixes.find((s) => name.endsWith(s));
  return suffix !== undefined && name.length - suffix.length >= spec.minCountyLength
    ? [name.slice(0, -suffix.length)]
    : [];
}

function shortFormsOf(name: string, spec: GazetteerSpec): string[] {
  if (name.endsWith("自治州")) {
    const cut = firstEthnicName(name, spec.ethnicNames);
    return cut >= 2 ? [`${name.slice(0, cut)}州`, name.slice(0, cut)] : [];
  }
  for (const suffix of spec.shortSuffixes) {
    if (name.endsWith(suffix) && name.length - suffix.length >= 2) return [name.slice(0, -suffix.length)];
  }
  return [];
}

function firstEthnicName(name: string, ethnicNames: readonly string[]): number {
  let cut = -1;
  for (const ethnic of ethnicNames) {
    const at = name.indexOf(ethnic, 2);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  return cut;
}
