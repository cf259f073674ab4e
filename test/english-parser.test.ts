import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { RegionCatalogue } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { explainText } from "../src/text/explain.js";
import { loadLexicon } from "../src/text/lexicon.js";
import { formatLocatedError, type Result } from "../src/util/result.js";
import { parseLocatedDocument, validateDocument } from "../src/util/yaml-document.js";

/**
 * The English lexicon (rules/lexicon/en.yaml) through the same parser, with the US region data: table
 * cases in test/cases/parser-en/*.yaml, written like test/cases/parser. Regions are names, groups,
 * ISO 3166-2 codes, or $remote / $non-mainland.
 */
const regionList = z.array(z.string());
const condition = z.union([
  z.null(),
  z.strictObject({ minAmount: z.number() }),
  z.strictObject({ minQuantity: z.number() }),
  z.strictObject({ unsupported: z.string() }),
]);
const caseSchema = z.strictObject({
  name: z.string().optional(),
  text: z.string(),
  price: z.number().optional(),
  claims: z
    .array(
      z.strictObject({
        text: z.string().optional(),
        scope: z.enum(["all", "regions", "partial", "local"]).optional(),
        regions: regionList.optional(),
        excluded: regionList.optional(),
        condition: condition.optional(),
        count: z.number().optional(),
      }),
    )
    .optional(),
  disclosures: z
    .array(
      z.strictObject({
        text: z.string().optional(),
        regions: regionList.optional(),
        fee: z.number().nullable().optional(),
        vague: z.boolean().optional(),
        kind: z.enum(["exclusion", "surcharge", "no-delivery"]).optional(),
        footnote: z.boolean().optional(),
      }),
    )
    .optional(),
  buyerPays: z.array(z.strictObject({ text: z.string().optional(), kind: z.enum(["buyer-pays", "negation"]) })).optional(),
});
type Case = z.output<typeof caseSchema>;

const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(result.errors.map(formatLocatedError).join("\n"));
  return result.value;
};
const regions = unwrap(await loadRegionCatalogue({ file: path.join(import.meta.dirname, "..", "rules", "regions", "us.yaml") }));
const lexicon = unwrap(await loadLexicon(path.join(import.meta.dirname, "..", "rules", "lexicon", "en.yaml")));

const folder = path.join(import.meta.dirname, "cases", "parser-en");
const files = readdirSync(folder).filter((f) => f.endsWith(".yaml")).sort();

function loadCases(file: string): Case[] {
  const doc = unwrap(parseLocatedDocument(readFileSync(path.join(folder, file), "utf8"), file));
  return unwrap(validateDocument(doc, z.array(caseSchema)));
}

function toCodes(names: readonly string[], catalogue: RegionCatalogue): string[] {
  const codes = names.flatMap((name) => {
    if (name === "$remote") return catalogue.remote;
    if (name === "$non-mainland") return catalogue.nonMainland;
    const resolved = catalogue.get(name) ? [name] : catalogue.resolve(name);
    if (!resolved) throw new Error(`unknown region in a case: ${name}`);
    return resolved;
  });
  return [...new Set(codes)].sort();
}

function withCodes<T extends object>(expected: T): T {
  const out: Record<string, unknown> = { ...(expected as Record<string, unknown>) };
  for (const key of ["regions", "excluded"]) {
    const value = out[key];
    if (Array.isArray(value)) out[key] = toCodes(value as string[], regions);
  }
  return out as T;
}

let total = 0;
for (const file of files) {
  const cases = loadCases(file);
  total += cases.length;
  describe(`parser-en/${file}`, () => {
    it.each(cases.map((c) => [c.name ?? c.text, c] as const))("%s", (_name, c) => {
      const result = explainText(c.text, { lexicon, regions, ...(c.price === undefined ? {} : { price: c.price }) });
      for (const key of ["claims", "disclosures", "buyerPays"] as const) {
        const expected = c[key];
        if (expected === undefined) continue;
        const actual = result[key] as readonly object[];
        expect(actual, key).toHaveLength(expected.length);
        expected.forEach((e, i) => expect(actual[i], `${key}[${i}]`).toMatchObject(withCodes(e)));
      }
      for (const claim of result.claims) expect(result.text.slice(claim.start, claim.end)).toBe(claim.text);
      for (const d of result.disclosures) expect(result.text.slice(d.start, d.end)).toBe(d.text);
    });
  });
}

describe("English parser case files", () => {
  it("hold at least 40 cases", () => {
    expect(total).toBeGreaterThanOrEqual(40);
  });
});
