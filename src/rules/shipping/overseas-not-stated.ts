import { z } from "zod";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { regionsWithoutFee, splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { ListingFacts } from "../facts.js";
import type { RegionCatalogue, RegionCode } from "../../model.js";

/** A nationwide claim, and no text anywhere says whether 港澳台 and overseas are included. */
export const overseasNotStated = defineRule({
  meta: {
    id: "shipping/overseas-not-stated",
    defaultSeverity: "info",
    docs: "docs/rules/overseas-not-stated.md",
    messages: { notStated: ["field", "claim"] },
  },
  options: z.strictObject({
    /**
     * Phrases that say where the offer holds (仅限大陆); without the option, the region data's
     * `mainlandNames` (rules/regions/cn.yaml), found inside any longer phrase.
     */
    mainlandOnly: z.array(z.string().min(1)).optional(),
  }),
  check({ facts, options }) {
    // Without the offer's country nothing says what "nationwide" is (claim-unverifiable reports it).
    if (facts.country === undefined) return null;
    const nationwide = facts.claims.filter((c) => c.item.scope === "all");
    const anchor = nationwide[0];
    if (anchor === undefined || mentionsNonMainland(facts, options.mainlandOnly ?? facts.regions.mainlandNames ?? []))
      return null;
    return {
      messageId: "notStated",
      ...splitAnchor(nationwide.map(toClaimRef)),
      regions: regionsWithoutFee(facts.regions, facts.regions.nonMainland),
      data: { field: arg.field(anchor.field), claim: arg.text(anchor.item.text) },
    };
  },
});

const nonMainlandSets = new WeakMap<RegionCatalogue, ReadonlySet<RegionCode>>();

function mentionsNonMainland(facts: ListingFacts, mainlandOnly: readonly string[]): boolean {
  // One set per catalogue: the catalogue keeps what it learns about a set by the set's identity.
  let nonMainland = nonMainlandSets.get(facts.regions);
  if (nonMainland === undefined) {
    nonMainland = new Set(facts.regions.nonMainland);
    nonMainlandSets.set(facts.regions, nonMainland);
  }
  const set = nonMainland;
  const named = (codes: readonly string[]) => codes.some((code) => set.has(code));
  if (facts.claims.some((c) => named(c.item.regions) || named(c.item.excluded))) return true;
  if (facts.disclosures.some((d) => named(d.item.regions))) return true;
  return facts.fields.some(
    (f) => facts.regions.mentionsAny(f.text, set) || mainlandOnly.some((phrase) => f.text.includes(phrase)),
  );
}
