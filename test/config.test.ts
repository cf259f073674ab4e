import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkFoundConfigOutputs,
  findConfigFile,
  loadConfigFile,
  loadConfiguredRegions,
  parseConfig,
  resolvePromotions,
} from "../src/config/index.js";
import { FIXTURES, runCli } from "./cli-io.js";
import { encodeText } from "./fixtures/exports/taobao-export.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "listing-audit-config-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const parse = (text: string) => parseConfig(text, "c.yaml", path.join(tmp, "c.yaml"));

describe("config files", () => {
  it("accepts every documented key and resolves templates against the config's folder", () => {
    const result = parse(`platform: tmall
lang: en
templates: [templates/, ../shared/t.json]
rules: { shipping/vague-exclusion: off }
remoteRegions: [新疆, 西藏]
promotions: [{ areas: [全国], minAmount: 99 }]
lexicon: { buyerPays: [运费买家出] }
columns: { id: 商品ID }
failOn: warning
format: [text, json=out.json]
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.values.templates).toEqual([
      path.join(tmp, "templates"),
      path.join(path.dirname(tmp), "shared", "t.json"),
    ]);
    expect(result.value.values.format).toEqual(["text", "json=out.json"]);
  });

  it("an empty file is an empty config", () => {
    const result = parse("# nothing yet\n");
    expect(result.ok && result.value.values).toEqual({});
  });

  it("lists every mistake at once, each with line and key", () => {
    const result = parse(`platform: amazon
lang: fr
failOn: sometimes
promotions:
  - areas: [全国]
extends: base
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.key])).toEqual([
      [1, "platform"],
      [2, "lang"],
      [3, "failOn"],
      [5, "promotions[0]"],
      [6, "extends"],
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const result = parse("platform: tmall\nrules: [\n");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.line).toBeGreaterThan(0);
  });

  it("is found from a subfolder upwards; yaml before yml before json", async () => {
    const nested = path.join(tmp, "a", "b");
    await mkdir(nested, { recursive: true });
    await writeFile(path.join(tmp, "a", "listing-audit.config.json"), '{"platform":"pinduoduo"}');
    expect(await findConfigFile(nested)).toBe(path.join(tmp, "a", "listing-audit.config.json"));
    await writeFile(path.join(tmp, "a", "listing-audit.config.yaml"), "platform: tmall\n");
    expect(await findConfigFile(nested)).toBe(path.join(tmp, "a", "listing-audit.config.yaml"));
    const loaded = await loadConfigFile(path.join(tmp, "a", "listing-audit.config.json"), tmp);
    expect(loaded.ok && loaded.value.values.platform).toBe("pinduoduo");
    expect(loaded.ok && loaded.value.file).toBe("a/listing-audit.config.json");
  });

  it("reads a config saved as UTF-16 or GBK like UTF-8", async () => {
    const yaml = "platform: tmall\ncolumns:\n  title: 商品名称\n";
    for (const encoding of ["utf-16le-bom", "utf-16be", "gb18030"] as const) {
      await writeFile(path.join(tmp, `${encoding}.yaml`), encodeText(yaml, encoding));
      const loaded = await loadConfigFile(`${encoding}.yaml`, tmp);
      expect(loaded.ok && loaded.value.values.columns, encoding).toEqual({ title: "商品名称" });
    }
  });

  it("an unreadable config is an error naming the file", async () => {
    const loaded = await loadConfigFile("nope.yaml", tmp);
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors[0]?.file).toBe("nope.yaml");
  });
});

