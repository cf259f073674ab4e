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
  rowChangesOf,
  splitAnchor,
  toFindingRegion,
} from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { Located, RegionCheck } from "../facts.js";

interface Failure {
  claim: Located<Claim>;
  charged: RegionCheck[];
  /** Covered regions that are free, to name when most pay. */
  free: RegionCode[];
  count?: { needed: number; free: number };
}

/** An unconditional free-shipping claim covers a region that pays at some quantity, undisclosed. */
export const claimChargedRegion = defineRule({
  meta: {
    id: "shipping/claim-charged-region",
    defaultSeverity: "error",
    docs: "docs/rules/claim-charged-region.md",
    messages: {
      charged: ["field", "claim", "terms", "regions", "exclusion", "rows"],
      chargedMostly: ["field", "claim", "terms", "freeRegions", "count", "freeArea", "rows"],
      chargedEverywhere: ["field", "claim", "terms", "leastFee"],
      countShort: ["field", "claim", "terms", "needed", "free"],
    },
  },
  options: z.strictObject({
    /** Past this share of the mainland paying, the finding names the free regions instead. */
    freeSideAbove: freeSideAboveOption,
  }),
  check({ facts, options }) {
    const failures: Failure[] = [];
    for (const claim of facts.claims) {
      if (isConditional(claim.item)) continue;
      const analysis = facts.analyse(claim);
      if (analysis.kind === "regions") {
        const charged = analysis.checks.filter((c) => c.outcome.kind === "charged" && c.disclosed === "no");
        if (charged.length > 0) failures.push({ claim, charged, free: freeRegionsOf(analysis.checks) });
      } else if (analysis.kind === "count") {
        const unknown = analysis.checks.filter((c) => c.outcome.kind === "unknown").length;
        if (analysis.free + unknown < analysis.needed) {
          const charged = analysis.checks.filter((c) => c.outcome.kind === "charged");
          failures.push({ claim, charged, free: [], count: { needed: analysis.needed, free: analysis.free } });
        }
      }
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.charged.map((c) => toFindingRegion(facts.regions, c))));
    const common = {
      field: arg.field(anchor.claim.field),
      claim: arg.text(anchor.claim.item.text),
      terms: arg.terms(facts.termsRef),
    };
    const { claim, relatedClaims } = splitAnchor(failures.map((f) => toClaimRef(f.claim)));
    const base = { claim, relatedClaims, regions };
    if (anchor.count) {
      return {
        ...base,
        messageId: "countShort",
        data: { ...common, needed: arg.number(anchor.count.needed), free: arg.number(anchor.count.free) },
      };
    }
    const mainlandCharged = facts.regions.mainland.every((code) => regions.some((r) => r.code === code));
    if (mainlandCharged) {
      const quantity = Math.min(...regions.map((r) => r.quantity ?? 1));
      const fee = Math.min(...regions.map((r) => r.fee ?? Infinity));
      return {
        ...base,
        messageId: "chargedEverywhere",
        data: { ...common, leastFee: arg.leastFee({ fee, quantity }) },
      };
    }
    const rows = arg.rows(rowChangesOf(failures.flatMap((f) => f.charged)));
    if (namesFreeSide(regions.length, anchor.free.length, facts.regions.mainland.length, options.freeSideAbove)) {
      return {
        ...base,
        messageId: "chargedMostly",
        data: {
          ...common,
          freeRegions: arg.regionNames(anchor.free),
          count: arg.number(regions.length),
          freeArea: arg.freeAreaPhrase({ regions: anchor.free, condition: {} }),
          rows,
        },
      };
    }
    return {
      ...base,
      messageId: "charged",
      data: {
        ...common,
        regions: arg.regions(regions),
        exclusion: arg.exclusionPhrase(regions.map((r) => r.code)),
        rows,
      },
    };
  },
});
