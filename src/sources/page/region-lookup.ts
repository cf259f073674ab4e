import type { RegionCatalogue, RegionCode } from "../../model.js";

/** Region catalogues by ISO 3166-1 country: CN (GB/T 2260 codes) and every rules/regions/<cc>.yaml (ISO 3166-2). */
export type CountryCatalogues = ReadonlyMap<string, RegionCatalogue>;

/** The regions an unscoped destination in a country covers: its "mainland" set, or the country code itself. */
export function countryRegions(country: string, catalogues: CountryCatalogues): RegionCode[] {
  const catalogue = catalogues.get(country);
  return catalogue ? [...catalogue.mainland] : [country];
}

/**
 * One `addressRegion` value → region codes. CN: names, aliases, GB/T 2260 codes and `CN-65`; US: `AK`,
 * `US-AK`, names and group words; elsewhere an ISO 3166-2 code or its subdivision part.
 */
export function resolveRegion(country: string, term: string, catalogues: CountryCatalogues): RegionCode[] | undefined {
  const text = term.trim();
  const upper = text.toUpperCase();
  const catalogue = catalogues.get(country);
  if (!catalogue) {
    if (/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(upper) && upper.startsWith(`${country}-`)) return [upper];
    return /^[A-Z0-9]{1,3}$/.test(upper) ? [`${country}-${upper}`] : undefined;
  }
  if (country === "CN") {
    const numeric = upper.match(/^CN-(\d{2})$/);
    return catalogue.resolve(numeric ? `${numeric[1]}0000` : text)?.slice();
  }
  for (const code of [upper, `${country}-${upper}`]) if (catalogue.get(code)) return [code];
  return catalogue.resolve(text)?.slice();
}
