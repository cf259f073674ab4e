/**
 * The shared data model. Every stage speaks these types:
 * source → ListingRecord → visible text → ParsedText → rules (against ShippingTerms) → Finding → reporter.
 * Nothing here does I/O.
 */

import type { ProblemCode } from "./problems/catalogue.js";

export type { ProblemCode } from "./problems/catalogue.js";

// ─── Regions ────────────────────────────────────────────────────────────────

/** GB/T 2260 province code ("650000"), "overseas", or an ISO 3166 code ("US", "US-AK"). */
export type RegionCode = string;

export interface RegionInfo {
  code: RegionCode;
  /** Official full name, e.g. 新疆维吾尔自治区. */
  name: string;
  /** The name sellers write, e.g. 新疆. */
  shortName: string;
  aliases: readonly string[];
  /** One of the 31 mainland provinces. */
  mainland: boolean;
}

/** A region or group word found in text. */
export interface RegionMention {
  text: string;
  start: number;
  end: number;
  codes: readonly RegionCode[];
  /** Set when the mention is a group word (偏远地区, 江浙沪 …): the group's name. */
  group?: string;
  /** An open group such as 偏远地区: its members come from configuration, not from the text. */
  vague: boolean;
  /** A place below province level (酒泉市, 朝阳区): it names part of its province (`codes`, empty when the name is ambiguous). */
  partial?: true;
  /** A short form (酒泉) that is a place only next to another region, never alone. */
  weak?: true;
}

export interface RegionCatalogue {
  /** The 31 mainland provinces, sorted by code. */
  readonly mainland: readonly RegionCode[];
  /** The configured remote set (偏远地区), sorted. */
  readonly remote: readonly RegionCode[];
  /** 台湾, 香港, 澳门 and overseas, sorted. */
  readonly nonMainland: readonly RegionCode[];
  get(code: RegionCode): RegionInfo | undefined;
  /**
   * Resolves one term — name, alias, group word, GB/T 2260 code (sub-province codes roll up to their
   * province), `1` or 全国 — to region codes; undefined when unknown.
   */
  resolve(term: string): readonly RegionCode[] | undefined;
  /** All region and group mentions in (folded) text: longest match first, non-overlapping, in order. */
  findMentions(text: string): RegionMention[];
  /** Whether any of findMentions' mentions names a region of `codes`, without building them. */
  mentionsAny(text: string, codes: ReadonlySet<RegionCode>): boolean;
  /** Known names, aliases and group words nearest to an unknown term, nearest first ("did you mean"). */
  suggest?(term: string): string[];
  /**
   * Postal abbreviations written in capitals in unfolded text ("AK", "HI"), when the region data has
   * them; the parser reads them only inside exclusion lists ("except AK, HI").
   */
  findAbbreviations?(text: string): RegionMention[];
  /** The group words of the region data (江浙沪, 港澳台 …) with their members, in data order. */
  readonly groups?: readonly RegionGroup[];
  /** Words that name the mainland as a whole (大陆, 内地), from the region data's `mainlandNames`. */
  readonly mainlandNames?: readonly string[];
}

/** A group word of the region data and the regions it names. */
export interface RegionGroup {
  name: string;
  members: readonly RegionCode[];
  /** An open group (偏远地区) whose members come from configuration. */
  vague: boolean;
}

// ─── Listings and where they come from ──────────────────────────────────────

export type FreightPayer = "seller" | "buyer";
export type Platform = "taobao" | "tmall" | "pinduoduo" | "generic";
export const PLATFORMS: readonly Platform[] = ["taobao", "tmall", "pinduoduo", "generic"];

export interface Sku {
  name: string;
  price?: number;
}

export interface FlatFees {
  express?: number;
  ems?: number;
  post?: number;
}

