import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../src/config/index.js";
import { RULE_IDS } from "../src/rules/registry.js";
import { runCli } from "./cli-io.js";

const SHOP = fileURLToPath(new URL("./fixtures/config/shop/", import.meta.url));
const PAGES = fileURLToPath(new URL("./fixtures/pages/", import.meta.url));

interface JsonReport {
  findings: Array<{ listingId: string; ruleId: string; severity: string }>;
  summary: Record<string, number>;
  problems: Array<{ code: string; source: { file?: string } }>;
}

const audit = async (args: string[], cwd = SHOP) => {
  const r = await runCli([...args, "-f", "json"], { cwd });
  return { ...r, report: JSON.parse(r.stdout) as JsonReport };
};

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "listing-audit-cli-config-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("a configured shop (extends, overrides, allow, .listingauditignore)", () => {
  it("applies every part of the config to the audit", async () => {
    const { report, stderr, code } = await audit(["."]);
    const found = report.findings.map((f) => `${f.listingId} ${f.ruleId} ${f.severity}`);
    expect(found).toEqual([
      // drafts/keep.json is re-included by `!drafts/keep.json`; drafts/draft.json and notes.txt are ignored.
      "D2 shipping/claim-charged-region error",
      "1001 shipping/claim-charged-region error",
      // overrides: category 生鲜/** → warning; platform 天猫 (an alias of tmall) → info.
      "1002 shipping/claim-charged-region warning",
      "1004 shipping/claim-charged-region info",
    ]);
    // 1003 claims 顺丰包邮 (an allowlisted phrase); 9001 and 1005 are allowlisted by id and URL.
    expect(report.summary).toMatchObject({ listings: 5, allowlisted: 2, suppressed: 1, problems: 0 });
    expect(report.problems).toEqual([]);
    expect(stderr).toMatch(/2 个输入文件被 .listingauditignore 忽略/);
    expect(stderr).toMatch(/2 个商品在白名单中（未审核）/);
    expect(code).toBe(1);
  });

  it("--quiet keeps stderr empty", async () => {
    expect((await runCli([".", "--quiet"], { cwd: SHOP })).stderr).toBe("");
  });

  it("an ignored file named on the command line is ignored too; nothing left is exit 2", async () => {
    const r = await runCli(["drafts/draft.json"], { cwd: SHOP });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/输入里没有一条可审核的记录/);
  });

  it("overrides match on listing id globs, later entries win", async () => {
    const config = path.join(tmp, "ids.yaml");
    await writeFile(
      config,
      `rules: { shipping/overseas-not-stated: off }
overrides:
  - match: { id: "100*" }
    rules: { shipping/claim-charged-region: warning }
  - match: { id: ["1001", "1004"] }
    rules: { shipping/claim-charged-region: off }
`,
    );
    const { report } = await audit(["listings.json", "-c", config, "-t", "templates.yaml"]);
    expect(report.findings.map((f) => `${f.listingId} ${f.severity}`)).toEqual([
      "1002 warning",
      "1003 warning",
      "9001 error",
      "1005 warning",
    ]);
  });

  it("tmall:strict sets the platform and fails on warnings; the file's keys win over the preset", async () => {
    const config = path.join(tmp, "strict.yaml");
    await writeFile(config, "extends: tmall:strict\nrules: { shipping/overseas-not-stated: off }\n");
    const { report, code } = await audit(["listings.json", "-c", config, "-t", "templates.yaml", "--fail-on", "never"]);
    expect(code).toBe(0);
    expect(new Set(report.findings.map((f) => f.ruleId))).toEqual(new Set(["shipping/claim-charged-region"]));
    const printed = await runCli(["--print-config", "-c", config], { cwd: SHOP });
    const effective = parse(printed.stdout);
    expect(effective.platform).toBe("tmall");
    expect(effective.failOn).toBe("warning");
    expect(effective.rules["shipping/overseas-not-stated"]).toBe("off");
    expect(effective.rules["shipping/exclusion-only-in-description"]).toBe("error");
  });
});

