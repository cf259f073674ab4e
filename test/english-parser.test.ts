import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { describeParserCases, unwrap } from "./helpers/parser-cases.js";

/**
 * The English lexicon (rules/lexicon/en.yaml) through the same parser, with the US region data: table
 * cases in test/cases/parser-en/*.yaml, written like test/cases/parser. Regions are names, groups,
 * ISO 3166-2 codes, or $remote / $non-mainland.
 */
const rulesDir = path.join(import.meta.dirname, "..", "rules");
const regions = unwrap(await loadRegionCatalogue({ file: path.join(rulesDir, "regions", "us.yaml") }));
const lexicon = unwrap(await loadLexicon(path.join(rulesDir, "lexicon", "en.yaml")));

const total = describeParserCases(path.join(import.meta.dirname, "cases", "parser-en"), { lexicon, regions });

describe("English parser case files", () => {
  it("hold at least 40 cases", () => {
    expect(total).toBeGreaterThanOrEqual(40);
  });
});
