import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { PLATFORMS, type Listing, type ListingRecord, type ShippingTemplate } from "../src/model.js";
import { createAuditor, describeRules, type AuditorOptions } from "../src/engine/engine.js";
import { RULES, RULE_IDS } from "../src/rules/registry.js";
import { BUILTIN_RULES_DIR, parseRulePack } from "../src/engine/rule-packs.js";
import { parseRuleTexts } from "../src/engine/rule-texts.js";
import { claimChargedRegion } from "../src/rules/shipping/claim-charged-region.js";
import { parseTemplates } from "../src/templates/parse-templates.js";
import { formatLocatedError } from "../src/util/result.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";

const { regions, lexicon, packs } = await loadBundledData();
const templates = new Map<string, ShippingTemplate>(
  unwrap(
    parseTemplates(
      stringify({
        templates: [
          {
            id: "T1",
            payer: "buyer",
            valuation: "piece",
            default: { first: 1, firstFee: 0, next: 1, nextFee: 0 },
            regions: [{ areas: ["新疆", "西藏"], first: 1, firstFee: 20, next: 1, nextFee: 10 }],
          },
        ],
      }),
      "engine.yaml",
      regions,
    ),
  ).templates.map((t) => [t.id, t]),
);

const base: AuditorOptions = { regions, lexicon, templates, promotions: [], packs, platform: "taobao", lang: "zh" };
const record = (listing: Partial<Listing>): ListingRecord => ({
  listing: { id: "L1", title: "", ...listing },
  source: { file: "listings.json", row: 3, line: 7 },
});

afterEach(() => vi.restoreAllMocks());

