import type {
  BuyerPaysStatement,
  Claim,
  Disclosure,
  InvoiceStatement,
  ParsedText,
  RegionCatalogue,
  RegionCode,
} from "../model.js";
import { readClaim } from "./claims.js";
import { compileLexicon, type Anchor, type CompiledLexicon } from "./compile-lexicon.js";
import {
  markFootnotes,
  readDisclosure,
  readFee,
  readFrame,
  readMainlandOnly,
  readPrefixDisclosure,
} from "./disclosures.js";
import { readClaimNoun } from "./claims.js";
import { readTaxSurcharge } from "./invoices.js";
import { clausesOf, sentencesOf, type Segments } from "./sentences.js";
import { foldText } from "./fold.js";
import type { Lexicon } from "./lexicon.js";
import type { PhraseMatch } from "./phrase-index.js";
import { isQuestion, type ParseState } from "./parse-state.js";
import { findRegionRuns, type Abbreviations, type RegionRun, type TextWindow } from "./region-runs.js";

/** What the parser needs besides the text. */
export interface ParseContext {
  lexicon: Lexicon;
  regions: RegionCatalogue;
  /** Unit price in yuan for amount conditions: a number before 包邮 at or below it is the price, not a condition. */
  price?: number;
  /** Other prices the listing shows (listing and SKU prices): a number equal to one of them is the price too. */
  prices?: readonly number[];
}

/** A parser compiled for one lexicon and region catalogue. */
export type TextParser = (text: string, price?: number, prices?: readonly number[]) => ParsedText;

/** Compiles the lexicon once and returns a fast parser (see docs/reading.md, docs/semantics.md#claims). */
export function createParser(lexicon: Lexicon, regions: RegionCatalogue): TextParser {
  const compiled = compileLexicon(lexicon);
  return (text, price, prices = []) => parseFolded(text, foldText(text), compiled, regions, price, prices);
}

const parsers = new WeakMap<Lexicon, WeakMap<RegionCatalogue, TextParser>>();

/**
 * Parses visible text into claims, disclosures, buyer-pays and invoice statements. Offsets are UTF-16
 * offsets into `text`; `text` fields are slices of it. Compiled parsers are cached per lexicon and
 * catalogue, so repeated calls stay fast.
 */
export function parseText(text: string, context: ParseContext): ParsedText {
  let byRegions = parsers.get(context.lexicon);
  if (!byRegions) {
    byRegions = new WeakMap();
    parsers.set(context.lexicon, byRegions);
  }
  let parser = byRegions.get(context.regions);
  if (!parser) {
    parser = createParser(context.lexicon, context.regions);
    byRegions.set(context.regions, parser);
  }
  return parser(text, context.price, context.prices);
}

