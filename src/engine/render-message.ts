import type { FindingRegion, Lang, RegionCatalogue, RegionCode } from "../model.js";
import type { ClaimConditionData, MessageArg, MessageData, TermsRef } from "../rules/message-data.js";
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
  return sharedList(value) ? renderShared(value, wording) : renderFresh(value, wording);
}

type ListArg = Extract<MessageArg, { value: readonly unknown[] }>;

/** Region lists the rules share across listings (frozen): rendered once per wording, not once per finding. */
function sharedList(value: MessageArg): value is ListArg {
  return Array.isArray(value.value) && Object.isFrozen(value.value);
}

interface RenderedList {
  kind: MessageArg["kind"];
  texts: RuleTexts;
  lang: Lang;
  regions: RegionCatalogue;
  text: string;
}

const renderedLists = new WeakMap<readonly unknown[], RenderedList[]>();

function renderShared(value: ListArg, wording: Wording): string {
  let rendered = renderedLists.get(value.value);
  if (rendered === undefined) {
    rendered = [];
    renderedLists.set(value.value, rendered);
  }
  for (const r of rendered)
    if (r.kind === value.kind && r.texts === wording.texts && r.lang === wording.lang && r.regions === wording.regions)
      return r.text;
  const text = renderFresh(value, wording);
  rendered.push({ kind: value.kind, texts: wording.texts, lang: wording.lang, regions: wording.regions, text });
  return text;
}

function renderFresh(value: MessageArg, wording: Wording): string {
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
    case "leastFee": {
      const fee = fill(vocabulary.money, { amount: formatYuan(value.value.fee) });
      return value.value.quantity > 1
        ? fill(vocabulary.leastFeeAt, { fee, quantity: String(value.value.quantity) })
        : fill(vocabulary.leastFee, { fee });
    }
    case "field":
      return vocabulary.fields[value.value];
    case "regions":
      return value.value.map((r) => renderRegion(r, vocabulary, shortName)).join(vocabulary.separator);
    case "regionNames":
      return sortBySellerOrder(value.value, wording).map(shortName).join(vocabulary.separator);
    case "exclusionPhrase":
      return fill(wording.texts.listingPhrases.exclusion, { regions: renderPhraseRegions(value.value, wording) });
    case "freeAreaPhrase": {
      const phrases = wording.texts.listingPhrases;
      return fill(phrases.onlyIn, {
        condition: renderListingCondition(value.value.condition, wording),
        regions: renderPhraseRegions(value.value.regions, wording),
      });
    }
    case "deliveryAreaPhrase":
      return fill(wording.texts.listingPhrases.deliversOnly, { regions: renderPhraseRegions(value.value, wording) });
    case "charges":
      return renderCharges(value.value, wording, shortName);
    case "terms":
      return renderTerms(value.value, vocabulary);
    case "rows":
      return value.value
        .map((r) => fill(vocabulary.rows[r.part], { row: r.row, fee: formatYuan(r.fee) }))
        .join(vocabulary.separator);
    case "condition":
      return renderCondition(value.value, vocabulary);
  }
}

function renderCondition(condition: ClaimConditionData, vocabulary: Vocabulary): string {
  const parts: string[] = [];
  if (condition.minAmount !== undefined)
    parts.push(fill(vocabulary.condition.minAmount, { amount: formatYuan(condition.minAmount) }));
  if (condition.minQuantity !== undefined)
    parts.push(fill(vocabulary.condition.minQuantity, { quantity: String(condition.minQuantity) }));
  return parts.join(vocabulary.condition.or);
}

/** 满99元 / 满2件 as a seller writes it into the listing; empty for an unconditional claim. */
function renderListingCondition(condition: ClaimConditionData, wording: Wording): string {
  const words = wording.texts.listingPhrases.condition;
  const parts: string[] = [];
  if (condition.minAmount !== undefined) parts.push(fill(words.minAmount, { amount: formatYuan(condition.minAmount) }));
  if (condition.minQuantity !== undefined)
    parts.push(fill(words.minQuantity, { quantity: String(condition.minQuantity) }));
  return parts.join(words.or);
}

/**
 * 买 3 件（满¥99）仍收运费：新疆、西藏 ¥40，青海 ¥24 — regions grouped by the quantity from which they pay,
 * then by fee. Without a price an amount condition cannot be turned into a quantity, so the condition
 * itself is named instead.
 */
