import { z } from "zod";
import type { Claim, RegionCode } from "../../model.js";
import type { UnverifiableReason } from "../claim-analysis.js";
import { toClaimRef, type ListingFacts, type Located } from "../listing-facts.js";
import { arg, type MessageData } from "../message-data.js";
import { mergeRegions, regionsWithoutFee, splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";

type Reason = UnverifiableReason | "regions-unknown";

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
      const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown" && c.disclosed === "no").map((c) => c.code);
      return unknown.length > 0 ? { reason: "regions-unknown", regions: unknown } : undefined;
    }
    case "count": {
      const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown").map((c) => c.code);
      const undecided = analysis.free < analysis.needed && analysis.free + unknown.length >= analysis.needed;
      return undecided ? { reason: "regions-unknown", regions: unknown } : undefined;
    }
  }
}

function dataFor(facts: ListingFacts, claim: Located<Claim>, regions: RegionCode[]): MessageData {
  return {
    field: arg.field(claim.field),
    claim: arg.text(claim.item.text),
    terms: arg.terms(facts.termsRef),
    condition: arg.text(claim.item.condition?.unsupported ?? claim.item.text),
    regionNames: arg.regionNames([...regions].sort()),
  };
}