function parseFolded(
  original: string,
  folded: string,
  lexicon: CompiledLexicon,
  regions: RegionCatalogue,
  price: number | undefined,
  prices: readonly number[],
): ParsedText {
  const anchors = lexicon.anchors.scan(folded).filter((a) => isLive(a, folded, lexicon));
  if (anchors.length === 0) return { claims: [], disclosures: [], buyerPays: [], invoice: [] };

  let byEnd: Map<number, RegionRun> | undefined;
  let byStart: Map<number, RegionRun> | undefined;
  let sentences: Segments | undefined;
  let clauses: Segments | undefined;
  const index = () => {
    const runs = findRegionRuns(
      folded,
      regionWindows(anchors, folded, lexicon),
      regions,
      lexicon.run,
      abbreviationsOf(original, folded, anchors, lexicon, regions),
    );
    byEnd = new Map(runs.map((r) => [r.end, r]));
    byStart = new Map(runs.map((r) => [r.start, r]));
    return { byEnd, byStart };
  };
  const state: ParseState = {
    original,
    folded,
    lexicon,
    regions,
    price,
    prices,
    usedRuns: new Set(),
    runEndingAt: (end) => (byEnd ?? index().byEnd).get(end),
    runStartingAt: (start) => (byStart ?? index().byStart).get(start),
    sentences: () => (sentences ??= sentencesOf(folded)),
    clauses: () => (clauses ??= clausesOf(folded)),
  };

  const claims: Claim[] = [];
  const disclosures: Disclosure[] = [];
  const buyerPays: BuyerPaysStatement[] = [];
  const invoice: InvoiceStatement[] = [];
  const fees: BuyerPaysStatement[] = [];
  let readUntil = 0;
  for (const anchor of anchors) {
    // A marker inside a statement already read is part of it (除了偏远地区以外: 以外 closes the 除了).
    if (anchor.start < readUntil && anchor.value.kind === "marker") continue;
    const before = disclosures.length;
    readAnchor(state, anchor, { claims, disclosures, buyerPays, invoice, fees });
    for (let i = before; i < disclosures.length; i += 1)
      readUntil = Math.max(readUntil, (disclosures[i] as Disclosure).end);
  }

  const shipping = shippingStatements(folded, state.sentences(), state.clauses(), anchors, lexicon);
  const kept = disclosures.filter((d) => d.kind !== "exclusion" || shipping(d.start, d.end));
  disclosures.length = 0;
  disclosures.push(...kept);
  markFootnotes(state, disclosures);
  const excluded = excludedRegions(disclosures);
  for (const claim of claims) claim.excluded = excluded.length === 0 ? [] : [...excluded];
  return {
    claims: claims.sort(byStartOffset),
    disclosures: disclosures.sort(byStartOffset),
    // 运费5元，满59包邮: a fee beside a conditional claim is what is paid below the condition.
    buyerPays: withoutOverlaps(claims.some((c) => c.condition !== null) ? buyerPays : [...buyerPays, ...fees]),
    invoice: withoutOverlaps(dropOffersBesideSurcharges(invoice, state)),
  };
}

/** Statements in text order, each dropped that overlaps an earlier one (运费：运费10元 is one statement). */
function withoutOverlaps<T extends { start: number; end: number }>(statements: T[]): T[] {
  const sorted = statements.sort(byStartOffset);
  return sorted.filter((s, i) => i === 0 || (sorted[i - 1] as T).end <= s.start);
}

/** A surcharge read in a clause (开发票要另加税点) makes the offer phrase in that clause part of it. */
function dropOffersBesideSurcharges(invoice: InvoiceStatement[], state: ParseState): InvoiceStatement[] {
  const surcharges = invoice.filter((i) => i.kind === "surcharge");
  if (surcharges.length === 0 || surcharges.length === invoice.length) return invoice.sort(byStartOffset);
  const clauses = state.clauses();
  const withSurcharge = new Set(surcharges.map((s) => clauses.indexOf(s.start)));
  return invoice.filter((i) => i.kind !== "offer" || !withSurcharge.has(clauses.indexOf(i.start))).sort(byStartOffset);
}

/**
 * Whether the statement (sentence) around [start, end) is about shipping: it holds a claim, a marker or a
 * shipping word, or its clause is nothing but that span (纯棉T恤，新疆、西藏除外: regions and a marker
 * standing alone say where the listing does not ship free). Exclusions count only there (除新疆产区外 is
 * about a product).
 * Each sentence is looked at once, however many exclusions it holds.
 */
function shippingStatements(
  folded: string,
  sentences: Segments,
  clauses: Segments,
  anchors: readonly PhraseMatch<Anchor>[],
  lexicon: CompiledLexicon,
): (start: number, end: number) => boolean {
  // A lexicon without shipping words (English) reads every exclusion.
  if (!lexicon.readsShippingStatements) return () => true;
  const about = new Set<number>();
  for (const a of anchors) if (speaksOfShipping(a.value)) about.add(sentences.indexOf(a.start));
  const known = new Map<number, boolean>();
  const isAbout = (index: number, [from, to]: [number, number]) => {
    let found = known.get(index);
    if (found === undefined) {
      found = about.has(index) || lexicon.shippingWords.scan(folded.slice(from, to)).length > 0;
      known.set(index, found);
    }
    return found;
  };
  return (start, end) => {
    const index = sentences.indexOf(start);
    const [from, to] = sentences.around(start);
    if (isAbout(index, [from, to])) return true;
    const [clauseFrom, clauseTo] = clauses.around(start);
    return onlyPunctuation(folded, clauseFrom, start) && onlyPunctuation(folded, end, clauseTo);
  };
}

