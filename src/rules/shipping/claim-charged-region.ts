import { z } from "zod";
import { chargedClaims, leastFeeOf } from "../charged-claims.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import {
  coversEvery,
  freeSideAboveOption,
  mergeRegions,
  namesFreeSide,
  regionCodes,
  rowChangesOf,
  splitAnchor,
  toFindingRegion,
} from "../report-helpers.js";
import { defineRule } from "../rule.js";

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
    const failures = chargedClaims(facts, false);
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
    const mainlandCharged = coversEvery(regions, facts.regions.mainland);
    if (mainlandCharged) {
      return {
        ...base,
        messageId: "chargedEverywhere",
        data: { ...common, leastFee: arg.leastFee(leastFeeOf(regions)) },
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
        exclusion: arg.exclusionPhrase(regionCodes(regions)),
        rows,
      },
    };
  },
});
