import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAuditor, type AuditorOptions } from "../src/engine/engine.js";
import { brokenLimit } from "../src/fix/field-limits.js";
import { loadFixContext } from "../src/fix/load-fix-context.js";
import { applyEdits, planFixes } from "../src/fix/plan-fixes.js";
import type { Listing, ListingRecord, ShippingTemplate } from "../src/model.js";
import { parseTemplates } from "../src/templates/parse-templates.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";

const SEED = 20261207;
const { regions, lexicon, packs } = await loadBundledData();
const templates = new Map<string, ShippingTemplate>(
  unwrap(
    parseTemplates(
      readFileSync(new URL("../samples/templates/shop-templates.yaml", import.meta.url), "utf8"),
      "shop-templates.yaml",
      regions,
    ),
  ).templates.map((t) => [t.id, t]),
);
const options: AuditorOptions = { regions, lexicon, templates, promotions: [], packs, platform: "taobao", lang: "zh" };
const audit = createAuditor(options);
const context = unwrap(await loadFixContext(regions, "zh"));

const claim = fc.constantFrom("", "包邮", "全国包邮", "满68包邮", "2件包邮", "顺丰包邮", "江浙沪包邮", "包邮 ");
const product = fc.constantFrom(
  "手剥山核桃仁250g",
  "纯棉短袖T恤 男款 宽松",
  "太空铝毛巾架",
  "冰丝阔腿裤",
  "22.5W快充充电宝",
);
const sellingPoint = fc.constantFrom(
  "",
  "新货现发 核小肉厚",
  "全国包邮 新疆西藏补运费10元",
  "偏远地区除外",
  "满99包邮",
  "不开发票",
  "x".repeat(148),
);
const sentence = fc.constantFrom(
  "偏远地区需补运费。",
  "新疆、西藏、青海不包邮。",
  "如需开发票，开票加税点，请联系客服。",
  "本店不开发票。",
  "全国包邮。",
  "新疆西藏补运费15元。",
  "坏果包赔。",
  "港澳台暂不发货。",
);
const description = fc.array(sentence, { maxLength: 4 }).map((parts) => parts.map((p) => `<p>${p}</p>`).join(""));
const listing = fc.record({
  title: fc.tuple(claim, product).map(([c, p]) => `${c}${p}`),
  subtitle: sellingPoint,
  description,
  templateId: fc.constantFrom(...templates.keys()),
  price: fc.constantFrom(9.9, 39.9, 99),
  skus: fc.constantFrom<Listing["skus"]>(undefined, [{ name: "红色 包邮" }, { name: "蓝色" }]),
});

const record = (value: Listing): ListingRecord => ({ listing: value, source: { file: "generated.json", row: 1 } });

describe("fixes over generated listings", () => {
  it("re-auditing a fixed listing gives no finding of a fixed kind; only text fields change; limits hold; a second pass plans nothing", () => {
    let fixedTotal = 0;
    const kinds: Record<string, number> = {};
    fc.assert(
      fc.property(listing, (generated) => {
        const original: Listing = { id: "G1", ...generated, ...(generated.skus ? { skus: generated.skus } : {}) };
        if (original.skus === undefined) delete original.skus;
        const first = audit(record(original));
        const plan = planFixes(original, first.findings, context);
        const fixed = applyEdits(original, plan.edits);
        expect(fixed).toEqual(plan.listing);
        fixedTotal += plan.fixed.length;
        for (const k of plan.fixed) kinds[k] = (kinds[k] ?? 0) + 1;
        for (const r of plan.refused) kinds[`refused ${r.reason}`] = (kinds[`refused ${r.reason}`] ?? 0) + 1;
        expect(plan.fixed.length + plan.refused.length).toBe(first.findings.length);
        const again = audit(record(fixed));
        const fixedKinds = new Set(plan.fixed);
        for (const finding of again.findings) expect(fixedKinds.has(finding.ruleId)).toBe(false);
        // Only the text fields differ.
        const nonText = (l: Listing) => ({
          ...l,
          title: "",
          subtitle: "",
          description: "",
          skus: l.skus?.map((s) => s.price),
        });
        expect(nonText(fixed)).toEqual(nonText(original));
        for (const edit of plan.edits) {
          const beforeBroke = brokenLimit(edit.before, edit.field, context.data) !== undefined;
          if (!beforeBroke) expect(brokenLimit(edit.after, edit.field, context.data)).toBeUndefined();
        }
        // Idempotent: the fixed listing's findings plan no edit.
        expect(planFixes(fixed, again.findings, context).edits).toEqual([]);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(fixedTotal).toBeGreaterThan(100);
    // Every rule with a text fix was fixed somewhere, and the refusals of each kind were met.
    for (const [kind, fix] of Object.entries(context.data.rules))
      if (fix.kind !== "none" && kind !== "shipping/structured-data-invalid")
        expect(kinds[kind] ?? 0, kind).toBeGreaterThan(0);
    for (const reason of ["most-regions-pay", "no-fix", "does-not-fit"])
      expect(kinds[`refused ${reason}`] ?? 0, reason).toBeGreaterThan(0);
  });
});
