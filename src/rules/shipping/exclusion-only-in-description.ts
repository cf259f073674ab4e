import { z } from "zod";
import { PROMINENT_FIELDS, type Claim, type RegionCode, type TextField } from "../../model.js";
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
import type { ListingFacts, Located, RegionCheck } from "../facts.js";

/** A prominent claim whose charged regions are disclosed only in the description or a footnote. */
export const exclusionOnlyInDescription = defineRule({
  meta: {
    id: "shipping/exclusion-only-in-description",
    defaultSeverity: "warning",
    docs: "docs/rules/exclusion-only-in-description.md",
    messages: {
      descriptionOnly: ["field", "claim", "regions", "where", "disclosure", "exclusion"],
      footnoteOnly: ["field", "claim", "regions", "where", "disclosure", "exclusion"],
    },
  },
  options: z.strictObject({
    /** Past this share of the mainland paying, the fix suggests stating the free area instead. */
    freeSideAbove: freeSideAboveOption,
  }),
  check({ facts, options }) {
    const failures: Array<{ claim: Located<Claim>; regions: RegionCheck[]; free: RegionCode[] }> = [];
    for (const claim of facts.claims) {
      if (!PROMINENT_FIELDS.has(claim.field)) continue;
      const analysis = facts.analyse(claim);
      if (analysis.kind !== "regions") continue;
      const hidden = analysis.checks.filter((c) => c.outcome.kind === "charged" && c.disclosed === "description-only");
      if (hidden.length > 0) failures.push({ claim, regions: hidden, free: freeRegionsOf(analysis.checks) });
    }
    const anchor = failures[0];
    if (anchor === undefined) return null;
    const partly = partlyDisclosed(facts);
    const regions = mergeRegions(failures.map((f) => f.regions.map((c) => toFindingRegion(facts.regions, c)))).map(
      (r) => (partly.has(r.code) ? { ...r, partial: true as const } : r),
    );
    const disclosure = findDisclosure(facts, new Set(regions.map((r) => r.code)));
    const { minAmount, minQuantity } = anchor.claim.item.condition ?? {};
    // Nobody writes 25 provinces into a selling point: past the share, the free area is what to state.
    const exclusion = namesFreeSide(
      regions.length,
      anchor.free.length,
      facts.regions.mainland.length,
      options.freeSideAbove,
    )
      ? arg.freeAreaPhrase({
          regions: anchor.free,
          condition: {
            ...(minAmount === undefined ? {} : { minAmount }),
            ...(minQuantity === undefined ? {} : { minQuantity }),
          },
        })
      : arg.exclusionPhrase(regions.map((r) => r.code));
    return {
      messageId: disclosure?.footnote ? "footnoteOnly" : "descriptionOnly",
      ...splitAnchor(failures.map((f) => toClaimRef(f.claim))),
      regions,
      data: {
        field: arg.field(anchor.claim.field),
        claim: arg.text(anchor.claim.item.text),
        regions: arg.regions(regions),
        where: arg.field(disclosure?.field ?? "description"),
        disclosure: arg.text(disclosure?.text ?? ""),
        exclusion,
      },
    };
  },
});

/** Provinces the listing discloses only in part: named partially somewhere and wholly nowhere. */
function partlyDisclosed(facts: ListingFacts): ReadonlySet<RegionCode> {
  const partial = new Set<RegionCode>();
  const whole = new Set<RegionCode>();
  for (const { item } of facts.disclosures) {
    for (const code of item.regions) (item.partial?.includes(code) ? partial : whole).add(code);
  }
  for (const code of whole) partial.delete(code);
  return partial;
}

/** The first non-prominent statement that discloses one of the regions, for the message's evidence. */
function findDisclosure(
  facts: ListingFacts,
  codes: ReadonlySet<RegionCode>,
): { field: TextField; text: string; footnote: boolean } | undefined {
  const hits = (regions: readonly RegionCode[]) => regions.some((code) => codes.has(code));
  for (const d of facts.disclosures) {
    const footnote = d.item.footnote === true;
    if ((footnote || !PROMINENT_FIELDS.has(d.field)) && hits(d.item.regions))
      return { field: d.field, text: d.item.text, footnote };
  }
  for (const c of facts.claims) {
    if (!PROMINENT_FIELDS.has(c.field) && hits(c.item.excluded))
      return { field: c.field, text: c.item.text, footnote: false };
  }
  return undefined;
}
