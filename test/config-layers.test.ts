import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createListingFilters,
  listPresetNames,
  loadPreset,
  parseConfig,
  resolveListingPlatform,
} from "../src/config/index.js";
import type { Finding, ListingRecord } from "../src/model.js";

const parse = (text: string) => parseConfig(text, "c.yaml", path.resolve("c.yaml"));
const record = (listing: Partial<ListingRecord["listing"]>, source: ListingRecord["source"] = {}): ListingRecord => ({
  listing: { id: "1", title: "t", ...listing },
  source,
});

describe("presets", () => {
  it("the four built-in presets exist and validate", () => {
    expect(listPresetNames()).toEqual([
      "generic:recommended",
      "pinduoduo:recommended",
      "taobao:recommended",
      "tmall:strict",
    ]);
    for (const name of listPresetNames()) {
      const preset = loadPreset(name);
      expect(preset?.ok ? [] : preset?.errors).toEqual([]);
    }
    expect(loadPreset("tmall:lenient")).toBeUndefined();
  });

  it("apply in order under the file: rules merge, overrides concatenate, scalars are replaced", () => {
    const loaded = parse(`extends: [generic:recommended, tmall:strict]
rules: { shipping/vague-exclusion: off }
overrides:
  - match: { id: "9*" }
    rules: { invoice/refusal: off }
`);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const { values, presets } = loaded.value;
    expect(presets.map((p) => p.name)).toEqual(["generic:recommended", "tmall:strict"]);
    expect(values.platform).toBe("tmall");
    expect(values.failOn).toBe("warning");
    expect(values.rules).toMatchObject({
      "invoice/refusal": "error",
      "shipping/vague-exclusion": "off",
      "shipping/stated-fee-mismatch": "error",
    });
    expect(values.overrides).toHaveLength(1);
    const own = parse("extends: tmall:strict\nplatform: taobao\nfailOn: error\n");
    expect(own.ok && [own.value.values.platform, own.value.values.failOn]).toEqual(["taobao", "error"]);
  });

  it("an unknown preset is located and listed with the schema mistakes", () => {
    const loaded = parse("platform: amazon\nextends:\n  - taobao:recommended\n  - taobao:strict\n");
    expect(!loaded.ok && loaded.errors.map((e) => [e.line, e.key])).toEqual([
      [1, "platform"],
      [4, "extends[1]"],
    ]);
  });
});

describe("listing filters", () => {
  const filtersOf = (text: string) => {
    const loaded = parse(text);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return createListingFilters(loaded.value.values, (r) => resolveListingPlatform(r, "taobao", { 天猫: "tmall" }));
  };

  it("allow: id and URL globs, literal ids, never regular expressions", () => {
    const filters = filtersOf(
      "allow:\n  listings: ['9*', 'a.b', '(x|y)']\n  urls: ['https://shop.example.com/outlet/**']\n",
    );
    expect(filters.isAllowlisted(record({ id: "9001" }))).toBe(true);
    expect(filters.isAllowlisted(record({ id: "a.b" }))).toBe(true);
    expect(filters.isAllowlisted(record({ id: "axb" }))).toBe(false);
    expect(filters.isAllowlisted(record({ id: "x" }))).toBe(false);
    expect(filters.isAllowlisted(record({ id: "1" }, { url: "https://shop.example.com/outlet/a/b?c=1" }))).toBe(true);
    expect(filters.isAllowlisted(record({ id: "1", url: "https://shop.example.com/item/1" }))).toBe(false);
  });

  it("allow.phrases: literal text inside the claim, width-folded", () => {
    const filters = filtersOf("allow: { phrases: [顺丰包邮, 'SF包邮'] }\n");
    const finding = (text: string | null) => ({ claim: text === null ? null : { text } }) as unknown as Finding;
    expect(filters.isSuppressed(finding("顺丰包邮"))).toBe(true);
    expect(filters.isSuppressed(finding("ＳＦ包邮"))).toBe(true);
    expect(filters.isSuppressed(finding("包邮"))).toBe(false);
    expect(filters.isSuppressed(finding(null))).toBe(false);
  });

  it("overrides: every match key must fit; settings are shared per set of matching overrides", () => {
    const filters = filtersOf(`rules: { invoice/refusal: info }
overrides:
  - match: { platform: tmall, category: "食品/**" }
    rules: { invoice/refusal: error }
  - match: { id: ["1*", "2"] }
    rules: { shipping/vague-exclusion: off }
`);
    const tmallFood = filters.ruleSettingsFor(record({ id: "7", platform: "天猫", category: "食品/坚果" }));
    expect(tmallFood.settings).toEqual({ "invoice/refusal": "error" });
    expect(filters.ruleSettingsFor(record({ id: "7", category: "食品/坚果" })).settings).toEqual({
      "invoice/refusal": "info",
    });
    const both = filters.ruleSettingsFor(record({ id: "12", platform: "tmall", category: "食品/茶" }));
    expect(both.settings).toEqual({ "invoice/refusal": "error", "shipping/vague-exclusion": "off" });
    expect(filters.ruleSettingsFor(record({ id: "2" })).key).toBe(filters.ruleSettingsFor(record({ id: "19" })).key);
    expect(filters.ruleSettingsFor(record({ id: "2" })).settings).toBe(
      filters.ruleSettingsFor(record({ id: "19" })).settings,
    );
  });

  it("a pattern longer than 256 characters is a located error", () => {
    const loaded = parse(`allow:\n  listings:\n    - "${"*a".repeat(200)}"\n`);
    expect(!loaded.ok && loaded.errors.map((e) => [e.line, e.key])).toEqual([[3, "allow.listings[0]"]]);
  });
});
