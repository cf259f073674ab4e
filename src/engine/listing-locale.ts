import type { AnalysedField, ListingRecord, ParsedText, Platform, RegionCatalogue } from "../model.js";
import { analyseListing } from "../text/index.js";
import type { Lexicon } from "../text/lexicon.js";
import { createCountryCatalogue, type International } from "./international.js";
import type { RuleTexts } from "./rule-texts.js";

/** The country a listing's offer is in, the region data its claims are judged with, and its fields as read. */
export interface ListingLocale {
  /** ISO 3166-1 code; undefined when no country is known and a lexicon that implies none read a claim. */
  country: string | undefined;
  regions: RegionCatalogue;
  fields: AnalysedField[];
  texts: RuleTexts;
}

/** What choosing a locale needs from the auditor's options. */
export interface LocaleOptions {
  /** The configured Chinese catalogue (remote set from the config). */
  regions: RegionCatalogue;
  /** The configured Chinese lexicon (with the config's additions). */
  lexicon: Lexicon;
  texts: RuleTexts;
  international: International | undefined;
  /** Config `country`: the offer's country when the record names none. */
  country: string | undefined;
}

const CHINA = "CN";

/**
 * The offer's country is the record's (structured data), else the config's (docs/semantics.md#country). Listings are
 * read with the Chinese lexicon, plus the platform pack's other lexicons and, for a listing written mostly in Latin
 * letters, every Latin-script lexicon. A claim read only by the Chinese lexicon implies China (包邮 covers the mainland);
 * when another lexicon read a claim and no country is known, the country is unknown and the claims cannot be checked.
 */
export function chooseListingLocale(record: ListingRecord, platform: Platform, options: LocaleOptions): ListingLocale {
  const stated = (record.country ?? options.country)?.toUpperCase();
  const international = options.international;
  const others = international ? otherLexicons(record, platform, international) : [];
  const catalogueOf = (country: string): RegionCatalogue =>
    country === CHINA ? options.regions : (international?.regions.get(country) ?? createCountryCatalogue(country));
  const textsOf = (country: string | undefined) =>
    (country === undefined ? undefined : international?.texts.get(country)) ?? options.texts;

  let fields = analyseListing(record.listing, { lexicon: options.lexicon, regions: options.regions });
  let foreignClaims = false;
  for (const lexicon of others) {
    const regions =
      stated !== undefined ? catalogueOf(stated) : (international?.regions.get(lexicon.regions) ?? options.regions);
    const read = analyseListing(record.listing, { lexicon, regions });
    foreignClaims ||= read.some((f) => f.parsed.claims.length > 0);
    fields = mergeFields(fields, read);
  }
  const country = stated ?? (foreignClaims ? undefined : CHINA);
  const fallback = others[0] === undefined ? undefined : international?.regions.get(others[0].regions);
  const regions = country === undefined ? (fallback ?? options.regions) : catalogueOf(country);
  return { country, regions, fields, texts: textsOf(country ?? others[0]?.regions) };
}

function otherLexicons(record: ListingRecord, platform: Platform, international: International): Lexicon[] {
  const names = new Set(international.platformLexicons[platform] ?? []);
  if (isMostlyLatin(record))
    for (const [name, lexicon] of international.lexicons) if (lexicon.script === "latin") names.add(name);
  return [...names].flatMap((name) => {
    const lexicon = international.lexicons.get(name);
    return lexicon ? [lexicon] : [];
  });
}

/** More Latin letters than Chinese characters in the listing's text fields, markup left out. */
function isMostlyLatin(record: ListingRecord): boolean {
  const { listing } = record;
  const texts: string[] = [];
  const add = (text: unknown) => {
    if (typeof text === "string" && text.length > 0) texts.push(text);
  };
  add(listing.title);
  add(listing.subtitle);
  for (const sku of listing.skus ?? []) add(sku.name);
  add(listing.description);
  add(listing.mobileDescription);
  let remaining = 0;
  for (const text of texts) remaining += text.length;
  let balance = 0;
  for (const text of texts) {
    for (let i = 0; i < text.length; i += 1) {
      // Each character left moves the balance by at most one: stop once it cannot change the answer.
      if (balance + remaining <= 0) return false;
      if (balance - remaining > 0) return true;
      const c = text.charCodeAt(i);
      if (c === 0x3c) {
        // A tag counts for nothing: jump to its end (an unclosed one runs to the end of the text).
        const close = text.indexOf(">", i + 1);
        const end = close < 0 ? text.length - 1 : close;
        remaining -= end - i + 1;
        i = end;
        continue;
      }
      remaining -= 1;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) balance += 1;
      else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) balance -= 1;
    }
  }
  return balance > 0;
}

/** The same fields read by two lexicons: their statements together, in text order. */
function mergeFields(base: AnalysedField[], other: readonly AnalysedField[]): AnalysedField[] {
  return base.map((field, i) => {
    const more = other[i];
    if (!more || more.field !== field.field || more.index !== field.index) return field;
    if (isEmpty(more.parsed)) return field;
    return { ...field, parsed: mergeParsed(field.parsed, more.parsed) };
  });
}

function isEmpty(parsed: ParsedText): boolean {
  return parsed.claims.length + parsed.disclosures.length + parsed.buyerPays.length + parsed.invoice.length === 0;
}

function mergeParsed(a: ParsedText, b: ParsedText): ParsedText {
  const byStart = <T extends { start: number; end: number }>(x: T, y: T) => x.start - y.start || x.end - y.end;
  const disclosures = [...a.disclosures, ...b.disclosures].sort(byStart);
  const excluded = [...new Set([...a.disclosures, ...b.disclosures].flatMap((d) => d.regions))].sort();
  // Each parser applies the exclusions of its own text to its claims; together they apply to all.
  const claims = [...a.claims, ...b.claims]
    .sort(byStart)
    .map((c) => ({ ...c, excluded: [...new Set([...c.excluded, ...excluded])].sort() }));
  return {
    claims,
    disclosures,
    buyerPays: [...a.buyerPays, ...b.buyerPays].sort(byStart),
    invoice: [...a.invoice, ...b.invoice].sort(byStart),
  };
}
