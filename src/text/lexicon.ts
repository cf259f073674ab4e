import path from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { Result } from "../util/result.js";
import { parseLocatedDocument, validateDocument } from "../util/yaml-document.js";
import { isRecord } from "../util/is-record.js";
import { readLocatedText, shownDataPath } from "../util/read-located.js";

export const BUILTIN_LEXICON_FILE = path.join(PACKAGE_ROOT, "rules", "lexicon", "zh-CN.yaml");

const phrase = z.string().min(1, "must not be empty");
const phrases = z.array(phrase);
const count = z.number().finite().nonnegative();

const carrierSchema = z.strictObject({ name: phrase, aliases: phrases.default([]) });

/**
 * The phrase lexicon (rules/lexicon/*.yaml). The parser is a language-neutral mechanism over these
 * lists; see the bundled zh-CN.yaml for what each list means.
 */
export const lexiconSchema = z.strictObject({
  language: phrase,
  /** The script the lexicon reads: a `latin` lexicon also applies to listings written mostly in Latin letters. */
  script: z.enum(["han", "latin"]).default("han"),
  /** ISO 3166-1 country whose region data reads place names when the offer's country has none. */
  regions: z
    .string()
    .regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as CN or US")
    .default("CN"),
  /** How far after a claim core its scope, condition and region names may reach, in characters. */
  afterClaimWindow: z.number().int().positive().default(16),
  claims: z.strictObject({
    cores: phrases.min(1),
    carrierPrefixes: phrases,
    /** Cores that name a worldwide scope themselves ("free worldwide shipping"). */
    globalCores: phrases.default([]),
    /** 包邮地区: a claim only when a region list or an exclusion follows. */
    nouns: phrases.default([]),
  }),
  /**
   * What a claim may have to the right of its core ("free shipping on orders over $50 to the contiguous
   * US"): `fillers` may stand before each part, `conditionWords` lead to an amount or count, and with
   * `scopes` the scope words and restrictions are read there too, and so is a region list closed by one of
   * `regionClosers` ("free shipping (lower 48 only)").
   */
  afterClaim: z
    .strictObject({
      fillers: phrases,
      conditionWords: phrases,
      scopes: z.boolean(),
      regionClosers: phrases.default([]),
    })
    .default({ fillers: [], conditionWords: [], scopes: false, regionClosers: [] }),
  scopes: z.strictObject({
    all: phrases,
    global: phrases,
    partial: phrases,
    /** Partial scopes that may also follow the core (包邮多省); an area name there (东北) usually starts a product name. */
    partialAfter: phrases.default([]),
    countSuffixes: phrases,
    local: phrases,
    inclusions: phrases,
    restrictions: phrases,
  }),
  claimFillers: phrases,
  carriers: z.array(carrierSchema),
  negations: phrases,
  /** A negation right after a core ("free shipping is not available"). */
  negationsAfter: phrases.default([]),
  questions: z.strictObject({ prefixes: phrases, suffixes: phrases, phrases }),
  disclosures: z.strictObject({
    exclusion: phrases,
    noDelivery: phrases,
    surcharge: phrases,
    surchargeWithAmount: phrases,
    prefixes: phrases,
    closers: phrases,
    fillers: phrases,
    vagueRegions: phrases,
    groupModifiers: phrases,
    openListMarkers: phrases,
    listJoiners: phrases,
    regionSuffixes: phrases,
    /** What ends the name of a place the region data does not know (云龙镇): it stays in the list. */
    placeSuffixes: phrases.default([]),
    /** After an open group, these make the names that follow what it stands for (偏远地区包括西藏). */
    definers: phrases.default([]),
    /** Words no unknown place name holds (由于地区 is no place). */
    placeStopWords: phrases.default([]),
    mainlandOnly: phrases,
    footnoteMarkers: phrases,
    /** A line that starts with one of these is a footnote as a whole ("* Alaska and Hawaii: $12.95"). */
    footnoteLineMarkers: phrases.default([]),
    /** Marker + regions, the fee before the marker or after the regions ("$10 surcharge for Alaska"). */
    surchargePrefixes: phrases.default([]),
    /** A negated core or marker followed by one of these and regions ("not available in Alaska"). */
    listIntroducers: phrases.default([]),
    /** Between a no-delivery verb and the regions after it (不发往新疆). */
    objectGlue: phrases.default([]),
    /** Prefix, regions, verb: not delivered (不支持港澳台地区配送). */
    framePrefixes: phrases.default([]),
    frameVerbs: phrases.default([]),
    /** A reason between the regions and the marker (新疆由于地区偏远，暂不配送). */
    reasonWords: phrases.default([]),
    /** After a negated core or a marker, these make it head a list (不包邮的地区：). */
    listHeads: phrases.default([]),
    /** Every verb × noun is a surcharge marker (补运费, 加收邮费). */
    surchargeVerbs: phrases.default([]),
    feeNouns: phrases.default([]),
    /** Surcharge markers that, with an amount and no regions, say every buyer pays. */
    feeStatements: phrases.default([]),
    /** Like `feeStatements`, but only with a fee noun after the amount (每单收取8元运费). */
    feeCharges: phrases.default([]),
    /** Every area × glue × mainland word says mainland only (配送区域：大陆). */
    deliveryAreas: phrases.default([]),
    areaGlue: phrases.default([]),
    mainlandWords: phrases.default([]),
    /** An exclusion counts only in a statement with one of these, a claim or a marker, or alone. */
    shippingWords: phrases.default([]),
  }),
  buyerPays: phrases,
  returns: phrases,
  conditionComplements: phrases,
  traps: phrases,
  numbers: z.strictObject({
    digits: z.record(z.string().length(1, "must be one character"), count),
    multipliers: z.record(z.string().length(1, "must be one character"), count),
    countingWords: phrases,
    conditionPrefixes: phrases,
    amountUnits: phrases,
    currencySymbols: phrases,
    atLeast: phrases,
    unsupportedUnits: phrases,
    unitMarkers: phrases,
    rangeMarkers: phrases,
    years: z.strictObject({ min: z.number().int(), max: z.number().int() }),
    /** A number is an amount only with a currency symbol or amount unit ("$50"); a bare one is a count ("buy 2"). */
    amountNeedsCurrency: z.boolean().default(false),
    /** Between two conditions of one claim, met when either holds (满3件或满128元). */
    alternatives: phrases.default([]),
  }),
  invoice: z.strictObject({
    offer: phrases,
    refusal: phrases,
    surcharge: phrases,
    limited: phrases,
    /** A statement about invoices has one of these. */
    ticketWords: phrases.default([]),
    /** Tax verb (+ amount) + tax noun, or tax noun + payer verb: a surcharge (需加8%税点, 税点由买家承担). */
    taxNouns: phrases.default([]),
    taxVerbs: phrases.default([]),
    taxPayerVerbs: phrases.default([]),
  }),
});

