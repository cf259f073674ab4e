import { z } from "zod";
import type { Claim } from "../../model.js";
import type { RegionCheck } from "../claim-analysis.js";
import { toClaimRef, type Located } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { mergeRegions, splitAnchor, toFindingRegion } from "../report-helpers.js";
import { defineRule } from "../rule.js";

/** A claim covers a region the terms do not deliver to, and the text does not exclude it. */
export const claimUndeliverableRegion = defineRule({
  meta: {
    id: "shipping/claim-undeliverable-region",
    defaultSeverity: "warning",
    docs: "docs/rules/claim-undeliverable-region.md",
    messages: { undeliverable: ["field", "claim", "terms", "regions", "regionNames", "exclusion"] },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const failures: Array<{ claim: Located<Claim>; regions: RegionCheck[] }> = [];
    for (const claim of facts.claims) {
      const analysis = facts.analyse(claim);
      if (analysis.kind !== "regions") continue;
      const undeliverable = analysis.checks.filter((c) => c.outcome.kind === "undeliverable" && c.disclosed === "no");
      if (undeliverable.length > 0) failures.push({ claim, regions: undeliverable });
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.regions.map((c) => toFindingRegion(facts.regions, c))));
    const codes = regions.map((r) => r.code);
    return {
      messageId: "undeliverable",
      ...splitAnchor(failures.map((f) => toClaimRef(f.claim))),
      regions,
      data: {
        field: arg.field(anchor.claim.field),
        claim: arg.text(anchor.claim.item.text),
        terms: arg.terms(facts.termsRef),
        regions: arg.regions(regions),
        regionNames: arg.regionNames(codes),
        exclusion: arg.exclusionPhrase(codes),
      },
    };
  },
});
