import type { ClaimScope } from "../model.js";
import { foldText } from "./fold.js";
import type { Lexicon } from "./lexicon.js";
import { alternation, numberPattern, type NumeralSystem } from "./numbers.js";
import { PhraseIndex } from "./phrase-index.js";
import type { RunVocabulary } from "./region-runs.js";

/** What a phrase found by the anchor scan starts. */
export type Anchor =
  | { kind: "core"; carrier: string | null; global?: true }
  | { kind: "negated-core" }
  | { kind: "question" }
  | { kind: "buyer-pays" }
  | {
      kind: "marker";
      disclosure: "exclusion" | "no-delivery" | "surcharge";
      needsAmount: boolean;
      takesObject?: true;
      /** With an amount and no regions: every buyer pays; `noun` — only with a fee noun after the amount. */
      feeStatement?: "amount" | "noun";
    }
  | { kind: "claim-noun" }
  | { kind: "frame" }
  | { kind: "tax" }
  | { kind: "prefix"; surcharge?: true }
  | { kind: "mainland-only" }
  | { kind: "invoice"; invoice: "offer" | "refusal" | "surcharge" | "limited" }
  | { kind: "trap" };

export type ScopeWord = { scope: Exclude<ClaimScope, "regions">; global: boolean };

/** A lexicon turned into indexes and regular expressions, once, for fast parsing. */
export interface CompiledLexicon {
  anchors: PhraseIndex<Anchor>;
  carriers: PhraseIndex<string>;
  scopes: PhraseIndex<ScopeWord>;
  /** Partial scopes read right after a core (包邮多省). */
  partialAfter: PhraseIndex<true>;
  claimFillers: PhraseIndex<true>;
  disclosureFillers: PhraseIndex<true>;
  closers: PhraseIndex<true>;
  /** 非 / 除 right before the regions of a claim: they are excluded (非偏远地区包邮). */
  exclusionPrefixes: PhraseIndex<true>;
  inclusions: PhraseIndex<true>;
  restrictions: PhraseIndex<true>;
  footnoteMarkers: PhraseIndex<true>;
  questionPrefixes: PhraseIndex<true>;
  questionSuffixes: PhraseIndex<true>;
  returns: PhraseIndex<true>;
  conditionComplements: PhraseIndex<true>;
  unitMarkers: PhraseIndex<true>;
  rangeMarkers: PhraseIndex<true>;
  run: RunVocabulary;
  numerals: NumeralSystem;
  countingWords: ReadonlySet<string>;
  amountUnits: ReadonlySet<string>;
  unsupportedUnits: ReadonlySet<string>;
  years: { min: number; max: number };
  /** 满99元以上 / 满3斤 at the end of a window: prefix, currency, number, unit. */
  prefixedCondition: RegExp;
  /** 99元 / 三件 / ¥99 at the end of a window. */
  bareCondition: RegExp;
  /** A number + counting word at the end of a window (1件6瓶: the 1件). */
  countAtEnd: RegExp;
  /** 25省 at the end of a window. */
  partialCount: RegExp;
  /** A stated fee right after a surcharge marker. */
  feeAfter: RegExp;
  /** A stated fee right before a surcharge prefix ("$10 surcharge for"). */
  feeBefore: RegExp;
  /** Between a negated core or a marker and the regions it names ("not available in"). */
  listIntroducers: PhraseIndex<true>;
  objectGlue: PhraseIndex<true>;
  frameVerbs: PhraseIndex<true>;
  listHeads: PhraseIndex<true>;
  reasonWords: PhraseIndex<true>;
  feeNouns: PhraseIndex<true>;
  shippingWords: PhraseIndex<true>;
  /** False when the lexicon lists no shipping words: then every exclusion counts. */
  readsShippingStatements: boolean;
  /** 或 between two conditions of one claim. */
  alternatives: PhraseIndex<true>;
  negations: PhraseIndex<true>;
  ticketWords: PhraseIndex<true>;
  taxVerbs: PhraseIndex<true>;
  taxPayerVerbs: PhraseIndex<true>;
  /** An amount right before a tax noun (8%, 六个): 加8%税点. */
  amountBeforeTax: RegExp;
  /** A footnote marker that makes its whole line a footnote. */
  footnoteLineMarkers: PhraseIndex<true>;
  /** What may follow a claim core; absent when the lexicon reads nothing there. */
  afterClaim: AfterClaim | undefined;
  afterClaimWindow: number;
  amountNeedsCurrency: boolean;
}