/** A listing as docs/listing-format.md#fields defines it. Money in yuan. */
export interface Listing {
  id: string;
  title: string;
  subtitle?: string;
  description?: string;
  mobileDescription?: string;
  skus?: Sku[];
  templateId?: string;
  freightPayer?: FreightPayer;
  fees?: FlatFees;
  price?: number;
  weight?: number;
  volume?: number;
  invoice?: boolean;
  shipFrom?: string;
  category?: string;
  platform?: string;
  url?: string;
}

/** Where something stands in the input. `file` is relative to the working directory. */
export interface SourceLocation {
  file?: string;
  /** 1-based record number within its file. */
  row?: number;
  /** 1-based physical line where the record starts. */
  line?: number;
  field?: string;
  url?: string;
}

/** A listing with its location, plus what a page source could gather about its shipping terms. */
export interface ListingRecord {
  listing: Listing;
  source: SourceLocation;
  /** A template carried by the listing itself (e.g. JSON-LD shippingDetails); wins over templateId. */
  template?: ShippingTemplate;
  /** Contradictions found while turning structured data into a template (for structured-data-invalid). */
  structuredDataIssues?: StructuredDataIssue[];
  /** ISO 3166-1 country of the offer (see docs/semantics.md#country), when known. */
  country?: string;
}

export interface StructuredDataIssue {
  kind: "free-and-charged" | "currency-mismatch" | "invalid-rate";
  message: string;
  regions: RegionCode[];
}

/** A problem with the input that did not stop the run (see docs/report-format.md#problems). */
export interface Problem {
  /** Stable code from the catalogue (src/problems/catalogue.ts), e.g. `csv/unterminated-quote`. */
  code: ProblemCode;
  message: string;
  /** The message in Chinese, where a source words it; a run in `--lang zh` reports this one. */
  zh?: string;
  source: SourceLocation;
  listingId?: string;
}

export type SourceItem =
  | { kind: "listing"; record: ListingRecord }
  | { kind: "problem"; problem: Problem /** the record was dropped because of it */; skipped: boolean };

// ─── Shipping templates ─────────────────────────────────────────────────────

export type Valuation = "piece" | "weight" | "volume";

/** Fee for u units = firstFee + ceil(max(0, u − first) / next) × nextFee. */
export interface FeeSchedule {
  first: number;
  firstFee: number;
  next: number;
  nextFee: number;
}

export interface FeeRow extends FeeSchedule {
  areas: RegionCode[];
  /** How the merchant recognises the row, e.g. "新疆、西藏" or "默认". */
  label: string;
  /** 1-based line of the row in its file, when known. */
  line?: number;
  /**
   * Provinces in `areas` that the row names only in part (by a sub-province code such as 650100): the
   * rest of such a province keeps the default row, and the province pays the higher of the two.
   */
  partial?: RegionCode[];
}

/** One delivery service of a template (our format has one, Taobao Open Platform data may have several). */
export interface ServiceTable {
  /** `default` for our format; `express`, `post`, `ems`, `cod` … for Taobao Open Platform data. */
  service: string;
  /**
   * The default row, serving exactly its `areas` (the 31 mainland provinces for 全国 / `1`); absent means
   * regions the rows do not name are unknown for this service. A seller-pays template carries a zero-fee
   * default row over the regions it serves.
   */
  default?: FeeRow;
  rows: FeeRow[];
}

export interface FreeWhenRow {
  areas: RegionCode[];
  minQuantity?: number;
  /** Yuan. */
  minAmount?: number;
  origin: "template" | "promotion";
  line?: number;
}

export interface ShippingTemplate {
  id: string;
  name?: string;
  payer: FreightPayer;
  valuation: Valuation;
  services: ServiceTable[];
  freeWhen: FreeWhenRow[];
  noDelivery: RegionCode[];
  /** Ship-from province, when the template says. */
  shipFrom?: RegionCode;
  /** False when the data cannot express conditions (Taobao Open Platform, JSON-LD without threshold). */
  conditionsExpressible: boolean;
  /** Which loader produced it. */
  format: "listing-auditor" | "taobao-top" | "json-ld" | "listing";
  source: SourceLocation;
}

