import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { describeParserCases, unwrap } from "./helpers/parser-cases.js";

/** The Chinese lexicon and region data through the table-driven cases of test/cases/parser/*.yaml. */
const regions = unwrap(await loadRegionCatalogue());
const lexicon = unwrap(await loadLexicon());

const total = describeParserCases(path.join(import.meta.dirname, "cases", "parser"), { lexicon, regions });

describe("parser case files", () => {
  it("hold at least 170 cases", () => {
    expect(total).toBeGreaterThanOrEqual(170);
  });
});
