import { z } from "zod";
import type { Claim, RegionCode } from "../../model.js";
import { isConditional } from "../claim-analysis.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import {
  freeRegionsOf,
  freeSideAboveOption,
  mergeRegions,
  namesFreeSide,
  splitAnchor,
  toFindingRegion,
} from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { Located, RegionCheck } from "../facts.js";

interface Failure {
  claim: Located<Claim>;
  unbacked: RegionCheck[];
  /** Covered regions that are free once the condition holds, to name when most pay. */
  free: RegionCode[];
  count?: { needed: number; free: number };
}

/** 满X元包邮 / N件包邮 while the terms still charge covered regions once the condition holds. */
export const conditionalClaimUnbacked = defineRule({
  meta: {
    id: "shipping/conditional-claim-unbacked",
    defaultSeverity: "error",
    docs: "docs/rules/conditional-claim-unbacked.md",
    messages: {
      unbacked: ["field", "claim", "terms", "condition", "charges", "regionNames", "exclusion"],
      unbackedMostly: ["field", "claim", "terms", "condition", "freeRegions", "count", "freeArea"],
      unbackedEverywhere: ["field", "claim", "terms", "condition", "leastFee"],
      countShort: ["field", "claim", "terms", "condition", "needed", "free"],
    },
  },
  options: z.strictObject({
    /** Past this share of the mainland paying, the finding names the free regions instead. */
    freeSideAbove: freeSideAboveOption,
  }),
  check({ facts, options }) {
    const failures: Failure[] = [];
    for (const claim of facts.claims) {
      if (!isConditional(claim.item)) continue;
      const analysis = facts.analyse(claim);
      if (analysis.kind === "regions") {
        const unbacked = analysis.checks.filter((c) => c.outcome.kind === "charged" && c.disclosed === "no");
        if (unbacked.length > 0) failures.push({ claim, unbacked, free: freeRegionsOf(analysis.checks) });
      } else if (analysis.kind === "count") {
        const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown").length;
        if (analysis.free + unknown < analysis.needed) {
          const unbacked = analysis.checks.filter((c) => c.outcome.kind === "charged");
          failures.push({ claim, unbacked, free: [], count: { needed: analysis.needed, free: analysis.free } });
        }
      }
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.unbacked.map((c) => toFindingRegion(facts.regions, c))));
    const { minAmount, minQuantity } = anchor.claim.item.condition ?? {};
    const condition = {
      ...(minAmount === undefined ? {} : { minAmount }),
      ...(minQuantity === undefined ? {} : { minQuantity }),
    };
    const common = {
      field: arg.field(anchor.claim.field),
      claim: arg.text(anchor.claim.item.text),
      terms: arg.terms(facts.termsRef),
      condition: arg.condition(condition),
    };
    const base = { ...splitAnchor(failures.map((f) => toClaimRef(f.claim))), regions };
    if (anchor.count) {
      return {
        ...base,
        messageId: "countShort",
        data: { ...common, needed: arg.number(anchor.count.needed), free: arg.number(anchor.count.free) },
      };
    }
    if (facts.regions.mainland.every((code) => regions.some((r) => r.code === code))) {
      const quantity = Math.min(...regions.map((r) => r.quantity ?? 1));
      const fee = Math.min(...regions.map((r) => r.fee ?? Infinity));
      return {
        ...base,
        messageId: "unbackedEverywhere",
        data: { ...common, leastFee: arg.leastFee({ fee, quantity }) },
      };
    }
    if (namesFreeSide(regions.length, anchor.free.length, facts.regions.mainland.length, options.freeSideAbove)) {
      return {
        ...base,
        messageId: "unbackedMostly",
        data: {
          ...common,
          freeRegions: arg.regionNames(anchor.free),
          count: arg.number(regions.length),
          freeArea: arg.freeAreaPhrase({ regions: anchor.free, condition }),
        },
      };
    }
    const codes = regions.map((r) => r.code);
    const charges = arg.charges({ regions, condition, ...(facts.price === undefined ? {} : { price: facts.price }) });
    return {
      ...base,
      messageId: "unbacked",
      data: { ...common, charges, regionNames: arg.regionNames(codes), exclusion: arg.exclusionPhrase(codes) },
    };
  },
});