/** What a listing's shipping costs, decided as docs/semantics.md#shipping-terms says. */
export type ShippingTerms =
  | { kind: "template"; template: ShippingTemplate; origin: "template" | "seller-pays" | "flat-fees" | "page" }
  | { kind: "unknown"; reason: "no-terms" | "unresolved-template"; templateId?: string };

/** A quantity of the listing in one order. */
export interface OrderSize {
  quantity: number;
  /** Unit price in yuan, when known (for minAmount conditions). */
  price?: number;
  /** Per-unit weight (kg) / volume (m³), for weight/volume valuation. */
  weight?: number;
  volume?: number;
}

export type RegionFee =
  | { status: "free"; fee: 0 }
  | { status: "charged"; fee: number; service: string; row: FeeRow }
  | { status: "undeliverable"; fee: null }
  | { status: "unknown"; fee: null; reason: string };

// ─── Text and what the parser finds in it ───────────────────────────────────

/** Buyer-visible fields, in order of prominence (see docs/listing-format.md#buyer-visible-text). */
export type TextField = "title" | "subtitle" | "sku" | "description" | "mobileDescription";
export const TEXT_FIELDS: readonly TextField[] = ["title", "subtitle", "sku", "description", "mobileDescription"];
/** Fields a buyer sees before the detail page (see docs/semantics.md#disclosure-placement). */
export const PROMINENT_FIELDS: ReadonlySet<TextField> = new Set(["title", "subtitle", "sku"]);

export type ClaimScope = "all" | "regions" | "partial" | "local";

export interface ClaimCondition {
  minAmount?: number;
  minQuantity?: number;
  /** A condition the data cannot express (满3斤): the claim is unverifiable. */
  unsupported?: string;
}

export interface Claim {
  text: string;
  start: number;
  end: number;
  scope: ClaimScope;
  /** For scope `regions`: the named regions; covers 港澳台/海外 when named (全球包邮, 含港澳台). */
  regions: RegionCode[];
  /** Regions excluded by text attached to this claim, sorted. */
  excluded: RegionCode[];
  condition: ClaimCondition | null;
  carrier: string | null;
  /** For `partial` claims like 25省包邮. */
  count?: number;
}

export interface Disclosure {
  text: string;
  start: number;
  end: number;
  /** Regions disclosed (excluded, surcharged or not delivered), sorted. */
  regions: RegionCode[];
  /** A stated surcharge in yuan (新疆补10元), else null. */
  fee: number | null;
  /** Open group (偏远地区, …等): regions were read from configuration. */
  vague: boolean;
  kind: "exclusion" | "surcharge" | "no-delivery";
  /** Reached through an asterisk / footnote marker: counts as description-only. */
  footnote?: boolean;
  /** Provinces among `regions` named only in part (甘肃部分地区, 广东湛江市), sorted; absent when none. */
  partial?: RegionCode[];
}

/** 邮费自理 / 运费到付 / unscoped 不包邮. Scoped forms are disclosures; returns-related forms are neither. */
export interface BuyerPaysStatement {
  text: string;
  start: number;
  end: number;
  /** `negation` for 不包邮 / 非包邮, `buyer-pays` for 邮费自理 and the like. */
  kind: "buyer-pays" | "negation";
}

export interface InvoiceStatement {
  text: string;
  start: number;
  end: number;
  kind: "offer" | "refusal" | "surcharge" | "limited";
}

export interface ParsedText {
  claims: Claim[];
  disclosures: Disclosure[];
  buyerPays: BuyerPaysStatement[];
  invoice: InvoiceStatement[];
}

