import {
  PROMINENT_FIELDS,
  TEXT_FIELDS,
  type AnalysedField,
  type Claim,
  type ClaimRef,
  type ListingRecord,
  type RegionCatalogue,
  type RegionCode,
  type ShippingTemplate,
  type ShippingTerms,
} from "../model.js";
import { listingPrice } from "../text/index.js";
import { createPaidQuantityTable, type PaidQuantityTable } from "../templates/paid-quantity.js";
import { analyseClaim, claimAnalysisKey, orderOf } from "./claim-analysis.js";
import type { TermsRef } from "./message-data.js";
import type { ClaimAnalysis, ListingFacts, Located } from "./facts.js";

/** Builds the facts from the analysed fields and the resolved terms. */
export function collectListingFacts(
  record: ListingRecord,
  fields: readonly AnalysedField[],
  terms: ShippingTerms,
  regions: RegionCatalogue,
  country: string | undefined,
): ListingFacts {
  const ordered = orderFields(fields);
  const collect = <T extends { text: string; start: number; end: number }>(
    pick: (f: AnalysedField) => readonly T[],
  ): Located<T>[] => {
    const out: Located<T>[] = [];
    for (const f of ordered) {
      // Most fields state nothing of a kind: skip them without copying or sorting.
      const items = pick(f);
      if (items.length === 0) continue;
      const sorted = items.length === 1 ? items : [...items].sort((a, b) => a.start - b.start);
      for (const item of sorted)
        out.push(f.index === undefined ? { item, field: f.field } : { item, field: f.field, index: f.index });
    }
    return out;
  };
  const claims = collect((f) => f.parsed.claims);
  const disclosures = collect((f) => f.parsed.disclosures);
  const disclosed = new Set<RegionCode>();
  const disclosedProminently = new Set<RegionCode>();
  for (const d of disclosures) {
    for (const code of d.item.regions) {
      disclosed.add(code);
      if (PROMINENT_FIELDS.has(d.field) && d.item.footnote !== true) disclosedProminently.add(code);
    }
  }
  for (const c of claims) {
    for (const code of c.item.excluded) {
      disclosed.add(code);
      if (PROMINENT_FIELDS.has(c.field)) disclosedProminently.add(code);
    }
  }
  const template = terms.kind === "template" ? terms.template : undefined;
  const analyses = new Map<string, ClaimAnalysis>();
  const analysed = new Map<Claim, ClaimAnalysis>();
  let paid: PaidQuantityTable | undefined;
  const facts: ListingFacts = {
    record,
    regions,
    country,
    fields: ordered,
    terms,
    termsRef: describeTerms(terms),
    templateId:
      terms.kind === "template" && (terms.origin === "template" || terms.origin === "page") ? terms.template.id : null,
    price: listingPrice(record.listing),
    shipFrom: shipFromOf(record, template, regions),
    claims,
    disclosures,
    buyerPays: collect((f) => f.parsed.buyerPays),
    invoice: collect((f) => f.parsed.invoice),
    disclosed,
    disclosedProminently,
    analyse(claim) {
      // Rules ask about the same claim objects again and again: look them up before building the key.
      let analysis = analysed.get(claim.item);
      if (analysis !== undefined) return analysis;
      const key = claimAnalysisKey(claim.item);
      analysis = analyses.get(key);
      if (analysis === undefined) {
        analysis = analyseClaim(facts, claim);
        analyses.set(key, analysis);
      }
      analysed.set(claim.item, analysis);
      return analysis;
    },
    evaluate(region, fromQuantity) {
      if (template === undefined) return undefined;
      paid ??= createPaidQuantityTable(template, orderOf(facts));
      return paid(region, fromQuantity);
    },
  };
  return facts;
}

/** A located statement as a finding's claim reference. */
export function toClaimRef(located: Located<{ text: string; start: number; end: number }>): ClaimRef {
  const { item, field, index } = located;
  return { text: item.text, field, start: item.start, end: item.end, ...(index === undefined ? {} : { index }) };
}

function orderFields(fields: readonly AnalysedField[]): AnalysedField[] {
  const rank = (f: AnalysedField) => TEXT_FIELDS.indexOf(f.field) * 1e6 + (f.index ?? 0);
  return [...fields].sort((a, b) => rank(a) - rank(b));
}

function describeTerms(terms: ShippingTerms): TermsRef {
  if (terms.kind === "unknown")
    return terms.templateId === undefined ? { kind: "unknown" } : { kind: "unknown", templateId: terms.templateId };
  switch (terms.origin) {
    case "template":
      return { kind: "template", id: terms.template.id };
    case "seller-pays":
      return { kind: "seller-pays" };
    case "flat-fees":
      return { kind: "flat-fees" };
    case "page":
      return { kind: "page" };
  }
}

function shipFromOf(
  record: ListingRecord,
  template: ShippingTemplate | undefined,
  regions: RegionCatalogue,
): RegionCode | undefined {
  const stated = record.listing.shipFrom?.trim();
  if (stated) {
    // Exports write "浙江 杭州" or "浙江省杭州市": the first mainland province mentioned is the one.
    const direct = regions.resolve(stated);
    const codes = direct ?? regions.findMentions(stated).flatMap((m) => (m.codes.length === 1 ? m.codes : []));
    const province = codes.find((code) => regions.get(code)?.mainland === true);
    if (province && (direct === undefined || direct.length === 1)) return province;
  }
  const fromTemplate = template?.shipFrom;
  return fromTemplate === undefined ? undefined : regions.resolve(fromTemplate)?.[0];
}