describe("createAuditor", () => {
  it("makes one finding per rule, anchored on the most prominent claim, the others related", () => {
    const result = createAuditor(base)(
      record({ title: "拖鞋 全国包邮", subtitle: "包邮", description: "<p>本店全国包邮</p>", templateId: "T1" }),
    );
    const charged = result.findings.filter((f) => f.ruleId === "shipping/claim-charged-region");
    expect(charged).toHaveLength(1);
    expect(charged[0]).toMatchObject({
      severity: "error",
      listingId: "L1",
      claim: { text: "全国包邮", field: "title", start: 3, end: 7 },
      source: { file: "listings.json", row: 3, line: 7, field: "title" },
      templateId: "T1",
      reference: "滥发信息—发布错误描述信息",
    });
    expect(charged[0]!.relatedClaims.map((c) => [c.field, c.text])).toEqual([
      ["subtitle", "包邮"],
      ["description", "全国包邮"],
    ]);
    expect(charged[0]!.regions).toEqual([
      { code: "540000", name: "西藏自治区", fee: 20, quantity: 1 },
      { code: "650000", name: "新疆维吾尔自治区", fee: 20, quantity: 1 },
    ]);
  });

  it("orders findings by rule id and is deterministic", () => {
    const audit = createAuditor(base);
    const input = record({
      title: "包邮 偏远地区除外",
      description: "满99包邮，开票加税点",
      price: 50,
      templateId: "T1",
    });
    const ids = audit(input).findings.map((f) => f.ruleId);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain("invoice/refusal");
    expect(ids).toContain("shipping/vague-exclusion");
    expect(audit(input)).toEqual(audit(input));
  });

  it("turns a rule that throws into a rule/crashed problem and runs the others", () => {
    vi.spyOn(claimChargedRegion, "check").mockImplementation(() => {
      throw new Error("boom");
    });
    const result = createAuditor(base)(record({ title: "全国包邮", templateId: "T1" }));
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: "rule/crashed",
        listingId: "L1",
        source: { file: "listings.json", row: 3, line: 7 },
      }),
    ]);
    expect(result.problems[0]!.message).toContain("shipping/claim-charged-region");
    expect(result.findings.map((f) => f.ruleId)).toContain("shipping/overseas-not-stated");
  });

  it("takes the listing's platform over the run's", () => {
    const audit = createAuditor({ ...base, platform: "taobao" });
    const refusal = (platform?: string) =>
      audit(
        record({ title: "打印纸", description: "本店不开发票", ...(platform ? { platform } : {}) }),
      ).findings.filter((f) => f.ruleId === "invoice/refusal");
    expect(refusal()[0]?.severity).toBe("warning");
    expect(refusal("tmall")[0]?.severity).toBe("error");
    expect(refusal("天猫")[0]?.severity).toBe("error");
    expect(
      createAuditor({ ...base, platform: "tmall" })(record({ title: "打印纸", description: "本店不开发票" }))
        .findings[0]?.severity,
    ).toBe("error");
  });

  it("reports an unknown listing platform and audits with the run's", () => {
    const result = createAuditor(base)(record({ title: "打印纸", platform: "jd" }));
    expect(result.problems.map((p) => p.code)).toEqual(["listing/unknown-platform"]);
  });

  it("lets config settings switch rules off and change severities", () => {
    const input = record({ title: "全国包邮", templateId: "T1" });
    const off = createAuditor({ ...base, ruleSettings: { "shipping/claim-charged-region": "off" } })(input);
    expect(off.findings.map((f) => f.ruleId)).not.toContain("shipping/claim-charged-region");
    const info = createAuditor({ ...base, ruleSettings: { "shipping/claim-charged-region": "info" } })(input);
    expect(info.findings.find((f) => f.ruleId === "shipping/claim-charged-region")?.severity).toBe("info");
  });

  it("lets config options change a rule's decision", () => {
    const input = record({ title: "打印纸", invoice: true, description: "只开普票" });
    expect(createAuditor(base)(input).findings).toEqual([]);
    const strict = createAuditor({ ...base, ruleOptions: { "invoice/refusal": { limitedIsRefusal: true } } })(input);
    expect(strict.findings.map((f) => f.ruleId)).toEqual(["invoice/refusal"]);
  });

  it("refuses unknown rule ids and invalid options up front", () => {
    expect(() => createAuditor({ ...base, ruleSettings: { "shipping/nope": "off" } })).toThrow(TypeError);
    expect(() => createAuditor({ ...base, ruleOptions: { "invoice/refusal": { limitedIsRefusal: "yes" } } })).toThrow(
      /invoice\/refusal/,
    );
  });

  it("words messages and fixes in English", () => {
    const result = createAuditor({ ...base, lang: "en" })(record({ title: "全国包邮", templateId: "T1" }));
    const finding = result.findings.find((f) => f.ruleId === "shipping/claim-charged-region")!;
    expect(finding.message).toBe(
      "The title claims “全国包邮”, but shipping template T1 charges Tibet (¥20), Xinjiang (¥20), and the listing does not say so",
    );
    expect(finding.fix).toContain("selling point");
    expect(finding.reference).toContain("滥发信息");
  });

  it("gives synthetic terms no template id and passes on the terms' problems", () => {
    const flat = createAuditor(base)(record({ title: "包邮", fees: { express: 10 } }));
    expect(flat.findings.find((f) => f.ruleId === "shipping/claim-charged-region")?.templateId).toBeNull();
    const disagree = createAuditor(base)(record({ title: "包邮", freightPayer: "seller", templateId: "T1" }));
    expect(disagree.problems.map((p) => p.code)).toEqual(["listing/payer-disagrees-with-template"]);
  });
});

