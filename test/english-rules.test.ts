import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PLATFORMS, type ListingRecord, type Platform } from "../src/model.js";
import { createAuditor } from "../src/engine/engine.js";
import { RULE_IDS } from "../src/rules/registry.js";
import { readShippingDetails } from "../src/sources/page/shipping-details.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";
import { parseLocatedDocument, validateDocument } from "../src/util/yaml-document.js";

/**
 * English listings against their pages' structured shipping data (test/cases/rules-en/*.yaml): each case
 * is a listing, the schema.org Offer whose shippingDetails become its template, and the finding one rule
 * must (or must not) produce. The offer's country comes from the Offer, else the case's `country` (the
 * config's), else it is unknown.
 */
const expectSchema = z.strictObject({
  severity: z.enum(["error", "warning", "info"]).optional(),
  claim: z.strictObject({ text: z.string(), field: z.string() }).nullable().optional(),
  regions: z.array(z.union([z.string(), z.strictObject({ code: z.string(), fee: z.number().nullable() })])).optional(),
  message: z.array(z.string()).optional(),
  fix: z.array(z.string()).optional(),
});
const caseSchema = z.strictObject({
  name: z.string(),
  rule: z.enum(RULE_IDS as [string, ...string[]]),
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]).optional(),
  lang: z.enum(["zh", "en"]).optional(),
  country: z.string().optional(),
  listing: z.record(z.string(), z.unknown()),
  offer: z.record(z.string(), z.unknown()).optional(),
  expect: z.union([z.literal("none"), expectSchema]),
});

const { regions, lexicon, packs } = await loadBundledData();
const us = packs.international?.regions.get("US");
if (!us) throw new Error("the US region data did not load");
const catalogues = new Map([
  ["CN", regions],
  ["US", us],
]);

const folder = path.join(import.meta.dirname, "cases", "rules-en");
const files = readdirSync(folder)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

function recordOf(c: z.output<typeof caseSchema>, file: string): ListingRecord {
  const source = { file, row: 1 };
  const record: ListingRecord = { listing: { id: "L1", title: "", ...c.listing } as never, source };
  if (!c.offer) return record;
  const currency = typeof c.offer.priceCurrency === "string" ? c.offer.priceCurrency : undefined;
  const shipping = readShippingDetails({
    offers: [c.offer],
    ...(currency ? { currency } : {}),
    ...(c.country ? { fallbackCountry: c.country } : {}),
    catalogues,
    templateId: "json-ld:L1",
    source,
    resolve: (v) => v,
  });
  if (shipping.template) record.template = shipping.template;
  if (shipping.issues.length) record.structuredDataIssues = shipping.issues;
  if (shipping.country) record.country = shipping.country;
  return record;
}

let total = 0;
for (const name of files) {
  const file = path.join("test/cases/rules-en", name);
  const cases = unwrap(
    validateDocument(
      unwrap(parseLocatedDocument(readFileSync(path.join(folder, name), "utf8"), file)),
      z.array(caseSchema),
    ),
  );
  total += cases.length;
  describe(`rules-en/${name}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
      const audit = createAuditor({
        regions,
        lexicon,
        templates: new Map(),
        promotions: [],
        packs,
        platform: c.platform ?? "generic",
        lang: c.lang ?? "en",
        ...(c.country && !c.offer ? { country: c.country } : {}),
      });
      const result = audit(recordOf(c, file));
      expect(result.problems.filter((p) => p.code.endsWith("/crashed"))).toEqual([]);
      const findings = result.findings.filter((f) => f.ruleId === c.rule);
      if (c.expect === "none") {
        expect(findings.map((f) => f.message)).toEqual([]);
        return;
      }
      expect(
        findings,
        `exactly one ${c.rule} finding among ${result.findings.map((f) => f.ruleId).join(", ")}`,
      ).toHaveLength(1);
      const finding = findings[0]!;
      const e = c.expect;
      if (e.severity) expect(finding.severity).toBe(e.severity);
      if (e.claim !== undefined)
        expect(finding.claim && { text: finding.claim.text, field: finding.claim.field }).toEqual(e.claim);
      if (e.regions) {
        const expected = e.regions.map((r) => (typeof r === "string" ? { code: r } : r));
        expect(
          finding.regions.map((r, i) =>
            "fee" in (expected[i] ?? {}) ? { code: r.code, fee: r.fee } : { code: r.code },
          ),
        ).toEqual(expected);
      }
      for (const part of e.message ?? []) expect(finding.message).toContain(part);
      for (const part of e.fix ?? []) expect(finding.fix).toContain(part);
    });
  });
}

describe("English rule case files", () => {
  it("hold at least 20 cases", () => {
    expect(total).toBeGreaterThanOrEqual(20);
  });
});
