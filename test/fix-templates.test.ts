import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadFixContext } from "../src/fix/load-fix-context.js";
import { freeRegionsAsYaml, freeRegionsInYaml } from "../src/fix/writers/template-writer.js";
import type { Finding, ShippingTemplate } from "../src/model.js";
import { evaluateRegionFee } from "../src/templates/evaluate-fee.js";
import { parseTemplates } from "../src/templates/parse-templates.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";
import { runCli } from "./cli-io.js";

const SAMPLES = fileURLToPath(new URL("../samples/", import.meta.url));
const { regions } = await loadBundledData();
const { data } = unwrap(await loadFixContext(regions, "zh"));
const XINJIANG = "650000";
const TIBET = "540000";
const QINGHAI = "630000";
const ZHEJIANG = "330000";

const templatesOf = (text: string, file = "t.yaml"): Map<string, ShippingTemplate> =>
  new Map(unwrap(parseTemplates(text, file, regions)).templates.map((t) => [t.id, t]));
const status = (template: ShippingTemplate | undefined, code: string, quantity = 3) =>
  template && evaluateRegionFee(template, code, { quantity, price: 10 }).status;

describe("--fix-strategy template", () => {
  it("on the demo shop: the re-audit with the corrected templates has no charged or unbacked claim left; only fee lines and comments change", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "la-fix-t-"));
    try {
      await cp(SAMPLES, path.join(dir, "samples"), { recursive: true });
      const inputs = ["samples/listings.json", "samples/taobao-export.csv"];
      const run = await runCli(
        [
          ...inputs,
          "-t",
          "samples/templates",
          "--fix-strategy",
          "template",
          "--fix-output",
          "fixed",
          "-f",
          "json",
          "-o",
          "r.json",
        ],
        { cwd: dir },
      );
      const before = (JSON.parse(await readFile(path.join(dir, "r.json"), "utf8")) as { findings: Finding[] }).findings;
      const templateKinds = new Set(["shipping/claim-charged-region", "shipping/conditional-claim-unbacked"]);
      const expected = before.filter((f) => templateKinds.has(f.ruleId)).length;
      expect(expected).toBeGreaterThan(0);
      expect(run.stderr).toContain(`修复 ${expected} 个问题`);
      await cp(
        path.join(SAMPLES, "templates/taobao-top.json"),
        path.join(dir, "fixed/samples/templates/taobao-top.json"),
      );
      await runCli([...inputs, "-t", "fixed/samples/templates", "-f", "json", "-o", "r2.json"], { cwd: dir });
      const after = (JSON.parse(await readFile(path.join(dir, "r2.json"), "utf8")) as { findings: Finding[] }).findings;
      expect(after.filter((f) => templateKinds.has(f.ruleId))).toEqual([]);
      // Free regions also settle findings of other kinds about them (a charge disclosed only in the description); nothing new appears.
      expect(after.length).toBeLessThanOrEqual(before.length - expected);
      const known = new Set(before.map((f) => JSON.stringify([f.ruleId, f.listingId, f.source.file])));
      for (const f of after) expect(known.has(JSON.stringify([f.ruleId, f.listingId, f.source.file]))).toBe(true);
      const original = (await readFile(path.join(SAMPLES, "templates/shop-templates.yaml"), "utf8")).split("\n");
      const fixed = (await readFile(path.join(dir, "fixed/samples/templates/shop-templates.yaml"), "utf8")).split("\n");
      const added = fixed.filter((l) => l.trim().startsWith("# listing-audit --fix"));
      expect(fixed.length - original.length).toBe(added.length);
      const changed = fixed
        .filter((l) => !l.trim().startsWith("# listing-audit --fix"))
        .filter((l, i) => l !== original[i]);
      for (const line of changed) expect(line).toMatch(/(firstFee|nextFee): 0/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("splits a row when only some of its provinces become free, and adds a regions list where the template has none", () => {
    const text = [
      "templates:",
      "  - id: A",
      "    payer: buyer",
      "    valuation: piece",
      "    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }",
      "    regions:",
      "      - areas: [新疆, 西藏, 青海]",
      "        first: 1",
      "        firstFee: 20",
      "        next: 1",
      "        nextFee: 10",
      "  - id: B",
      "    payer: buyer",
      "    valuation: piece",
      "    default: { first: 1, firstFee: 8, next: 1, nextFee: 2 }",
      "",
    ].join("\n");
    const free = new Map([
      ["A", new Set([XINJIANG, TIBET])],
      ["B", new Set([ZHEJIANG])],
    ]);
    const edit = freeRegionsInYaml(text, free, regions, data.templateNotes, "zh");
    expect(edit.changed).toEqual(["A", "B"]);
    const fixed = templatesOf(edit.text);
    expect(status(fixed.get("A"), XINJIANG)).toBe("free");
    expect(status(fixed.get("A"), TIBET)).toBe("free");
    expect(status(fixed.get("A"), QINGHAI)).toBe("charged");
    expect(status(fixed.get("B"), ZHEJIANG)).toBe("free");
    expect(status(fixed.get("B"), QINGHAI)).toBe("charged");
    expect(edit.text).toContain("      - areas: [青海]\n");
    expect(edit.text).toContain(
      "      # listing-audit --fix：西藏、新疆 改为包邮\n      - { areas: [西藏, 新疆], first: 1",
    );
    expect(edit.text).toContain("    regions:\n      # listing-audit --fix：浙江 改为包邮\n");
  });

  it("refuses a row that names the provinces through a group it cannot split", () => {
    const text = `templates:\n  - id: A\n    payer: buyer\n    valuation: piece\n    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }\n    regions:\n      - { areas: [偏远地区], first: 1, firstFee: 20, next: 1, nextFee: 10 }\n`;
    const edit = freeRegionsInYaml(text, new Map([["A", new Set([XINJIANG])]]), regions, data.templateNotes, "zh");
    expect(edit).toEqual({ text, changed: [], refused: ["A"] });
  });

  it("turns a Taobao Open Platform template into our YAML with the regions free", async () => {
    const file = path.join(SAMPLES, "templates/taobao-top.json");
    const top = templatesOf(await readFile(file, "utf8"), "taobao-top.json");
    const template = top.get("4398216501");
    expect(status(template, XINJIANG)).toBe("charged");
    const edit = freeRegionsAsYaml(
      [template as ShippingTemplate],
      new Map([["4398216501", new Set([XINJIANG, TIBET])]]),
      regions,
      data.templateNotes,
      "zh",
      "taobao-top.json",
    );
    expect(edit.text).toMatch(/^# listing-audit --fix：由淘宝开放平台数据 taobao-top.json 转换而来/);
    const converted = templatesOf(edit.text);
    expect(status(converted.get("4398216501"), XINJIANG)).toBe("free");
    expect(status(converted.get("4398216501"), TIBET)).toBe("free");
    expect(status(converted.get("4398216501"), ZHEJIANG)).toBe(status(template, ZHEJIANG));
  });
});
