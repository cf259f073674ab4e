import type { Claim, ClaimCondition, RegionCatalogue, RegionCode, ShippingTemplate } from "../model.js";
import { findAmountRow } from "../templates/evaluate-fee.js";
import type { PaidQuantity } from "../templates/paid-quantity.js";
import type { ClaimAnalysis, Disclosed, ListingFacts, Located } from "./facts.js";

/** Is the claim tied to an amount or count condition (满99包邮, 2件包邮)? */
export function isConditional(claim: Claim): boolean {
  const c = claim.condition;
  return c !== null && (c.minAmount !== undefined || c.minQuantity !== undefined || c.unsupported !== undefined);
}

/**
 * Claims that agree on everything analyseClaim reads from them get the same analysis: a description
 * repeats its 全国包邮（…除外） line, and the analysis need not be redone. Extend it with every claim
 * field analyseClaim comes to read.
 */
export function claimAnalysisKey(claim: Claim): string {
  const c = claim.condition;
  return `${claim.scope}|${claim.count}|${claim.regions.join(",")}|${c === null ? "-" : `${c.minAmount}|${c.minQuantity}|${c.unsupported}`}`;
}

export function analyseClaim(facts: ListingFacts, located: Located<Claim>): ClaimAnalysis {
  const claim = located.item;
  if (claim.scope === "partial" && claim.count === undefined) return { kind: "unchecked" };
  const terms = facts.terms;
  if (terms.kind === "unknown") return { kind: "unverifiable", reason: terms.reason, regions: [] };
  // What an unscoped claim covers (docs/semantics.md#country) depends on the offer's country.
  if (facts.country === undefined) return { kind: "unverifiable", reason: "country-unknown", regions: [] };
  const template = terms.template;
  const conditional = isConditional(claim);
  // The facts' memoised outcomes; defined here, as the terms are a template.
  const paid = (code: RegionCode, fromQuantity: number) => facts.evaluate(code, fromQuantity) as PaidQuantity;
  const evaluate = (code: RegionCode) => evaluateRegion(template, code, claim.condition, facts.price, paid);
  const covered = coveredRegions(facts, claim);

  if (conditional) {
    const unsupported = claim.condition?.unsupported !== undefined;
    if (unsupported || !template.conditionsExpressible) {
      // Terms that are free at every quantity honour any condition; otherwise the data cannot tell.
      const candidates = claim.scope === "local" ? (facts.shipFrom ? [facts.shipFrom] : []) : covered;
      const alwaysFree = candidates.length > 0 && candidates.every((code) => paid(code, 1).kind === "free");
      if (!alwaysFree)
        return {
          kind: "unverifiable",
          reason: unsupported ? "condition-unsupported" : "condition-inexpressible",
          regions: [],
        };
      return { kind: "regions", conditional, checks: [] };
    }
  }
  if (claim.scope === "local") {
    if (facts.shipFrom === undefined) return { kind: "unverifiable", reason: "local-unknown", regions: [] };
    const outcome = evaluate(facts.shipFrom);
    if (outcome.kind === "free") return { kind: "regions", conditional, checks: [] };
    return { kind: "unverifiable", reason: "local-not-free", regions: [facts.shipFrom] };
  }
  if (claim.scope === "partial") {
    const checks = facts.regions.mainland.map((code) => ({ code, outcome: evaluate(code), disclosed: "no" as const }));
    const free = checks.filter((c) => c.outcome.kind === "free").length;
    return { kind: "count", conditional, needed: claim.count ?? 0, free, checks };
  }
  const checks = covered.map((code) => ({ code, outcome: evaluate(code), disclosed: disclosedAs(facts, code) }));
  return { kind: "regions", conditional, checks };
}

const sortedMainlands = new WeakMap<RegionCatalogue, readonly RegionCode[]>();

/** Regions a claim of scope `all` or `regions` covers: 港澳台 and 海外 only when it names them. */
function coveredRegions(facts: ListingFacts, claim: Claim): readonly RegionCode[] {
  if (claim.scope === "all" && claim.regions.length === 0) {
    let mainland = sortedMainlands.get(facts.regions);
    if (mainland === undefined) {
      mainland = [...new Set(facts.regions.mainland)].sort();
      sortedMainlands.set(facts.regions, mainland);
    }
    return mainland;
  }
  const codes =
    claim.scope === "all"
      ? [...facts.regions.mainland, ...claim.regions]
      : claim.scope === "regions"
        ? claim.regions
        : [];
  return [...new Set(codes)].sort();
}

function disclosedAs(facts: ListingFacts, code: RegionCode): Disclosed {
  if (facts.disclosedProminently.has(code)) return "prominently";
  return facts.disclosed.has(code) ? "description-only" : "no";
}

export function orderOf(facts: ListingFacts): { price?: number; weight?: number; volume?: number } {
  const { weight, volume } = facts.record.listing;
  return {
    ...(facts.price === undefined ? {} : { price: facts.price }),
    ...(typeof weight === "number" && weight > 0 ? { weight } : {}),
    ...(typeof volume === "number" && volume > 0 ? { volume } : {}),
  };
}

/**
 * The region's outcome from the first quantity the claim applies to. Unconditional: from 1. With a
 * condition: from q0; an amount condition without a price holds only where the region is free anyway or
 * an amount-only free-when row at or below the claimed amount covers it.
 */
function evaluateRegion(
  template: ShippingTemplate,
  code: RegionCode,
  condition: ClaimCondition | null,
  price: number | undefined,
  paid: (code: RegionCode, fromQuantity: number) => PaidQuantity,
): PaidQuantity {
  const minAmount = condition?.minAmount;
  const minQuantity = condition?.minQuantity;
  if (minAmount !== undefined && price === undefined) {
    const outcome = paid(code, minQuantity === undefined ? 1 : Math.max(1, Math.ceil(minQuantity)));
    if (outcome.kind !== "charged") return outcome;
    return findAmountRow(template, code, minAmount) ? { kind: "free" } : outcome;
  }
  return paid(code, firstQualifyingQuantity(condition, price));
}

/** q0: the smallest q with q ≥ minQuantity or q × price ≥ minAmount (1 without a condition). */
export function firstQualifyingQuantity(condition: ClaimCondition | null, price: number | undefined): number {
  const candidates: number[] = [];
  if (condition?.minQuantity !== undefined) candidates.push(Math.ceil(condition.minQuantity));
  if (condition?.minAmount !== undefined && price !== undefined && price > 0) {
    // Round to cents first so that 3 × 33.33 counts as reaching 99.99 exactly.
    candidates.push(Math.ceil(Math.round((condition.minAmount / price) * 1e6) / 1e6));
  }
  return Math.max(1, candidates.length === 0 ? 1 : Math.min(...candidates));
}
