import type { FindingRegion, Lang, RegionCatalogue, RegionCode } from "../model.js";
import type { MessageArg, MessageData, TermsRef } from "./message-data.js";
import type { RuleTexts, Vocabulary } from "./rule-texts.js";

/** What wording needs besides the data: the texts file, the language, and region names. */
export interface Wording {
  texts: RuleTexts;
  lang: Lang;
  regions: RegionCatalogue;
}

/** Fills a message or fix template with a finding's data: the one place where data becomes words. */
export function renderMessage(template: string, data: MessageData, wording: Wording): string {
  return fill(template, (key) => {
    const value = data[key];
    if (value === undefined) throw new Error(`message data has no "${key}"`);
    return renderArg(value, wording);
  });
}

function renderArg(value: MessageArg, wording: Wording): string {
  const vocabulary = wording.texts.vocabulary[wording.lang];
  const shortName = (code: string) => vocabulary.regionNames[code] ?? wording.regions.get(code)?.shortName ?? code;
  switch (value.kind) {
    case "text":
      return value.value;
    case "localized":
      return value.value[wording.lang];
    case "number":
      return String(value.value);
    case "money":
      return fill(vocabulary.money, { amount: formatYuan(value.value) });
    case "field":
      return vocabulary.fields[value.value];
    case "regions":
      return value.value.map((r) => renderRegion(r, vocabulary, shortName)).join(vocabulary.separator);
    case "regionNames":
      return value.value.map(shortName).join(vocabulary.separator);
    case "exclusionPhrase":
      return renderExclusion(value.value, wording);
    case "terms":
      return renderTerms(value.value, vocabulary);
    case "rows":
      return value.value.map((r) => fill(vocabulary.rows[r.part], { row: r.row, fee: formatYuan(r.fee) })).join(vocabulary.separator);
    case "condition": {
      const parts: string[] = [];
      if (value.value.minAmount !== undefined) parts.push(fill(vocabulary.condition.minAmount, { amount: formatYuan(value.value.minAmount) }));
      if (value.value.minQuantity !== undefined) parts.push(fill(vocabulary.condition.minQuantity, { quantity: String(value.value.minQuantity) }));
      return parts.join(vocabulary.condition.or);
    }
  }
}

/**
 * The phrase a seller would add to the listing, always in the listing's language (Chinese names from the
 * region data), regions in the order sellers write them, whole groups by their group word.
 */
function renderExclusion(codes: readonly RegionCode[], wording: Wording): string {
  const phrases = wording.texts.listingPhrases;
  const rank = (code: RegionCode) => {
    const at = phrases.order.indexOf(code);
    return at === -1 ? phrases.order.length : at;
  };
  const ordered = [...new Set(codes)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const names: string[] = [];
  const grouped = new Set<RegionCode>();
  for (const code of ordered) {
    if (grouped.has(code)) continue;
    const group = phrases.groups.find((g) => g.members.includes(code) && g.members.every((m) => ordered.includes(m)));
    if (group) {
      for (const m of group.members) grouped.add(m);
      names.push(group.name);
    } else names.push(wording.regions.get(code)?.shortName ?? code);
  }
  return fill(phrases.exclusion, { regions: names.join(phrases.separator) });
}

function renderRegion(region: FindingRegion, vocabulary: Vocabulary, shortName: (code: string) => string): string {
  const name = shortName(region.code);
  if (region.fee === null) return fill(vocabulary.region, { name });
  const fee = formatYuan(region.fee);
  if (region.quantity !== undefined && region.quantity !== null && region.quantity > 1) {
    return fill(vocabulary.regionFeeFrom, { name, fee, quantity: String(region.quantity) });
  }
  return fill(vocabulary.regionFee, { name, fee });
}

function renderTerms(terms: TermsRef, vocabulary: Vocabulary): string {
  switch (terms.kind) {
    case "template":
      return fill(vocabulary.terms.template, { id: terms.id });
    case "unknown":
      return terms.templateId === undefined ? vocabulary.terms.none : fill(vocabulary.terms.unknown, { id: terms.templateId });
    default:
      return vocabulary.terms[terms.kind];
  }
}

/** 20 → "20", 9.9 → "9.9", 10.456 → "10.46". */
function formatYuan(yuan: number): string {
  return String(Math.round(yuan * 100) / 100);
}

const PLACEHOLDER = /\{([A-Za-z][\w-]*)\}/;
/** Templates split once into literal text (even indexes) and placeholder keys (odd indexes). */
const splitTemplates = new Map<string, string[]>();
/** Wording comes from a handful of YAML files; the bound only guards against unexpected callers. */
const MAX_TEMPLATES = 4096;

function fill(template: string, values: Record<string, string> | ((key: string) => string)): string {
  let parts = splitTemplates.get(template);
  if (parts === undefined) {
    if (splitTemplates.size >= MAX_TEMPLATES) splitTemplates.clear();
    parts = template.split(PLACEHOLDER);
    splitTemplates.set(template, parts);
  }
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    out += (typeof values === "function" ? values(key) : (values[key] ?? `{${key}}`)) + (parts[i + 1] as string);
  }
  return out;
}