/** Nothing but punctuation, brackets, footnote marks and spaces between from and to. */
function onlyPunctuation(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) if (!PUNCTUATION.has(text[i] as string)) return false;
  return true;
}

const PUNCTUATION = new Set([..." \t()[]【】「」《》<>*※,、:·-—~。;!?"]);

function speaksOfShipping(anchor: Anchor): boolean {
  switch (anchor.kind) {
    case "core":
    case "negated-core":
    case "buyer-pays":
    case "claim-noun":
    case "mainland-only":
    case "frame":
      return true;
    case "marker":
      return anchor.disclosure !== "exclusion";
    default:
      return false;
  }
}

/** Every region the disclosures name, sorted and once each. */
function excludedRegions(disclosures: readonly Disclosure[]): RegionCode[] {
  if (disclosures.length === 0) return [];
  const codes = new Set<RegionCode>();
  for (const d of disclosures) for (const code of d.regions) codes.add(code);
  return [...codes].sort();
}

/** Traps and asked phrases say nothing; 补 / 加 / 收 mark a surcharge only before an amount (补水 is not one). */
function isLive(anchor: PhraseMatch<Anchor>, folded: string, lexicon: CompiledLexicon): boolean {
  const { value } = anchor;
  if (value.kind === "trap" || value.kind === "question") return false;
  return value.kind !== "marker" || !value.needsAmount || readFee(folded, anchor.end, lexicon) !== undefined;
}

/** Region lists matter only next to anchors: look for region names there, not in the whole text. */
const BEFORE_CLAIM = 24;
const AFTER_CLAIM = 16;
const AROUND_MARKER = 48;

function regionWindows(
  anchors: readonly PhraseMatch<Anchor>[],
  folded: string,
  lexicon: CompiledLexicon,
): TextWindow[] {
  const length = folded.length;
  const windows: Array<[number, number]> = [];
  for (const { start, end, value } of anchors) {
    let window: [number, number] | undefined;
    if (value.kind === "core") window = [start - BEFORE_CLAIM, end + Math.max(AFTER_CLAIM, lexicon.afterClaimWindow)];
    else if (value.kind === "prefix") window = [start, end + AROUND_MARKER];
    else if (value.kind === "negated-core" || value.kind === "buyer-pays" || value.kind === "marker") {
      // A list may also follow the marker (不包邮地区：新疆、西藏; 不发往新疆; 偏远地区不包邮（新疆、西藏）).
      window = [start - AROUND_MARKER, end + AROUND_MARKER];
    } else if (value.kind === "frame" || value.kind === "claim-noun") window = [start, end + AROUND_MARKER];
    if (window) windows.push([Math.max(0, window[0]), Math.min(length, window[1])]);
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push(w);
  }
  return merged;
}

/**
 * Capitalised postal abbreviations (AK, HI) near the anchors that read exclusions, when the region data
 * has them: "except AK, HI" and "AK/HI excluded" list them, a claim's own scope never does.
 */
function abbreviationsOf(
  original: string,
  folded: string,
  anchors: readonly PhraseMatch<Anchor>[],
  lexicon: CompiledLexicon,
  regions: RegionCatalogue,
): Abbreviations | undefined {
  const find = regions.findAbbreviations?.bind(regions);
  if (!find) return undefined;
  const listing = anchors.filter(
    (a) => a.value.kind === "prefix" || a.value.kind === "marker" || a.value.kind === "negated-core",
  );
  if (listing.length === 0) return undefined;
  return { text: original, windows: regionWindows(listing, folded, lexicon), find };
}

/** What reading the anchors collects: the parsed lists, and fee statements (运费10元) kept apart until the claims are known. */
interface Collected extends ParsedText {
  fees: BuyerPaysStatement[];
}

