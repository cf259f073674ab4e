import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Platform, RegionCatalogue, RegionCode } from "../model.js";
import { loadCountryCatalogues } from "../regions/load-regions.js";
import { loadLexicon, type Lexicon } from "../text/lexicon.js";
import type { LocatedError, Result } from "../util/result.js";
import { parseCountryTexts } from "./country-texts.js";
import type { Rule } from "../rules/rule.js";
import type { RuleTexts } from "./rule-texts.js";
import { readLocatedText, shownDataPath } from "../util/read-located.js";

/**
 * What reading listings outside Chinese platforms needs (see docs/english.md): the other lexicons, region data per
 * country and the wording of findings about offers in those countries.
 */
export interface International {
  /** Lexicons other than the configured Chinese one (rules/lexicon/*.yaml), by `language`. */
  lexicons: ReadonlyMap<string, Lexicon>;
  /** Region catalogues by ISO 3166-1 code (rules/regions/<cc>.yaml), China's excepted: it comes from the config. */
  regions: ReadonlyMap<string, RegionCatalogue>;
  /** Rule texts per country (rules/countries/<cc>.yaml laid over rules/rules.yaml). */
  texts: ReadonlyMap<string, RuleTexts>;
  /** Per platform, the extra lexicons every listing is read with (a pack's `lexicons`). */
  platformLexicons: Readonly<Record<Platform, readonly string[]>>;
}

const CHINESE_LEXICON = "zh-CN.yaml";

/** Loads the other lexicons, countries' region data and countries' wording from the rules folder. */
export async function loadInternational(
  dir: string,
  texts: RuleTexts,
  rules: readonly Rule[],
  platformLexicons: Readonly<Record<Platform, readonly string[]>>,
): Promise<Result<International>> {
  const errors: LocatedError[] = [];
  const lexicons = new Map<string, Lexicon>();
  for (const file of await listYaml(path.join(dir, "lexicon"), CHINESE_LEXICON)) {
    const loaded = await loadLexicon(file);
    if (loaded.ok) lexicons.set(loaded.value.language, loaded.value);
    else errors.push(...loaded.errors);
  }
  const regions = await loadCountryCatalogues(path.join(dir, "regions"));
  if (!regions.ok) errors.push(...regions.errors);
  const countryTexts = new Map<string, RuleTexts>();
  for (const file of await listYaml(path.join(dir, "countries"))) {
    const source = await readLocatedText(file);
    if (!source.ok) {
      errors.push(...source.errors);
      continue;
    }
    const parsed = parseCountryTexts(source.value, shownDataPath(file), texts, rules);
    if (parsed.ok) countryTexts.set(parsed.value.country, parsed.value.texts);
    else errors.push(...parsed.errors);
  }
  for (const [platform, names] of Object.entries(platformLexicons)) {
    for (const name of names) {
      if (!lexicons.has(name) && name !== "zh-CN")
        errors.push({
          file: shownDataPath(path.join(dir, "packs", `${platform}.yaml`)),
          key: "lexicons",
          message: `no lexicon "${name}" in ${shownDataPath(path.join(dir, "lexicon"))}`,
        });
    }
  }
  if (errors.length > 0 || !regions.ok) return { ok: false, errors };
  return { ok: true, value: { lexicons, regions: regions.value, texts: countryTexts, platformLexicons } };
}

async function listYaml(folder: string, except?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".yaml") && n !== except)
    .sort()
    .map((n) => path.join(folder, n));
}

/**
 * A catalogue for a country without region data: the country code stands for the whole country, which is
 * what an unscoped claim covers and what structured data names (`addressCountry` alone).
 */
export function createCountryCatalogue(country: string): RegionCatalogue {
  const info = { code: country, name: country, shortName: country, aliases: [], mainland: true };
  const whole: readonly RegionCode[] = [country];
  return {
    mainland: whole,
    remote: [],
    nonMainland: [],
    get: (code) => (code === country ? info : undefined),
    resolve: (term) => (term.trim().toUpperCase() === country ? whole : undefined),
    findMentions: () => [],
    mentionsAny: () => false,
  };
}
