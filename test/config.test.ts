import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findConfigFile, loadConfigFile, loadConfiguredRegions, parseConfig, resolvePromotions } from "../src/config/index.js";
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
    expect(result.value.values.templates).toEqual([path.join(tmp, "templates"), path.join(path.dirname(tmp), "shared", "t.json")]);
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
    const config = parse("promotions:\n  - areas: [江浙沪]\n    minQuantity: 2\n  - areas: [全国, 火星]\n    minAmount: 99\n");
    const regions = await loadConfiguredRegions(undefined);
    if (!config.ok || !regions.ok) throw new Error("setup");
    const bad = resolvePromotions(config.value, regions.value);
    expect(!bad.ok && bad.errors.map((e) => [e.line, e.key])).toEqual([[4, "promotions[1].areas[1]"]]);
    const good = parse("promotions:\n  - areas: [江浙沪]\n    minQuantity: 2\n");
    const rows = resolvePromotions(good.ok ? good.value : undefined, regions.value);
    expect(rows.ok && rows.value).toEqual([{ areas: ["310000", "320000", "330000"], minQuantity: 2, origin: "promotion", line: 2 }]);
  });
});