describe("--print-config", () => {
  it("prints the effective config as YAML that validates as a config, and exits 0", async () => {
    const r = await runCli(["--print-config", "-p", "pinduoduo", "-f", "sarif=x.sarif"], { cwd: SHOP });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^# 实际生效的配置（listing-audit.config.yaml、预设 taobao:recommended）/);
    const effective = parse(r.stdout);
    expect(effective).toMatchObject({ platform: "pinduoduo", lang: "zh", failOn: "error", format: ["sarif=x.sarif"] });
    expect(effective.extends).toBeUndefined();
    expect(effective.overrides).toHaveLength(2);
    expect(parseConfig(r.stdout, "printed.yaml", path.join(SHOP, "printed.yaml")).ok).toBe(true);
  });

  it("without a config file prints every default: rule severities, remote regions, options, data files and thresholds", async () => {
    const r = await runCli(["--print-config", "--max-problems", "5", "--lang", "en"], { cwd: tmp });
    expect(r.code).toBe(0);
    const printed = parse(r.stdout);
    expect(printed).toMatchObject({
      platform: "taobao",
      lang: "en",
      failOn: "error",
      format: ["text"],
      remoteRegions: ["内蒙古", "西藏", "甘肃", "青海", "宁夏", "新疆"],
    });
    expect(Object.keys(printed.rules).sort()).toEqual([...RULE_IDS].sort());
    expect(printed.rules).toMatchObject({
      "shipping/claim-charged-region": "error",
      "shipping/overseas-not-stated": "info",
      "invoice/refusal": "warning",
    });
    expect(r.stdout).toMatch(/^# rule pack: rules\/packs\/taobao.yaml; rule texts: rules\/rules.yaml$/m);
    expect(r.stdout).toMatch(/^# regions: rules\/regions\/cn.yaml; lexicon: rules\/lexicon\/zh-CN.yaml$/m);
    expect(r.stdout).toMatch(/^# --max-warnings: not set; --max-problems: 5; --threads: default/m);
    // overseas-not-stated has no option set: it reads the mainland's names from the region data.
    expect(r.stdout).toMatch(/^# {3}shipping\/claim-charged-region: \{"freeSideAbove":0.5\}$/m);
    expect(r.stdout).not.toMatch(/overseas-not-stated: \{/);
    // On taobao with no config every rule runs with its own defaults: the pack lists no difference.
    expect(r.stdout).toMatch(/^# set by the rule pack or the config, not the rule's own defaults:\n# {3}\(none\)\n$/m);
    expect(parseConfig(r.stdout, "printed.yaml", path.join(tmp, "printed.yaml")).ok).toBe(true);
  });

  it("rules follow the platform's pack and the config; the remote set follows remoteRegions", async () => {
    const config = path.join(tmp, "remote.yaml");
    await writeFile(config, "remoteRegions: [新疆、西藏]\nrules: { shipping/vague-exclusion: off }\n");
    const printed = parse((await runCli(["--print-config", "-c", config, "-p", "tmall"], { cwd: tmp })).stdout);
    expect(printed.remoteRegions).toEqual(["西藏", "新疆"]);
    expect(printed.rules).toMatchObject({ "shipping/vague-exclusion": "off", "invoice/refusal": "error" });
    const zh = await runCli(["--print-config", "-c", config, "-p", "tmall"], { cwd: tmp });
    expect(zh.stdout.split("# 不是规则自身默认值的设置：\n")[1]).toBe(
      "#   invoice/refusal: 严重级别（规则包）、选项（规则包）\n#   shipping/vague-exclusion: 严重级别（配置或预设）\n",
    );
  });

  it("a config that would stop a run stops it too (exit 2, located)", async () => {
    const config = path.join(tmp, "bad-regions.yaml");
    await writeFile(config, "remoteRegions: [新疆, 火星]\n");
    const r = await runCli(["--print-config", "-c", config], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-regions.yaml:1 remoteRegions\[1\]: 未知地区 "火星"/);
  });
});

describe("located config errors", () => {
  it("every mistake at once: file, line and key for each", async () => {
    const config = path.join(tmp, "many.yaml");
    await writeFile(
      config,
      `extends: [taobao:recommended, tmall:lenient]
platform: amazon
rules:
  shipping/no-such-rule: error
  shipping/vague-exclusion: loud
overrides:
  - match: {}
    rules: { invoice/refusal: off }
  - match: { category: "食品/**" }
    rules: { shipping/nope: off }
allow:
  phrases: [顺丰包邮]
  regex: ".*"
country: China
colour: true
`,
    );
    const r = await runCli(["listings.json", "-c", config], { cwd: SHOP });
    expect(r.code).toBe(2);
    const located = r.stderr
      .trim()
      .split("\n")
      .map((l) => /^错误：\S*many\.yaml:(\d+) (\S+):/.exec(l)?.slice(1, 3).join(" ") ?? l);
    expect(located).toEqual([
      "1 extends[1]",
      "2 platform",
      "4 rules.shipping/no-such-rule",
      "5 rules.shipping/vague-exclusion",
      "7 overrides[0].match",
      "10 overrides[1].rules.shipping/nope",
      "13 allow.regex",
      "14 country",
      "15 colour",
    ]);
  });
});

describe("extractors and country", () => {
  it("reach the HTML page reader", async () => {
    const config = path.join(tmp, "extractors.yaml");
    await writeFile(
      config,
      '# a page without structured data\nextractors:\n  - title: "#itemTitle"\n    price: .tb-rmb-num\n    shipping: .postage\ncountry: cn\n',
    );
    const page = path.join(PAGES, "selectors.html");
    const plain = await audit([page, "--fail-on", "never"], tmp);
    expect(plain.report.summary.listings).toBe(0);
    const selected = await audit([page, "-c", config, "--fail-on", "never"], tmp);
    expect(selected.report.summary.listings).toBe(1);
    expect(selected.code).toBe(0);
  });
});