/** A validated phrase lexicon. */
export type Lexicon = z.output<typeof lexiconSchema>;

/** Makes every key optional, recursively; arrays stay arrays (they are appended on merge). */
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Phrases a config adds to a lexicon: any subset of the lexicon's keys; lists are appended. */
export type LexiconAdditions = DeepPartial<Omit<Lexicon, "language">>;

function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = deepPartial(value).optional();
    }
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodDefault) return deepPartial(schema.unwrap() as z.ZodType);
  return schema;
}

/** Validates lexicon additions from a config file (`lexicon:` key). */
export const lexiconAdditionsSchema = deepPartial(
  lexiconSchema.omit({ language: true }),
) as z.ZodType<LexiconAdditions>;

/** Parses and validates lexicon YAML; every error names file, line and key. */
export function parseLexicon(text: string, file: string): Result<Lexicon> {
  const doc = parseLocatedDocument(text, file);
  if (!doc.ok) return doc;
  const valid = validateDocument(doc.value, lexiconSchema);
  if (!valid.ok) return valid;
  const { years } = valid.value.numbers;
  if (years.min > years.max) {
    const line = doc.value.lineOf(["numbers", "years"]);
    return {
      ok: false,
      errors: [
        { file, ...(line === undefined ? {} : { line }), key: "numbers.years", message: "min must not exceed max" },
      ],
    };
  }
  return valid;
}

/** Reads a lexicon file (the bundled zh-CN lexicon by default). */
export async function loadLexicon(file: string = BUILTIN_LEXICON_FILE): Promise<Result<Lexicon>> {
  const shown = shownDataPath(file);
  const text = await readLocatedText(file, shown);
  return text.ok ? parseLexicon(text.value, shown) : text;
}

/**
 * Returns a new lexicon with the additions appended (lists deduplicated, carriers merged by name,
 * number maps extended). Neither argument is modified.
 */
export function mergeLexicon(base: Lexicon, additions: LexiconAdditions): Lexicon {
  return mergeValue(base, additions) as Lexicon;
}

function mergeValue(base: unknown, addition: unknown): unknown {
  if (addition === undefined) return base;
  if (Array.isArray(base) && Array.isArray(addition)) {
    if (base.every(isCarrier) && addition.every(isCarrier)) return mergeCarriers(base, addition);
    return [...new Set([...base, ...addition])];
  }
  if (isRecord(base) && isRecord(addition)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(addition)) out[key] = mergeValue(base[key], value);
    return out;
  }
  return addition;
}

type Carrier = Lexicon["carriers"][number];

function isCarrier(value: unknown): value is Carrier {
  return isRecord(value) && typeof value.name === "string";
}

function mergeCarriers(base: readonly Carrier[], additions: readonly Carrier[]): Carrier[] {
  const byName = new Map(base.map((c) => [c.name, { name: c.name, aliases: [...c.aliases] }]));
  for (const c of additions) {
    const known = byName.get(c.name);
    if (known) known.aliases = [...new Set([...known.aliases, ...(c.aliases ?? [])])];
    else byName.set(c.name, { name: c.name, aliases: [...(c.aliases ?? [])] });
  }
  return [...byName.values()];
}