describe("describeRules", () => {
  it("describes every rule with the platform's severity", () => {
    const taobao = describeRules(packs, "taobao", "zh");
    expect(taobao.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(taobao.find((r) => r.id === "invoice/refusal")).toMatchObject({
      severity: "warning",
      docsUrl: "docs/rules/invoice-refusal.md",
    });
    expect(describeRules(packs, "tmall", "en").find((r) => r.id === "invoice/refusal")).toMatchObject({
      severity: "error",
      reference: expect.stringContaining("违背承诺"),
    });
    expect(
      describeRules(packs, "taobao", "zh", { "shipping/vague-exclusion": "off" }).find(
        (r) => r.id === "shipping/vague-exclusion",
      )?.severity,
    ).toBe("off");
  });

  it("links to a docs page for every rule", () => {
    for (const rule of RULES)
      expect(readFileSync(path.join(BUILTIN_RULES_DIR, "..", rule.meta.docs), "utf8")).toContain(rule.meta.id);
  });
});

describe("rule data", () => {
  it("locates pack mistakes by file, line and key", () => {
    const result = parseRulePack(
      "platform: taobao\nrules:\n  shipping/nope: error\n  invoice/refusal: loud\n",
      "p.yaml",
      "taobao",
      RULES,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatLocatedError)).toEqual([
      expect.stringMatching(/^p\.yaml:4 rules\.invoice\/refusal: /),
    ]);
    const unknown = parseRulePack("platform: taobao\nrules:\n  shipping/nope: error\n", "p.yaml", "taobao", RULES);
    expect(unknown.ok ? [] : unknown.errors.map(formatLocatedError)).toEqual([
      'p.yaml:3 rules.shipping/nope: unknown rule "shipping/nope"',
    ]);
  });

  it("locates invalid rule options in a pack", () => {
    const result = parseRulePack(
      "platform: tmall\nrules:\n  invoice/refusal: { severity: error, options: { limitedIsRefusal: 3 } }\n",
      "p.yaml",
      "tmall",
      RULES,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.key)).toEqual([
      "rules.invoice/refusal.options.limitedIsRefusal",
    ]);
  });

  it("a pack lists only what differs: restating a rule's default severity or option is a located error", () => {
    const result = parseRulePack(
      [
        "platform: tmall",
        "rules:",
        "  shipping/vague-exclusion: info",
        "  invoice/refusal: { severity: warning, options: { limitedIsRefusal: false, invoiceRequiredBy: null } }",
        "",
      ].join("\n"),
      "p.yaml",
      "tmall",
      RULES,
    );
    expect(result.ok ? [] : result.errors.map(formatLocatedError)).toEqual([
      expect.stringMatching(/^p\.yaml:4 rules\.invoice\/refusal\.severity: "warning" is the rule's own default/),
      expect.stringMatching(
        /^p\.yaml:4 rules\.invoice\/refusal\.options\.limitedIsRefusal: this is the option's default/,
      ),
      expect.stringMatching(
        /^p\.yaml:4 rules\.invoice\/refusal\.options\.invoiceRequiredBy: this is the option's default/,
      ),
      expect.stringMatching(/^p\.yaml:3 rules\.shipping\/vague-exclusion: "info" is the rule's own default severity/),
    ]);
  });

  it("generates every platform's rules from the rules' own defaults and the pack's differences", () => {
    for (const rule of RULES) {
      // Every option has its default in the rule's schema, so a rule nobody configures still runs.
      const defaults = rule.options.safeParse({});
      expect(defaults.success, rule.meta.id).toBe(true);
      for (const platform of PLATFORMS) {
        const entry = packs.platforms[platform][rule.meta.id];
        const differs = platform === "tmall" && rule.meta.id === "invoice/refusal";
        if (differs) continue;
        expect(entry, `${platform} ${rule.meta.id}`).toEqual({
          setting: rule.meta.defaultSeverity,
          options: defaults.data,
        });
      }
    }
    expect(packs.platforms.tmall["invoice/refusal"]).toEqual({
      setting: "error",
      options: { limitedIsRefusal: false, invoiceRequiredBy: { zh: "天猫", en: "Tmall" } },
    });
  });

  it("checks the texts against the registry: missing wording and unknown placeholders", () => {
    const source = readFileSync(path.join(BUILTIN_RULES_DIR, "rules.yaml"), "utf8")
      .replace("{field}宣称「{claim}」，但{terms} 不配送", "{field}宣称「{claim}」，但{nope} 不配送")
      .replace(/\n {6}invoiceRequired:[\s\S]*$/, "\n");
    const result = parseRuleTexts(source, "rules.yaml", RULES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map(formatLocatedError);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^rules\.yaml:\d+ rules\.shipping\/claim-undeliverable-region\.messages\.undeliverable\.message\.zh: "\{nope\}"/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/rules\.invoice\/refusal\.messages: message "invoiceRequired" is not worded/),
    );
  });
});
