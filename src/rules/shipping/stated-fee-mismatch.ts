import { z } from "zod";
import type { Disclosure, FindingRegion, RegionCode } from "../../model.js";
import { toClaimRef } from "../listing-facts.js";
import { arg } from "../message-data.js";
import { mergeRegions, regionCodes, splitAnchor } from "../report-helpers.js";
import { defineRule } from "../rule.js";
import type { ListingFacts, Located } from "../facts.js";

/** Differences below a cent are rounding, not a mismatch. */
const CENT = 0.005;

/** The text states a surcharge ("新疆补10元") that differs from the terms' fee. */
export const statedFeeMismatch = defineRule({
  meta: {
    id: "shipping/stated-fee-mismatch",
    defaultSeverity: "warning",
    docs: "docs/rules/stated-fee-mismatch.md",
    messages: { mismatch: ["field", "text", "stated", "terms", "regions", "regionNames"] },
  },
  options: z.strictObject({}),
  check({ facts }) {
    const failures: Array<{ disclosure: Located<Disclosure>; stated: number; regions: FindingRegion[] }> = [];
    for (const disclosure of facts.disclosures) {
      const stated = disclosure.item.fee;
      if (stated === null) continue;
      const regions = disclosure.item.regions.flatMap((code) => {
        const actual = actualFee(facts, code, stated);
        return actual === undefined
          ? []
          : [{ code, name: facts.regions.get(code)?.name ?? code, fee: actual, quantity: 1 }];
      });
      if (regions.length > 0) failures.push({ disclosure, stated, regions });
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const regions = mergeRegions(failures.map((f) => f.regions));
    return {
      messageId: "mismatch",
      ...splitAnchor(failures.map((f) => toClaimRef(f.disclosure))),
      regions,
      data: {
        field: arg.field(anchor.disclosure.field),
        text: arg.text(anchor.disclosure.item.text),
        stated: arg.money(anchor.stated),
        terms: arg.terms(facts.termsRef),
        regions: arg.regions(regions),
        regionNames: arg.regionNames(regionCodes(regions)),
      },
    };
  },
});

/**
 * The fee for one item when it differs from the stated one, else undefined. A surcharge (补, 加收) may
 * also be read as the difference to the default row's first fee, so both readings are accepted.
 */
function actualFee(facts: ListingFacts, code: RegionCode, stated: number): number | undefined {
  const outcome = facts.evaluate(code, 1);
  if (outcome === undefined || outcome.kind === "undeliverable" || outcome.kind === "unknown") return undefined;
  const fee = outcome.kind === "charged" && outcome.quantity === 1 ? outcome.fee : 0;
  if (Math.abs(fee - stated) < CENT) return undefined;
  if (outcome.kind === "charged" && facts.terms.kind === "template") {
    const service = facts.terms.template.services.find((s) => s.service === outcome.service);
    const base = service?.default?.firstFee ?? 0;
    if (base > 0 && Math.abs(fee - base - stated) < CENT) return undefined;
  }
  return fee;
}
