import { z } from "zod";
import { chargedClaims, leastFeeOf } from "../charged-claims.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import {
  coversEvery,
  freeSideAboveOption,
  mergeRegions,
  namesFreeSide,
  splitAnchor,
  toFindingRegion,
} from "../report-helpers.js";
import { defineRule } from "../rule.js";

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
    const failures = chargedClaims(facts, true);
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.charged.map((c) => toFindingRegion(facts.regions, c))));
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
    if (coversEvery(regions, facts.regions.mainland)) {
      return {
        ...base,
        messageId: "unbackedEverywhere",
        data: { ...common, leastFee: arg.leastFee(leastFeeOf(regions)) },
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
