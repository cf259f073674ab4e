import { z } from "zod";
import type { Claim, RegionCode } from "../../model.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { freeSideAboveOption, mergeRegions, namesFreeSide, splitAnchor, toFindingRegion } from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { Located, RegionCheck } from "../facts.js";

/** A claim covers a region the terms do not deliver to, and the text does not exclude it. */
export const claimUndeliverableRegion = defineRule({
  meta: {
    id: "shipping/claim-undeliverable-region",
    defaultSeverity: "warning",
    docs: "docs/rules/claim-undeliverable-region.md",
    messages: {
      undeliverable: ["field", "claim", "terms", "regions", "regionNames", "exclusion"],
      undeliverableMostly: ["field", "claim", "terms", "deliveredRegions", "count", "deliveryArea"],
    },
  },
  options: z.strictObject({
    /** Past this share of the mainland undelivered, the finding names the delivered regions instead. */
    freeSideAbove: freeSideAboveOption,
  }),
  check({ facts, options }) {
    const failures: Array<{ claim: Located<Claim>; regions: RegionCheck[]; delivered: RegionCode[] }> = [];
    for (const claim of facts.claims) {
      const analysis = facts.analyse(claim);
      if (analysis.kind !== "regions") continue;
      const undeliverable = analysis.checks.filter((c) => c.outcome.kind === "undeliverable" && c.disclosed === "no");
      const delivered = analysis.checks
        .filter((c) => c.outcome.kind === "free" || c.outcome.kind === "charged")
        .map((c) => c.code);
      if (undeliverable.length > 0) failures.push({ claim, regions: undeliverable, delivered });
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.regions.map((c) => toFindingRegion(facts.regions, c))));
    const codes = regions.map((r) => r.code);
    const base = { ...splitAnchor(failures.map((f) => toClaimRef(f.claim))), regions };
    const common = {
      field: arg.field(anchor.claim.field),
      claim: arg.text(anchor.claim.item.text),
      terms: arg.terms(facts.termsRef),
    };
    if (namesFreeSide(regions.length, anchor.delivered.length, facts.regions.mainland.length, options.freeSideAbove)) {
      return {
        ...base,
        messageId: "undeliverableMostly",
        data: {
          ...common,
          deliveredRegions: arg.regionNames(anchor.delivered),
          count: arg.number(regions.length),
          deliveryArea: arg.deliveryAreaPhrase(anchor.delivered),
        },
      };
    }
    return {
      ...base,
      messageId: "undeliverable",
      data: {
        ...common,
        regions: arg.regions(regions),
        regionNames: arg.regionNames(codes),
        exclusion: arg.exclusionPhrase(codes),
      },
    };
  },
});
