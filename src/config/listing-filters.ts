import { PLATFORMS, type Finding, type ListingRecord, type Platform, type RuleSetting } from "../model.js";
import { compileGlobs } from "../util/glob.js";
import type { Config } from "./schema.js";

/** What the config's `allow` and `overrides` decide for one listing or finding. */
export interface ListingFilters {
  /** The listing matches `allow.listings` (id) or `allow.urls` (its url or page URL): it is not audited. */
  isAllowlisted(record: ListingRecord): boolean;
  /** The finding's claim text contains an `allow.phrases` entry: it is dropped. */
  isSuppressed(finding: Finding): boolean;
  /**
   * The rule settings for this listing: the config's `rules` with every matching override applied in
   * order, and a key naming the matching overrides (the caller keeps one auditor per key).
   */
  ruleSettingsFor(record: ListingRecord): { key: string; settings: Record<string, RuleSetting> };
}

/** Globs (src/util/glob.ts, linear time) compile once; `platformOf` resolves a listing's own `platform` (aliases included) or the run's. */
export function createListingFilters(values: Config, platformOf: (record: ListingRecord) => Platform): ListingFilters {
  const allowIds = compileGlobs(values.allow?.listings);
  const allowUrls = compileGlobs(values.allow?.urls);
  const phrases = (values.allow?.phrases ?? []).map(foldPhrase);
  const base = values.rules ?? {};
  const overrides = (values.overrides ?? []).map((o) => ({
    platforms: o.match.platform,
    category: o.match.category ? compileGlobs(o.match.category) : undefined,
    id: o.match.id ? compileGlobs(o.match.id) : undefined,
    rules: o.rules,
  }));
  const settingsByKey = new Map<string, Record<string, RuleSetting>>();
  return {
    isAllowlisted({ listing, source }) {
      if (allowIds(listing.id)) return true;
      return [listing.url, source.url].some((url) => url !== undefined && allowUrls(url));
    },
    isSuppressed(finding) {
      if (phrases.length === 0 || finding.claim === null) return false;
      const claim = foldPhrase(finding.claim.text);
      return phrases.some((p) => claim.includes(p));
    },
    ruleSettingsFor(record) {
      const matching: number[] = [];
      overrides.forEach((o, i) => {
        if (o.platforms && !o.platforms.includes(platformOf(record))) return;
        if (o.category && !(record.listing.category !== undefined && o.category(record.listing.category))) return;
        if (o.id && !o.id(record.listing.id)) return;
        matching.push(i);
      });
      const key = matching.join(",");
      let settings = settingsByKey.get(key);
      if (settings === undefined) {
        settings = { ...base };
        for (const i of matching) Object.assign(settings, overrides[i]!.rules);
        settingsByKey.set(key, settings);
      }
      return { key, settings };
    },
  };
}

/** listing.platform (a name or an alias such as 天猫) when it is known, else the run's platform. */
export function resolveListingPlatform(
  record: ListingRecord,
  fallback: Platform,
  aliases: Readonly<Record<string, Platform>>,
): Platform {
  const stated = record.listing.platform?.trim().toLowerCase();
  if (!stated) return fallback;
  return PLATFORMS.find((p) => p === stated) ?? aliases[stated] ?? fallback;
}

/** Width-folded, so a phrase typed with half-width characters still matches full-width text. */
function foldPhrase(text: string): string {
  return text.normalize("NFKC");
}
