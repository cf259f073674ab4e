import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { RegionCatalogue } from "../../src/model.js";
import { explainText } from "../../src/text/explain.js";
import type { Lexicon } from "../../src/text/lexicon.js";
import { formatLocatedError, type Result } from "../../src/util/result.js";
import { parseLocatedDocument, validateDocument } from "../../src/util/yaml-document.js";

/**
 * The generic runner of table-driven parser cases (test/cases/parser and parser-en). Each case gives a text
 * (plain or HTML) and the lists it expects; a list that is given must match exactly in length, and each
 * entry asserts the keys it names. Regions may be written as names, groups or codes, or $remote /
 * $non-mainland.
 */
const regionList = z.array(z.string());
const condition = z.union([
  z.null(),
  z.strictObject({ minAmount: z.number() }),
  z.strictObject({ minQuantity: z.number() }),
  z.strictObject({ minAmount: z.number(), minQuantity: z.number() }),
  z.strictObject({ unsupported: z.string() }),
]);
const caseSchema = z.strictObject({
  name: z.string().optional(),
  text: z.string(),
  price: z.number().optional(),
  /** Other prices the listing shows (SKU prices): a number equal to one is the price. */
  prices: z.array(z.number()).optional(),
  claims: z
    .array(
      z.strictObject({
        text: z.string().optional(),
        start: z.number().optional(),
        end: z.number().optional(),
        scope: z.enum(["all", "regions", "partial", "local"]).optional(),
        regions: regionList.optional(),
        excluded: regionList.optional(),
        condition: condition.optional(),
        carrier: z.string().nullable().optional(),
        count: z.number().optional(),
      }),
    )
    .optional(),
  disclosures: z
    .array(
      z.strictObject({
        text: z.string().optional(),
        start: z.number().optional(),
        end: z.number().optional(),
        regions: regionList.optional(),
        fee: z.number().nullable().optional(),
        vague: z.boolean().optional(),
        kind: z.enum(["exclusion", "surcharge", "no-delivery"]).optional(),
        footnote: z.boolean().optional(),
        partial: regionList.optional(),
      }),
    )
    .optional(),
  buyerPays: z
    .array(z.strictObject({ text: z.string().optional(), kind: z.enum(["buyer-pays", "negation"]) }))
    .optional(),
  invoice: z
    .array(z.strictObject({ text: z.string().optional(), kind: z.enum(["offer", "refusal", "surcharge", "limited"]) }))
    .optional(),
});
type Case = z.output<typeof caseSchema>;

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.errors.map(formatLocatedError).join("\n"));
  return result.value;
}

function loadCases(folder: string, file: string): Case[] {
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

/** Replaces region names by sorted codes, leaving other keys as written. */
function withCodes<T extends object>(expected: T, catalogue: RegionCatalogue): T {
  const out: Record<string, unknown> = { ...(expected as Record<string, unknown>) };
  for (const key of ["regions", "excluded", "partial"]) {
    const value = out[key];
    if (Array.isArray(value)) out[key] = toCodes(value as string[], catalogue);
  }
  return out as T;
}

/** Registers one describe block per case file of `folder`; returns how many cases there are. */
export function describeParserCases(folder: string, context: { lexicon: Lexicon; regions: RegionCatalogue }): number {
  let total = 0;
  for (const file of readdirSync(folder)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const cases = loadCases(folder, file);
    total += cases.length;
    describe(`${path.basename(folder)}/${file}`, () => {
      it.each(cases.map((c) => [c.name ?? c.text, c] as const))("%s", (_name, c) => {
        const result = explainText(c.text, {
          ...context,
          ...(c.price === undefined ? {} : { price: c.price }),
          ...(c.prices === undefined ? {} : { prices: c.prices }),
        });
        for (const key of ["claims", "disclosures", "buyerPays", "invoice"] as const) {
          const expected = c[key];
          if (expected === undefined) continue;
          const actual = result[key] as readonly object[];
          expect(actual, key).toHaveLength(expected.length);
          for (const [i, e] of expected.entries())
            expect(actual[i], `${key}[${i}]`).toMatchObject(withCodes(e, context.regions));
        }
        for (const claim of result.claims) expect(result.text.slice(claim.start, claim.end)).toBe(claim.text);
        for (const d of result.disclosures) expect(result.text.slice(d.start, d.end)).toBe(d.text);
      });
    });
  }
  return total;
}