/** The compiled `afterClaim` section of a lexicon. */
export interface AfterClaim {
  fillers: PhraseIndex<true>;
  conditionWords: PhraseIndex<true>;
  scopes: boolean;
  regionClosers: PhraseIndex<true>;
  /** Currency, number, unit, at-least words at a position ("$50", "2 or more", "$35+"). */
  condition: RegExp;
}

/** Compiles a lexicon; all phrases are folded so that lexicon authors may write any form. */
export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const f = (list: readonly string[]) => list.map(foldText);
  const set = (list: readonly string[]) => new PhraseIndex<true>().add(f(list), true);
  const { claims, scopes, disclosures, numbers, invoice } = lexicon;

  const cores = f(claims.cores);
  const carrierNames = lexicon.carriers.flatMap((c) =>
    [c.name, ...c.aliases].map((alias) => [foldText(alias), c.name] as const),
  );
  const anchors = new PhraseIndex<Anchor>()
    .add(f(lexicon.traps), { kind: "trap" })
    .add(f(lexicon.questions.phrases), { kind: "question" })
    .add(f(invoice.surcharge), { kind: "invoice", invoice: "surcharge" })
    .add(f(invoice.limited), { kind: "invoice", invoice: "limited" })
    .add(f(invoice.refusal), { kind: "invoice", invoice: "refusal" })
    .add(f(invoice.offer), { kind: "invoice", invoice: "offer" })
    .add(
      f(lexicon.negations).flatMap((n) => cores.map((c) => n + c)),
      { kind: "negated-core" },
    )
    .add(
      f(lexicon.negationsAfter).flatMap((n) => cores.map((c) => `${c} ${n}`)),
      { kind: "negated-core" },
    )
    .add(f(lexicon.buyerPays), { kind: "buyer-pays" })
    .add(cores, { kind: "core", carrier: null })
    .add(f(claims.globalCores), { kind: "core", carrier: null, global: true })
    .add(f(claims.nouns), { kind: "claim-noun" })
    .add(f(disclosures.mainlandOnly), { kind: "mainland-only" })
    .add(f(combine(disclosures.deliveryAreas, disclosures.areaGlue, disclosures.mainlandWords)), {
      kind: "mainland-only",
    })
    .add(f(disclosures.noDelivery), {
      kind: "marker",
      disclosure: "no-delivery",
      needsAmount: false,
      takesObject: true,
    })
    .add(f(disclosures.feeStatements), {
      kind: "marker",
      disclosure: "surcharge",
      needsAmount: true,
      feeStatement: "amount",
    })
    .add(f(disclosures.feeCharges), {
      kind: "marker",
      disclosure: "surcharge",
      needsAmount: true,
      feeStatement: "noun",
    })
    .add(f(disclosures.surcharge), { kind: "marker", disclosure: "surcharge", needsAmount: false })
    .add(f(combine(disclosures.surchargeVerbs, disclosures.feeNouns)), {
      kind: "marker",
      disclosure: "surcharge",
      needsAmount: false,
    })
    .add(f(disclosures.exclusion), { kind: "marker", disclosure: "exclusion", needsAmount: false })
    .add(f(disclosures.prefixes), { kind: "prefix" })
    .add(f(disclosures.surchargePrefixes), { kind: "prefix", surcharge: true })
    .add(f(disclosures.surchargeWithAmount), { kind: "marker", disclosure: "surcharge", needsAmount: true })
    .add(f(disclosures.framePrefixes), { kind: "frame" })
    .add(f(invoice.taxNouns), { kind: "tax" });
  for (const prefix of f(claims.carrierPrefixes)) {
    for (const [alias, name] of carrierNames) anchors.add([prefix + alias], { kind: "core", carrier: name });
  }
  const carriers = new PhraseIndex<string>();
  for (const [alias, name] of carrierNames) carriers.add([alias], name);

  const scopeIndex = new PhraseIndex<ScopeWord>()
    .add(f(scopes.partial), { scope: "partial", global: false })
    .add(f(scopes.local), { scope: "local", global: false })
    .add(f(scopes.global), { scope: "all", global: true })
    .add(f(scopes.all), { scope: "all", global: false });

  const numerals: NumeralSystem = { digits: numbers.digits, multipliers: numbers.multipliers };
  const num = numberPattern(numerals);
  const currency = alternation(f(numbers.currencySymbols));
  const amountUnits = f(numbers.amountUnits);
  const countingWords = f(numbers.countingWords);
  const unsupportedUnits = f(numbers.unsupportedUnits);
  const atLeast = alternation(f(numbers.atLeast));
  const anyUnit = alternation([...amountUnits, ...countingWords, ...unsupportedUnits]);
  const bareUnit = alternation([...amountUnits, ...countingWords]);
  const after = lexicon.afterClaim;
  const readsAfter = after.scopes || after.conditionWords.length > 0;

  return {
    anchors,
    carriers,
    scopes: scopeIndex,
    partialAfter: set(scopes.partialAfter),
    claimFillers: set(lexicon.claimFillers),
    disclosureFillers: set(disclosures.fillers),
    closers: set(disclosures.closers),
    exclusionPrefixes: set([...disclosures.prefixes, ...lexicon.negations]),
    inclusions: set(scopes.inclusions),
    restrictions: set(scopes.restrictions),
    footnoteMarkers: set(disclosures.footnoteMarkers),
    questionPrefixes: set(lexicon.questions.prefixes),
    questionSuffixes: set(lexicon.questions.suffixes),
    returns: set(lexicon.returns),
    conditionComplements: set(lexicon.conditionComplements),
    unitMarkers: set(numbers.unitMarkers),
    rangeMarkers: set(numbers.rangeMarkers),
    run: {
      joiners: set(disclosures.listJoiners),
      suffixes: set(disclosures.regionSuffixes),
      openMarkers: set(disclosures.openListMarkers),
      modifiers: set(disclosures.groupModifiers),
      vagueRegions: set(disclosures.vagueRegions),
      placeSuffixes: set(disclosures.placeSuffixes),
      placeStopWords: set(disclosures.placeStopWords),
      definers: set(disclosures.definers),
    },
    numerals,
    countingWords: new Set(countingWords),
    amountUnits: new Set(amountUnits),
    unsupportedUnits: new Set(unsupportedUnits),
    years: numbers.years,
    prefixedCondition: new RegExp(
      `(?:${alternation(f(numbers.conditionPrefixes))}) ?(${currency})? ?(${num}) ?(${anyUnit})? ?(?:${atLeast})? ?,?$`,
    ),
    bareCondition: new RegExp(
      `(${currency})? ?(${num}) ?(?:(${bareUnit})(?:(?<=${alternation(amountUnits)})(\\d))?)? ?(?:${atLeast})?$`,
    ),
    countAtEnd: new RegExp(`(?:${num}) ?(?:${alternation(countingWords)})$`),
    partialCount: new RegExp(`(${num}) ?(?:${alternation(f(scopes.countSuffixes))})$`),
    feeAfter: new RegExp(`^[^\\d,;.。!?\\n]{0,6}?(${currency})? ?(${num}) ?(${alternation(amountUnits)})?`),
    feeBefore: new RegExp(`(${currency}) ?(${num}) ?(?:${alternation(amountUnits)})? ?$`),
    listIntroducers: set(disclosures.listIntroducers),
    objectGlue: set(disclosures.objectGlue),
    frameVerbs: set(disclosures.frameVerbs),
    listHeads: set(disclosures.listHeads),
    reasonWords: set(disclosures.reasonWords),
    feeNouns: set(disclosures.feeNouns),
    shippingWords: set(disclosures.shippingWords),
    readsShippingStatements: disclosures.shippingWords.length > 0,
    alternatives: set(numbers.alternatives),
    negations: set(lexicon.negations),
    ticketWords: set(invoice.ticketWords),
    taxVerbs: set(invoice.taxVerbs),
    taxPayerVerbs: set(invoice.taxPayerVerbs),
    amountBeforeTax: new RegExp(`(?:${num})%? ?$`),
    footnoteLineMarkers: set(disclosures.footnoteLineMarkers),
    afterClaim: readsAfter
      ? {
          fillers: set(after.fillers),
          conditionWords: set(after.conditionWords),
          scopes: after.scopes,
          regionClosers: set(after.regionClosers),
          condition: new RegExp(
            `^(${currency})? ?(${num})(?![\\d.,]\\d)(?: ?(${anyUnit})(?![a-z]))?(?: ?(${atLeast})(?![a-z]))?`,
          ),
        }
      : undefined,
    afterClaimWindow: lexicon.afterClaimWindow,
    amountNeedsCurrency: numbers.amountNeedsCurrency,
  };
}

/** Every concatenation of one phrase from each list, in order (补 × 运费 → 补运费). */
function combine(...lists: ReadonlyArray<readonly string[]>): string[] {
  return lists
    .reduce<string[]>((out, list) => out.flatMap((head) => list.map((tail) => head + tail)), [""])
    .filter((p) => p !== "");
}