function renderCharges(
  value: { regions: readonly FindingRegion[]; condition: ClaimConditionData; price?: number },
  wording: Wording,
  shortName: (code: string) => string,
): string {
  const vocabulary = wording.texts.vocabulary[wording.lang];
  const words = vocabulary.charges;
  const { condition, price } = value;
  const byCode = new Map(value.regions.map((r) => [r.code, r]));
  const ordered = sortBySellerOrder([...byCode.keys()], wording).map((code) => byCode.get(code) as FindingRegion);
  const quantityKnown = condition.minAmount === undefined || price !== undefined;
  const groups = new Map<number, FindingRegion[]>();
  for (const region of ordered) {
    const quantity = quantityKnown ? (region.quantity ?? 1) : 0;
    groups.set(quantity, [...(groups.get(quantity) ?? []), region]);
  }
  const feesOf = (regions: readonly FindingRegion[]) => {
    const byFee = new Map<number, string[]>();
    for (const r of regions) byFee.set(r.fee ?? 0, [...(byFee.get(r.fee ?? 0) ?? []), shortName(r.code)]);
    return [...byFee]
      .map(([fee, names]) =>
        fill(words.fee, {
          regions: names.join(vocabulary.separator),
          fee: fill(vocabulary.money, { amount: formatYuan(fee) }),
        }),
      )
      .join(words.separator);
  };
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([quantity, regions]) => {
      if (!quantityKnown)
        return fill(words.atCondition, { condition: renderCondition(condition, vocabulary), fees: feesOf(regions) });
      const reachesAmount =
        condition.minAmount !== undefined &&
        price !== undefined &&
        Math.round(quantity * price * 100) >= Math.round(condition.minAmount * 100);
      const reached = reachesAmount
        ? fill(words.reached, { condition: renderCondition({ minAmount: condition.minAmount }, vocabulary) })
        : "";
      return fill(words.atQuantity, { quantity: String(quantity), reached, fees: feesOf(regions) });
    })
    .join(words.groupSeparator);
}

/** Codes in the order sellers name them (listingPhrases.order), the rest by code. */
function sortBySellerOrder(codes: readonly RegionCode[], wording: Wording): RegionCode[] {
  const order = wording.texts.listingPhrases.order;
  const ranks = ranksOf(order);
  const rank = (code: RegionCode) => ranks.get(code) ?? order.length;
  return [...new Set(codes)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const sellerRanks = new WeakMap<readonly RegionCode[], ReadonlyMap<RegionCode, number>>();

/** Each code's place in the seller order, looked up once per order list instead of searched per comparison. */
function ranksOf(order: readonly RegionCode[]): ReadonlyMap<RegionCode, number> {
  let ranks = sellerRanks.get(order);
  if (ranks === undefined) {
    const byCode = new Map<RegionCode, number>();
    order.forEach((code, at) => {
      if (!byCode.has(code)) byCode.set(code, at);
    });
    ranks = byCode;
    sellerRanks.set(order, ranks);
  }
  return ranks;
}

/**
 * Regions as a seller writes them into the listing, always in the listing's language (names from the
 * region data), in the order sellers write them; a group of the region data whose every member is named
 * becomes its group word (港澳台, 江浙沪皖), largest groups first, and the single regions after a group word
 * take their one-character names so the phrase reads as one word (江浙沪皖粤京).
 */
export function renderPhraseRegions(codes: readonly RegionCode[], wording: Wording): string {
  const phrases = wording.texts.listingPhrases;
  const ordered = sortBySellerOrder(codes, wording);
  const present = new Set(ordered);
  const groupOf = new Map<RegionCode, string>();
  const groups = [...(wording.regions.groups ?? [])]
    .filter((g) => !g.vague && g.members.length >= 2)
    .sort((a, b) => b.members.length - a.members.length);
  for (const group of groups) {
    if (group.members.every((m) => present.has(m) && !groupOf.has(m)))
      for (const m of group.members) groupOf.set(m, group.name);
  }
  const words: string[] = [];
  const written = new Set<string>();
  let afterGroup = false;
  for (const code of ordered) {
    const group = groupOf.get(code);
    if (group !== undefined) {
      if (!written.has(group)) words.push(group);
      written.add(group);
      afterGroup = true;
      continue;
    }
    const abbreviation = afterGroup ? phrases.abbreviations[code] : undefined;
    words.push(abbreviation ?? wording.regions.get(code)?.shortName ?? code);
  }
  return words.join(phrases.separator);
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
      return terms.templateId === undefined
        ? vocabulary.terms.none
        : fill(vocabulary.terms.unknown, { id: terms.templateId });
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

/** Fills `{key}` placeholders of a wording template (a key without a value stays visible as `{key}`). */
export function fill(template: string, values: Record<string, string> | ((key: string) => string)): string {
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
