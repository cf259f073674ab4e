import type { Claim, FindingRegion, RegionCode } from "../model.js";
import { isConditional } from "./claim-analysis.js";
import type { ListingFacts, Located, RegionCheck } from "./facts.js";
import { freeRegionsOf } from "./report-helpers.js";

/** A free-shipping claim the terms do not honour, undisclosed. */
export interface ChargedClaim {
  claim: Located<Claim>;
  /** The covered regions that pay. */
  charged: RegionCheck[];
  /** Covered regions that are free, to name when most pay. */
  free: RegionCode[];
  /** For a claim of a number of regions (N省包邮): how many it needs and how many are free. */
  count?: { needed: number; free: number };
}

/**
 * The listing's claims, conditional (满X元包邮, N件包邮) or not as asked, that cover a region paying without
 * a disclosure, or that promise more free regions than there are; in the order the listing states them.
 */
export function chargedClaims(facts: ListingFacts, conditional: boolean): ChargedClaim[] {
  const out: ChargedClaim[] = [];
  for (const claim of facts.claims) {
    if (isConditional(claim.item) !== conditional) continue;
    const analysis = facts.analyse(claim);
    if (analysis.kind === "regions") {
      const charged = analysis.checks.filter((c) => c.outcome.kind === "charged" && c.disclosed === "no");
      if (charged.length > 0) out.push({ claim, charged, free: freeRegionsOf(analysis.checks) });
    } else if (analysis.kind === "count") {
      const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown").length;
      if (analysis.free + unknown < analysis.needed) {
        const charged = analysis.checks.filter((c) => c.outcome.kind === "charged");
        out.push({ claim, charged, free: [], count: { needed: analysis.needed, free: analysis.free } });
      }
    }
  }
  return out;
}

/** The lowest fee among paying regions and the smallest quantity at which any of them pays. */
export function leastFeeOf(regions: readonly FindingRegion[]): { fee: number; quantity: number } {
  return {
    fee: Math.min(...regions.map((r) => r.fee ?? Infinity)),
    quantity: Math.min(...regions.map((r) => r.quantity ?? 1)),
  };
}
