import { z } from "zod";
import type { Claim } from "../../model.js";
import { isConditional, type RegionCheck } from "../claim-analysis.js";
import { toClaimRef, type Located } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { mergeRegions, splitAnchor, toFindingRegion } from "../report-helpers.js";
import { defineRule } from "../rule.js";

interface Failure {
  claim: Located<Claim>;
  unbacked: RegionCheck[];
  count?: { needed: number; free: number };
}

/** 满X元包邮 / N件包邮 while the terms still charge covered regions once the condition holds. */
export const conditionalClaimUnbacked = defineRule({
  meta: {
    id: "shipping/conditional-claim-unbacked",
    defaultSeverity: "error",
    docs: "docs/rules/conditional-claim-unbacked.md",
    messages: {
      unbacked: ["field", "claim", "terms", "condition", "regions", "regionNames", "exclusion"],
      unbackedEverywhere: ["field", "claim", "terms", "condition", "quantity", "fee"],
      countShort: ["field", "claim", "terms", "condition", "needed", "free"],
    },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const failures: Failure[] = [];
    for (const claim of facts.claims) {
      if (!isConditional(claim.item)) continue;
      const analysis = facts.analyse(claim);
      if (analysis.kind === "regions") {
        const unbacked = analysis.checks.filter((c) => c.outcome.kind === "charged" && c.disclosed === "no");
        if (unbacked.length > 0) failures.push({ claim, unbacked });
      } else if (analysis.kind === "count") {
        const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown").length;
        if (analysis.free + unknown < analysis.needed) {
          const unbacked = analysis.checks.filter((c) => c.outcome.kind === "charged");
          failures.push({ claim, unbacked, count: { needed: analysis.needed, free: analysis.free } });
        }
      }
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.unbacked.map((c) => toFindingRegion(facts.regions, c))));
    const { minAmount, minQuantity } = anchor.claim.item.condition ?? {};
    const common = {
      field: arg.field(anchor.claim.field),
      claim: arg.text(anchor.claim.item.text),
      terms: arg.terms(facts.termsRef),
      condition: arg.condition({ ...(minAmount === undefined ? {} : { minAmount }), ...(minQuantity === undefined ? {} : { minQuantity }) }),
    };
    const base = { ...splitAnchor(failures.map((f) => toClaimRef(f.claim))), regions };
    if (anchor.count) {
      return { ...base, messageId: "countShort", data: { ...common, needed: arg.number(anchor.count.needed), free: arg.number(anchor.count.free) } };
    }
    if (facts.regions.mainland.every((code) => regions.some((r) => r.code === code))) {
      const quantity = Math.min(...regions.map((r) => r.quantity ?? 1));
      const fee = Math.min(...regions.map((r) => r.fee ?? Infinity));
      return { ...base, messageId: "unbackedEverywhere", data: { ...common, quantity: arg.number(quantity), fee: arg.money(fee) } };
    }
    const codes = regions.map((r) => r.code);
    return {
      ...base,
      messageId: "unbacked",
      data: { ...common, regions: arg.regions(regions), regionNames: arg.regionNames(codes), exclusion: arg.exclusionPhrase(codes) },
    };
  },
});