describe("regions and promotions from the config", () => {
  it("remoteRegions sets the 偏远地区 set; an unknown name is located", async () => {
    const good = parse("remoteRegions: [新疆, 西藏]\n");
    const regions = await loadConfiguredRegions(good.ok ? good.value : undefined);
    expect(regions.ok && regions.value.remote).toEqual(["540000", "650000"]);
    const bad = parse("remoteRegions:\n  - 新疆\n  - 火星\n");
    const failed = await loadConfiguredRegions(bad.ok ? bad.value : undefined);
    expect(!failed.ok && failed.errors.map((e) => [e.line, e.key])).toEqual([[3, "remoteRegions[1]"]]);
  });

  it("promotions become freeWhen rows with origin promotion", async () => {
    const config = parse(
      "promotions:\n  - areas: [江浙沪]\n    minQuantity: 2\n  - areas: [全国, 火星]\n    minAmount: 99\n",
    );
    const regions = await loadConfiguredRegions(undefined);
    if (!config.ok || !regions.ok) throw new Error("setup");
    const bad = resolvePromotions(config.value, regions.value);
    expect(!bad.ok && bad.errors.map((e) => [e.line, e.key])).toEqual([[4, "promotions[1].areas[1]"]]);
    const good = parse("promotions:\n  - areas: [江浙沪]\n    minQuantity: 2\n");
    const rows = resolvePromotions(good.ok ? good.value : undefined, regions.value);
    expect(rows.ok && rows.value).toEqual([
      { areas: ["310000", "320000", "330000"], minQuantity: 2, origin: "promotion", line: 2 },
    ]);
  });
});

