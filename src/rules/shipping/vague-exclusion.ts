import { z } from "zod";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { regionsWithoutFee, splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";

/** An exclusion names an open group (偏远地区, "…等") instead of the provinces. */
export const vagueExclusion = defineRule({
  meta: {
    id: "shipping/vague-exclusion",
    defaultSeverity: "info",
    docs: "docs/rules/vague-exclusion.md",
    messages: { vague: ["field", "text", "regionNames", "exclusion"] },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const vague = facts.disclosures.filter((d) => d.item.vague);
    const anchor = vague[0];
    if (anchor === undefined) return null;
    const regions = regionsWithoutFee(
      facts.regions,
      vague.flatMap((d) => d.item.regions),
    );
    const codes = regions.map((r) => r.code);
    return {
      messageId: "vague",
      ...splitAnchor(vague.map(toClaimRef)),
      regions,
      data: {
        field: arg.field(anchor.field),
        text: arg.text(anchor.item.text),
        regionNames: arg.regionNames(codes),
        exclusion: arg.exclusionPhrase(codes),
      },
    };
  },
});
