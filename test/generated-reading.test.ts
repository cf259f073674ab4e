import { describe, expect, it } from "vitest";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { explainText } from "../src/text/explain.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { unwrap } from "./helpers/bundled-data.js";
import { generateCases } from "./helpers/statement-parts.js";

/**
 * Shipping statements composed from their parts — region lists × position × marker × copula × glue ×
 * punctuation, in and out of a claim's context, plus near misses — each read as its parts say.
 */
const regions = unwrap(await loadRegionCatalogue());
const lexicon = unwrap(await loadLexicon());
const cases = generateCases();

describe("generated statements", () => {
  it("number at least 3,000", () => {
    expect(cases.length).toBeGreaterThanOrEqual(3000);
  });

  it.for(cases)("$production: $text", (c) => {
    const read = explainText(c.text, { lexicon, regions });
    if (c.disclosure === null) expect(read.disclosures, "disclosures").toEqual([]);
    else {
      const found = read.disclosures.filter((d) => d.kind === c.disclosure?.kind);
      expect(
        found.length,
        `one ${c.disclosure.kind} disclosure in ${JSON.stringify(read.disclosures)}`,
      ).toBeGreaterThanOrEqual(1);
      const d = found[0];
      expect({ regions: d?.regions, fee: d?.fee, vague: d?.vague }).toEqual({
        regions: c.disclosure.regions,
        fee: c.disclosure.fee,
        vague: c.disclosure.vague,
      });
      if (c.disclosure.partial !== undefined) expect(d?.partial ?? []).toEqual(c.disclosure.partial);
    }
    expect(read.buyerPays, "no unscoped buyer-pays or negation").toEqual([]);
    if (c.claimExcluded !== undefined) {
      expect(read.claims.length, "one claim").toBeGreaterThanOrEqual(1);
      for (const claim of read.claims) expect(claim.excluded).toEqual(c.claimExcluded);
    }
    if (c.condition !== undefined) expect(read.claims[0]?.condition).toEqual(c.condition);
  });
});