describe("config discovery stops at the project root", () => {
  it("a config above a folder holding .git or package.json is never found", async () => {
    const outer = path.join(tmp, "discovery");
    for (const marker of [".git", "package.json"]) {
      const project = path.join(outer, `with-${marker}`);
      const nested = path.join(project, "src", "deep");
      await mkdir(nested, { recursive: true });
      await writeFile(path.join(outer, "listing-audit.config.yaml"), "platform: tmall\n");
      if (marker === ".git") await mkdir(path.join(project, ".git"));
      else await writeFile(path.join(project, "package.json"), "{}");
      expect(await findConfigFile(nested), marker).toBeUndefined();
      expect(await findConfigFile(project), marker).toBeUndefined();
      // The project's own config, at its root or below, is still found.
      await writeFile(path.join(project, "listing-audit.config.yml"), "platform: pinduoduo\n");
      expect(await findConfigFile(nested), marker).toBe(path.join(project, "listing-audit.config.yml"));
    }
  });

  it("a found config may not write outside the working directory; a config named with -c may", () => {
    const found = parse(
      "format:\n  - text\n  - json=report.json\n  - sarif=../elsewhere.sarif\n  - html=/tmp/x.html\n  - csv=sub/ok.csv\n",
    );
    if (!found.ok) throw new Error("setup");
    const errors = checkFoundConfigOutputs(found.value, tmp);
    expect(errors.map((e) => [e.file, e.line, e.key])).toEqual([
      ["c.yaml", 4, "format[2]"],
      ["c.yaml", 5, "format[3]"],
    ]);
    expect(errors[0]?.zh).toBe(
      "自动找到的配置文件不能把报告写到工作目录之外（../elsewhere.sarif）：请用 -c c.yaml 明确指定这个配置文件，或把路径改到工作目录之下",
    );
    expect(errors[0]?.message).toMatch(/may not write outside the working directory \(\.\.\/elsewhere\.sarif\)/);
  });

  it("a planted config in a parent folder cannot redirect reports (exit 2, target untouched, naming file and key)", async () => {
    const parent = path.join(tmp, "planted");
    const cwd = path.join(parent, "shop");
    await mkdir(cwd, { recursive: true });
    for (const name of ["listings.json", "templates.yaml"])
      await copyFile(path.join(FIXTURES, "shop", name), path.join(cwd, name));
    const victim = path.join(parent, "victim.txt");
    await writeFile(victim, "precious\n");
    await writeFile(path.join(parent, "listing-audit.config.yaml"), `format: [text, "json=${victim}"]\n`);
    const run = await runCli(["listings.json", "-t", "templates.yaml"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^错误：\.\.\/listing-audit\.config\.yaml:1 format\[1\]: 自动找到的配置文件不能把报告写到工作目录之外/,
    );
    expect(await readFile(victim, "utf8")).toBe("precious\n");
    // --print-config shows what a run would do, so it stops too; explain writes nothing and may use the config.
    expect((await runCli(["--print-config"], { cwd })).code).toBe(2);
    expect((await runCli(["explain", "包邮"], { cwd })).code).toBe(0);
    // Named with -c, the same config is the user's own choice and writes where it says.
    const named = await runCli(
      ["listings.json", "-t", "templates.yaml", "-c", "../listing-audit.config.yaml", "--fail-on", "never"],
      { cwd },
    );
    expect(named.code).toBe(0);
    expect(JSON.parse(await readFile(victim, "utf8")).summary.listings).toBeGreaterThan(0);
  });
});

describe("area items in the config", () => {
  it("remoteRegions and promotions split items at 、 and spaces and suggest near names", async () => {
    const good = parse(
      "remoteRegions: [新疆、西藏 青海]\npromotions:\n  - { areas: [江苏，浙江 上海], minAmount: 99 }\n",
    );
    if (!good.ok) throw new Error("setup");
    const regions = await loadConfiguredRegions(good.value);
    expect(regions.ok && regions.value.remote).toEqual(["540000", "630000", "650000"]);
    const rows = resolvePromotions(good.value, regions.ok ? regions.value : (undefined as never));
    expect(rows.ok && rows.value[0]?.areas).toEqual(["310000", "320000", "330000"]);
    const bad = parse("remoteRegions: [新疆、西臧]\n");
    const failed = await loadConfiguredRegions(bad.ok ? bad.value : undefined);
    expect(!failed.ok && failed.errors.map((e) => [e.line, e.key, e.zh])).toEqual([
      [1, "remoteRegions[0]", '未知地区 "西臧"，是否指 西藏？'],
    ]);
  });

  it("schema mistakes are worded in Chinese from the issue, with what was found", () => {
    const result = parse(
      "platform: 3\nlang: fr\nformats: [json]\npromotions:\n  - { areas: [全国], minAmount: -1 }\nallow: { listings: [] }\n",
    );
    expect(!result.ok && result.errors.map((e) => [e.key, e.zh])).toEqual([
      ["platform", '应为 "taobao"、"tmall"、"pinduoduo"、"generic" 之一，实际为 3'],
      ["lang", '应为 "zh"、"en" 之一，实际为 "fr"'],
      ["formats", '未知的键 "formats"，是否指 format？'],
      ["promotions[0].minAmount", "必须大于 0"],
      ["allow.listings", "至少要有 1 项"],
    ]);
  });
});

describe("docs.baseUrl", () => {
  it("makes SARIF name each rule's page (helpUri) and the tool's (informationUri); without it neither is written", async () => {
    const dir = path.join(tmp, "docs-base");
    await mkdir(dir, { recursive: true });
    for (const name of ["listings.json", "templates.yaml"])
      await copyFile(path.join(FIXTURES, "shop", name), path.join(dir, name));
    await writeFile(
      path.join(dir, "with-docs.yaml"),
      "docs: { baseUrl: 'https://example.com/shop/listing-auditor/blob/main' }\n",
    );
    const args = ["listings.json", "-t", "templates.yaml", "-f", "sarif", "--fail-on", "never"];
    const linked = JSON.parse((await runCli([...args, "-c", "with-docs.yaml"], { cwd: dir })).stdout);
    const driver = linked.runs[0].tool.driver;
    expect(driver.informationUri).toBe("https://example.com/shop/listing-auditor/blob/main/README.md");
    expect(driver.rules.find((r: { id: string }) => r.id === "shipping/claim-charged-region").helpUri).toBe(
      "https://example.com/shop/listing-auditor/blob/main/docs/rules/claim-charged-region.md",
    );
    expect(driver.rules.every((r: { helpUri?: string }) => r.helpUri?.startsWith("https://example.com/"))).toBe(true);
    const plain = JSON.parse((await runCli(args, { cwd: dir })).stdout).runs[0].tool.driver;
    expect(plain.informationUri).toBeUndefined();
    expect(plain.rules.some((r: { helpUri?: string }) => r.helpUri !== undefined)).toBe(false);
  });

  it("must be an http(s) URL", () => {
    const bad = parse("docs: { baseUrl: 'file:///etc' }\n");
    expect(!bad.ok && bad.errors.map((e) => [e.key, e.zh])).toEqual([["docs.baseUrl", "应为 http(s) 网址"]]);
  });
});
