import { z } from "zod";
import type { Claim, RegionCode } from "../../model.js";
import { toClaimRef } from "../listing-facts.js";
import { arg, type MessageData } from "../message-data.js";
import { mergeRegions, regionsWithoutFee, splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { ListingFacts, Located, RegionCheck, UnverifiableReason } from "../facts.js";

type Reason = UnverifiableReason | "regions-unknown" | "units-unknown";

/** A claim exists but the data cannot decide it. */
export const claimUnverifiable = defineRule({
  meta: {
    id: "shipping/claim-unverifiable",
    defaultSeverity: "warning",
    docs: "docs/rules/claim-unverifiable.md",
    messages: {
      "no-terms": ["field", "claim"],
      "unresolved-template": ["field", "claim", "terms"],
      "condition-unsupported": ["field", "claim", "condition"],
      "condition-inexpressible": ["field", "claim", "terms"],
      "local-unknown": ["field", "claim"],
      "local-not-free": ["field", "claim", "terms", "regionNames"],
      "regions-unknown": ["field", "claim", "terms", "regionNames"],
      "units-unknown": ["field", "claim", "terms", "regionNames"],
      "country-unknown": ["field", "claim"],
    },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const failures: Array<{ claim: Located<Claim>; reason: Reason; regions: RegionCode[] }> = [];
    for (const claim of facts.claims) {
      const failure = judge(facts, claim);
      if (failure) failures.push({ claim, ...failure });
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => regionsWithoutFee(facts.regions, f.regions)));
    return {
      messageId: anchor.reason,
      ...splitAnchor(failures.map((f) => toClaimRef(f.claim))),
      regions,
      data: dataFor(facts, anchor.claim, anchor.regions),
    };
  },
});

function judge(facts: ListingFacts, claim: Located<Claim>): { reason: Reason; regions: RegionCode[] } | undefined {
  const analysis = facts.analyse(claim);
  switch (analysis.kind) {
    case "unchecked":
      return undefined;
    case "unverifiable":
      return { reason: analysis.reason, regions: analysis.regions };
    case "regions": {
      const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown" && c.disclosed === "no");
      return unknown.length > 0 ? { reason: unknownReason(unknown), regions: unknown.map((c) => c.code) } : undefined;
    }
    case "count": {
      const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown");
      const undecided = analysis.free < analysis.needed && analysis.free + unknown.length >= analysis.needed;
      return undecided ? { reason: unknownReason(unknown), regions: unknown.map((c) => c.code) } : undefined;
    }
  }
}

/** A missing weight or volume is the listing's gap, not a missing template row: say which. */
function unknownReason(checks: readonly RegionCheck[]): Reason {
  const units = checks.every((c) => c.outcome.kind === "unknown" && UNITS_UNKNOWN.has(c.outcome.reason));
  return units ? "units-unknown" : "regions-unknown";
}

/** Reasons evaluate-fee gives when a weight or volume template meets a listing without that figure. */
const UNITS_UNKNOWN: ReadonlySet<string> = new Set(["weight-unknown", "volume-unknown"]);

function dataFor(facts: ListingFacts, claim: Located<Claim>, regions: RegionCode[]): MessageData {
  return {
    field: arg.field(claim.field),
    claim: arg.text(claim.item.text),
    terms: arg.terms(facts.termsRef),
    condition: arg.text(claim.item.condition?.unsupported ?? claim.item.text),
    regionNames: arg.regionNames([...regions].sort()),
  };
}