function readAnchor(state: ParseState, anchor: PhraseMatch<Anchor>, out: Collected): void {
  const value = anchor.value;
  switch (value.kind) {
    case "core": {
      const found = readClaim(state, anchor, value.carrier);
      if (found) {
        out.claims.push(found.claim);
        if (found.disclosure) out.disclosures.push(found.disclosure);
      }
      return;
    }
    case "negated-core":
    case "buyer-pays": {
      const scoped = readDisclosure(state, anchor, "exclusion", false);
      if (scoped) out.disclosures.push(scoped);
      else if (isStatement(state, anchor))
        out.buyerPays.push(
          buyerPaysAt(state, anchor.start, anchor.end, value.kind === "negated-core" ? "negation" : "buyer-pays"),
        );
      return;
    }
    case "marker": {
      const found = readDisclosure(state, anchor, value.disclosure, value.needsAmount);
      if (found) out.disclosures.push(found);
      else if (value.feeStatement !== undefined && isStatement(state, anchor)) {
        const end = feeStatementEnd(state, anchor, value.feeStatement);
        if (end !== undefined) out.fees.push(buyerPaysAt(state, anchor.start, end, "buyer-pays"));
      }
      return;
    }
    case "frame": {
      const found = readFrame(state, anchor);
      if (found) out.disclosures.push(found);
      return;
    }
    case "claim-noun": {
      const found = readClaimNoun(state, anchor);
      if (found) out.claims.push(found);
      return;
    }
    case "tax": {
      const found = readTaxSurcharge(state, anchor);
      if (found) out.invoice.push(found);
      return;
    }
    case "prefix": {
      const found = readPrefixDisclosure(state, anchor);
      if (found) out.disclosures.push(found);
      return;
    }
    case "mainland-only":
      out.disclosures.push(readMainlandOnly(state, anchor));
      return;
    case "invoice":
      // 能开发票吗？ asks; it offers nothing.
      if (!isQuestion(state, anchor.start, anchor.end)) {
        out.invoice.push({
          text: state.original.slice(anchor.start, anchor.end),
          start: anchor.start,
          end: anchor.end,
          kind: value.invoice,
        });
      }
      return;
    case "trap":
    case "question":
      return;
  }
}

function buyerPaysAt(
  state: ParseState,
  start: number,
  end: number,
  kind: BuyerPaysStatement["kind"],
): BuyerPaysStatement {
  return { text: state.original.slice(start, end), start, end, kind };
}

/** 运费10元, 每单收取8元运费: where a fee statement ends; undefined when a fee noun is needed and missing. */
function feeStatementEnd(state: ParseState, anchor: PhraseMatch<Anchor>, needs: "amount" | "noun"): number | undefined {
  const fee = readFee(state.folded, anchor.end, state.lexicon);
  if (!fee) return undefined;
  if (needs === "amount") return fee.end;
  return state.lexicon.feeNouns.matchAt(state.folded, fee.end)?.end;
}

const SENTENCE_END = /[。;!?\n]/;
const CONTEXT = 16;

/** An unscoped 不包邮 / 邮费自理 counts unless it asks, concerns returns or restates a condition or scope. */
function isStatement(state: ParseState, anchor: PhraseMatch<Anchor>): boolean {
  const { folded, lexicon } = state;
  if (isQuestion(state, anchor.start, anchor.end)) return false;
  let from = Math.max(0, anchor.start - CONTEXT);
  for (let i = anchor.start - 1; i >= from; i -= 1) {
    if (SENTENCE_END.test(folded[i] as string)) {
      from = i + 1;
      break;
    }
  }
  const before = folded.slice(from, anchor.start);
  if (lexicon.conditionComplements.scan(before).length > 0) return false;
  // 售后…商家一律使用顺丰到付返回: a return word anywhere near, in the same sentence, makes it about returns.
  const [sentenceStart, sentenceEnd] = state.sentences().around(anchor.start);
  const near = folded.slice(
    Math.max(sentenceStart, anchor.start - RETURNS_REACH),
    Math.min(sentenceEnd, anchor.end + RETURNS_REACH),
  );
  return lexicon.returns.scan(near).length === 0;
}

const RETURNS_REACH = 48;

function byStartOffset(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || a.end - b.end;
}