/** One buyer-visible field of a listing, read and parsed. */
export interface AnalysedField {
  field: TextField;
  /** Index of the SKU for `sku` fields. */
  index?: number;
  /** Visible text (see docs/report-format.md#offsets): offsets point into this. */
  text: string;
  parsed: ParsedText;
}

// ─── Findings ───────────────────────────────────────────────────────────────

export type Severity = "error" | "warning" | "info";
export type RuleSetting = Severity | "off";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
export type Lang = "zh" | "en";

export interface ClaimRef {
  text: string;
  field: TextField;
  start: number;
  end: number;
  /** SKU index for `sku`. */
  index?: number;
}

/** A rule as a run shows it: its id, severity in this run, title and docs (reports and `listing-audit rules`). */
export interface RuleDescriptor {
  id: string;
  /** Severity the rule has in this run (pack + config), or `off`. */
  severity: Severity | "off";
  defaultSeverity: Severity;
  /** A short title in the run's language (包邮宣称与运费模板不符), shown beside or instead of the id. */
  title: string;
  /** One-line description in the run's language. */
  description: string;
  /** The platform rule it enforces, e.g. 滥发信息—发布错误描述信息. */
  reference: string;
  /** Link to docs/rules/<name>.md. */
  docsUrl: string;
}

export interface FindingRegion {
  code: RegionCode;
  name: string;
  fee: number | null;
  quantity?: number | null;
  /** The listing discloses this province only in part (甘肃部分地区除外, 湛江市不发货). */
  partial?: true;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  listingId: string;
  message: string;
  source: SourceLocation;
  claim: ClaimRef | null;
  relatedClaims: ClaimRef[];
  regions: readonly FindingRegion[];
  templateId: string | null;
  fix: string;
  reference: string;
  /** Set by --baseline: the finding was already known. */
  baselined?: boolean;
  /** Set by --compare: whether the previous report had this finding. */
  compared?: "new" | "unchanged";
  /** Set with the --fix options: the text changes that fix it, where the input's offsets are known (SARIF `fixes`). */
  fixes?: TextFix[];
}

/** A change of one stretch of an input text file, positions 1-based, `charOffset` in UTF-16 units after any BOM. */
export interface TextReplacement {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
  charOffset: number;
  charLength: number;
  text: string;
}

/** A fix of a finding as text changes of its input file. */
export interface TextFix {
  description: string;
  replacements: TextReplacement[];
}

/** What the auditor produced for one listing. */
export interface ListingResult {
  record: ListingRecord;
  findings: Finding[];
  problems: Problem[];
}

export interface Summary {
  listings: number;
  findings: number;
  error: number;
  warning: number;
  info: number;
  problems: number;
  skipped: number;
  /** Listings left unaudited by the config's `allow.listings` / `allow.urls` (set when the config has them). */
  allowlisted?: number;
  /** Findings dropped by the config's `allow.phrases` (set when the config has them). */
  suppressed?: number;
  /** `--compare`: how the findings differ from a previous JSON report (set only then). */
  comparison?: ReportComparison;
}

/** What `--compare` found against a previous JSON report. */
export interface ReportComparison {
  /** The previous report, as named on the command line. */
  previous: string;
  /** Fingerprints of the current findings that the previous report did not have, in report order. */
  new: string[];
  /** How many current findings the previous report already had. */
  unchanged: number;
  /** The previous report's findings that are gone, as that report wrote them (the first 10,000). */
  fixed: FixedFinding[];
  /** Fixed findings beyond those listed in `fixed` (set when there are any). */
  fixedNotListed?: number;
  /** The first new findings (up to 10,000), named, for people reading the run's notes. */
  newFindings?: FixedFinding[];
}

/** A finding of a previous JSON report that the current run no longer produces (or, in `newFindings`, a new one). */
export interface FixedFinding {
  ruleId: string;
  severity: Severity;
  listingId: string;
  message: string;
  claim: { text: string } | null;
  regions: Array<{ code: string }>;
  fingerprint?: string;
}
