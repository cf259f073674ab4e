import { describe, expect, it } from "vitest";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { parseText } from "../src/text/parser.js";
import { unwrap } from "./helpers/bundled-data.js";

/**
 * Hang guards (wide margins, not speed assertions): reading a text costs time in proportion to its
 * length. Every statement once looked back to the start of its sentence or line, so a long description
 * without punctuation cost the square of its length (300,000 characters took about ten minutes).
 */
const regions = unwrap(await loadRegionCatalogue());
const lexicon = unwrap(await loadLexicon());

describe("long texts", () => {
  it.for([
    { name: "exclusions in one endless sentence", unit: "新疆西藏除外 包邮 ", statements: true },
    { name: "exclusions without shipping words (none counts)", unit: "除新疆外 ", statements: false },
    { name: "invoice surcharges in one clause", unit: "开票另加税点 可开发票 ", statements: true },
    { name: "claims and footnotes", unit: "全场包邮* 48小时发货 *青海、宁夏除外 ", statements: true },
  ])("$name", { timeout: 120_000 }, ({ unit, statements }) => {
    const text = unit.repeat(Math.ceil(300_000 / unit.length));
    const parsed = parseText(text, { lexicon, regions });
    const found = parsed.claims.length + parsed.disclosures.length + parsed.invoice.length;
    if (statements) expect(found).toBeGreaterThan(1000);
    else expect(found).toBe(0);
  });
});
