import { describe, expect, it } from "vitest";
import { formatExplanation } from "../src/cli/explain-printer.js";
import { formatRules } from "../src/cli/rules-printer.js";
import { describeRules } from "../src/engine/engine.js";
import { explainText } from "../src/text/index.js";
import { loadBundledData } from "./helpers/bundled-data.js";

const { regions, lexicon, packs } = await loadBundledData();
const explain = (text: string) => explainText(text, { lexicon, regions });

describe("explain's human output", () => {
  it("labels claims, scope, exclusions, condition and carrier in Chinese by default", () => {
    const out = formatExplanation(explain("顺丰满99元包邮（新疆西藏除外）"), regions, "zh");
    expect(out).toMatch(/^包邮宣称 \(1\)$/m);
    expect(out).toContain("范围：全国");
    expect(out).toContain("排除：西藏、新疆");
    expect(out).toContain("条件：满¥99");
    expect(out).toContain("承运商：顺丰");
    expect(out).toMatch(/^不包邮说明 \(1\)\n {2}「新疆西藏除外」 \[\d+–\d+\] {2}地区：西藏、新疆 {2}\(除外\)$/m);
    expect(out).not.toMatch(/scope|excluded|condition|carrier|claims|disclosures|none/);
  });

  it("names buyer-pays statements and invoice statements by their kind", () => {
    const out = formatExplanation(explain("邮费自理 本店不开发票"), regions, "zh");
    expect(out).toMatch(/^买家付邮 \(1\)\n {2}「邮费自理」 \[0–4\] {2}买家承担运费$/m);
    expect(out).toMatch(/^发票 \(1\)\n {2}「不开发票」 \[\d+–\d+\] {2}拒开发票$/m);
  });

  it("keeps English labels with --lang en", () => {
    const out = formatExplanation(explain("满2件包邮"), regions, "en");
    expect(out).toContain("scope: all");
    expect(out).toContain("condition: 2 items or more");
    expect(out).toContain("carrier: none");
  });

  it("marks a disclosure about part of a province, and prints explanations without the mark as before", () => {
    const partly = explain("甘肃酒泉市、新疆除外");
    expect(partly.disclosures[0]?.partial).toEqual(["620000"]);
    expect(formatExplanation(partly, regions, "zh")).toMatch(/地区：甘肃、新疆 {2}\(除外、部分地区：甘肃\)$/m);
    expect(formatExplanation(partly, regions, "en")).toContain("(exclusion, part of the region: 甘肃)");
    expect(formatExplanation(explain("甘肃、新疆除外"), regions, "zh")).not.toContain("部分地区");
  });
});

describe("the rules command's text output", () => {
  it("shows each rule's title and its severity in the run's language", () => {
    const zh = formatRules(describeRules(packs, "tmall", "zh"), "tmall", "zh");
    expect(zh).toMatch(/^平台: tmall$/m);
    expect(zh).toMatch(/^shipping\/claim-charged-region +错误 {2}包邮宣称与运费模板不符$/m);
    expect(zh).toMatch(/^invoice\/refusal +错误 {2}拒开发票或开票加价$/m);
    const en = formatRules(describeRules(packs, "taobao", "en", { "shipping/vague-exclusion": "off" }), "taobao", "en");
    expect(en).toMatch(/^shipping\/vague-exclusion +off {6}Exclusion does not name the provinces$/m);
  });
});
