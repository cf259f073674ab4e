import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { z } from "zod";
import { PLATFORMS, type FreeWhenRow, type Platform, type ShippingTemplate } from "../src/model.js";
import { createAuditor } from "../src/engine/engine.js";
import { RULE_IDS } from "../src/rules/registry.js";
import { parseTemplates } from "../src/templates/parse-templates.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";
import { parseLocatedDocument, validateDocument } from "../src/util/yaml-document.js";

/**
 * One generic runner over test/cases/rules/<rule>.yaml: each case is a listing with its templates and
 * the finding that rule must (or must not) produce — a table that reads like the rule's specification.
 */
const CASES_DIR = fileURLToPath(new URL("./cases/rules/", import.meta.url));

const regionSchema = z.union([
  z.string(),
  z.strictObject({
    code: z.string(),
    fee: z.number().nullable().optional(),
    quantity: z.number().optional(),
    partial: z.boolean().optional(),
  }),
]);
const expectSchema = z.strictObject({
  severity: z.enum(["error", "warning", "info"]).optional(),
  claim: z.strictObject({ text: z.string(), field: z.string(), index: z.number().optional() }).nullable().optional(),
  related: z.array(z.string()).optional(),
  regions: z.array(regionSchema).optional(),
  templateId: z.string().nullable().optional(),
  message: z.array(z.string()).optional(),
  fix: z.array(z.string()).optional(),
});
const caseSchema = z.strictObject({
  name: z.string(),
  platform: z.enum(PLATFORMS as [Platform, ...Platform[]]).optional(),
  lang: z.enum(["zh", "en"]).optional(),
  listing: z.record(z.string(), z.unknown()),
  templates: z.array(z.unknown()).optional(),
  /** A Taobao Open Platform response, as it comes. */
  top: z.record(z.string(), z.unknown()).optional(),
  promotions: z
    .array(
      z.strictObject({
        areas: z.array(z.string()),
        minAmount: z.number().optional(),
        minQuantity: z.number().optional(),
      }),
    )
    .optional(),
  structuredDataIssues: z.array(z.unknown()).optional(),
  expect: z.union([z.literal("none"), expectSchema]),
});
const fileSchema = z.strictObject({
  rule: z.enum(RULE_IDS as [string, ...string[]]),
  cases: z.array(caseSchema).min(1),
});

const { regions, lexicon, packs } = await loadBundledData();

function loadTemplates(file: string, c: z.output<typeof caseSchema>): Map<string, ShippingTemplate> {
  const templates = new Map<string, ShippingTemplate>();
  const sources = [
    ...(c.templates ? [stringify({ templates: c.templates })] : []),
    ...(c.top ? [JSON.stringify(c.top)] : []),
  ];
  for (const text of sources)
    for (const t of unwrap(parseTemplates(text, file, regions)).templates) templates.set(t.id, t);
  return templates;
}

function resolvePromotions(c: z.output<typeof caseSchema>): FreeWhenRow[] {
  return (c.promotions ?? []).map((p) => ({
    areas: p.areas.flatMap((a) => regions.resolve(a) ?? []),
    ...(p.minAmount === undefined ? {} : { minAmount: p.minAmount }),
    ...(p.minQuantity === undefined ? {} : { minQuantity: p.minQuantity }),
    origin: "promotion" as const,
  }));
}

const files = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe.each(files)("%s", (name) => {
  const file = path.join("test/cases/rules", name);
  const spec = unwrap(
    validateDocument(unwrap(parseLocatedDocument(readFileSync(path.join(CASES_DIR, name), "utf8"), file)), fileSchema),
  );

  it.each(spec.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const audit = createAuditor({
      regions,
      lexicon,
      templates: loadTemplates(file, c),
      promotions: resolvePromotions(c),
      packs,
      platform: c.platform ?? "taobao",
      lang: c.lang ?? "zh",
    });
    const listing = { id: "L1", title: "", ...c.listing };
    const result = audit({
      listing: listing as never,
      source: { file, row: 1, line: 1 },
      ...(c.structuredDataIssues ? { structuredDataIssues: c.structuredDataIssues as never } : {}),
    });
    expect(result.problems.filter((p) => p.code.endsWith("/crashed"))).toEqual([]);
    const findings = result.findings.filter((f) => f.ruleId === spec.rule);
    if (c.expect === "none") {
      expect(findings.map((f) => f.message)).toEqual([]);
      return;
    }
    expect(findings, "exactly one finding of the rule").toHaveLength(1);
    const finding = findings[0]!;
    const e = c.expect;
    if (e.severity) expect(finding.severity).toBe(e.severity);
    if (e.claim !== undefined) {
      expect(
        finding.claim === null
          ? null
          : {
              text: finding.claim.text,
              field: finding.claim.field,
              ...(e.claim?.index === undefined ? {} : { index: finding.claim.index }),
            },
      ).toEqual(e.claim);
      if (finding.claim) expect(finding.source.field).toBe(finding.claim.field);
    }
    if (e.related) expect(finding.relatedClaims.map((r) => r.text)).toEqual(e.related);
    if (e.regions) {
      const expected = e.regions.map((r) => (typeof r === "string" ? { code: r } : r));
      const actual = finding.regions.map((r, i) => {
        const want = expected[i];
        if (want === undefined || typeof want !== "object") return { code: r.code };
        return {
          code: r.code,
          ...("fee" in want ? { fee: r.fee } : {}),
          ...("quantity" in want ? { quantity: r.quantity } : {}),
          ...("partial" in want ? { partial: r.partial === true } : {}),
        };
      });
      expect(actual).toEqual(expected);
    }
    if (e.templateId !== undefined) expect(finding.templateId).toBe(e.templateId);
    for (const part of e.message ?? []) expect(finding.message).toContain(part);
    for (const part of e.fix ?? []) expect(finding.fix).toContain(part);
  });
});

describe("case files", () => {
  it("cover every rule with at least 8 cases, flagged and not", () => {
    const byRule = new Map<string, { flag: number; pass: number }>();
    for (const name of files) {
      const spec = fileSchema.parse(
        unwrap(parseLocatedDocument(readFileSync(path.join(CASES_DIR, name), "utf8"), name)).value,
      );
      const counts = byRule.get(spec.rule) ?? { flag: 0, pass: 0 };
      for (const c of spec.cases) c.expect === "none" ? counts.pass++ : counts.flag++;
      byRule.set(spec.rule, counts);
    }
    for (const id of RULE_IDS) {
      const counts = byRule.get(id);
      expect(counts, id).toBeDefined();
      expect(counts!.flag, `${id} must-flag cases`).toBeGreaterThanOrEqual(3);
      expect(counts!.pass, `${id} must-not-flag cases`).toBeGreaterThanOrEqual(3);
      expect(counts!.flag + counts!.pass, `${id} cases`).toBeGreaterThanOrEqual(8);
    }
  });
});
