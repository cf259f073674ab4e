import type {
  AnalysedField,
  BuyerPaysStatement,
  Claim,
  Disclosure,
  InvoiceStatement,
  ListingRecord,
  RegionCatalogue,
  RegionCode,
  ShippingTerms,
  TextField,
} from "../model.js";
import type { PaidQuantity } from "../templates/paid-quantity.js";
import type { TermsRef } from "./message-data.js";

// The types the engine's facts and the claim analysis share: one type-only module, so that neither of the two imports the other's types.

/** A parsed statement with the field it stands in. */
export interface Located<T extends { text: string; start: number; end: number }> {
  item: T;
  field: TextField;
  /** SKU index for `sku`. */
  index?: number;
}

/** What the engine learnt about one listing before any rule runs; rules only read it. */
export interface ListingFacts {
  record: ListingRecord;
  /** The region data of the offer's country (China's by default). */
  regions: RegionCatalogue;
  /** The offer's country (docs/semantics.md#country); undefined when unknown and the claims cannot be checked. */
  country: string | undefined;
  fields: readonly AnalysedField[];
  terms: ShippingTerms;
  termsRef: TermsRef;
  /** The template's id when the terms come from a real template, else null (docs/report-format.md#findings). */
  templateId: string | null;
  /** The price for amount conditions, as the text parser reads it (the lowest SKU price, else the listing price). */
  price: number | undefined;
  /** Ship-from province for 省内包邮: the listing's `shipFrom`, else the template's. */
  shipFrom: RegionCode | undefined;
  /** In order of prominence: field, SKU index, offset. */
  claims: readonly Located<Claim>[];
  disclosures: readonly Located<Disclosure>[];
  buyerPays: readonly Located<BuyerPaysStatement>[];
  invoice: readonly Located<InvoiceStatement>[];
  /** Regions excluded or disclosed anywhere in the listing (docs/semantics.md#exclusions-and-disclosures). */
  disclosed: ReadonlySet<RegionCode>;
  /** Regions disclosed in the title, subtitle or SKU names, not through a footnote. */
  disclosedProminently: ReadonlySet<RegionCode>;
  /** The claim judged against the terms (memoised: several rules ask about the same claim). */
  analyse(claim: Located<Claim>): ClaimAnalysis;
  /** The region's outcome from `fromQuantity` on; undefined when the terms are unknown. */
  evaluate(region: RegionCode, fromQuantity: number): PaidQuantity | undefined;
}

/** Where a covered region is disclosed: nowhere, prominently, or only in the description / a footnote. */
export type Disclosed = "no" | "prominently" | "description-only";

export interface RegionCheck {
  code: RegionCode;
  outcome: PaidQuantity;
  disclosed: Disclosed;
}

export type UnverifiableReason =
  | "no-terms"
  | "unresolved-template"
  | "condition-unsupported"
  | "condition-inexpressible"
  | "local-unknown"
  | "local-not-free"
  | "country-unknown";

/**
 * A claim judged against the terms (see docs/semantics.md#scopes). `regions`: every covered region with its outcome
 * from the quantity where the claim applies; `count`: N省包邮, holds when at least `needed` provinces are free.
 */
export type ClaimAnalysis =
  | { kind: "unchecked" }
  | { kind: "unverifiable"; reason: UnverifiableReason; regions: RegionCode[] }
  | { kind: "regions"; conditional: boolean; checks: RegionCheck[] }
  | { kind: "count"; conditional: boolean; needed: number; free: number; checks: RegionCheck[] };
