import { describe, expect, it } from "vitest";
import { describeUnknownRegion, splitAreaItem } from "../src/regions/area-input.js";
import { loadRegionCatalogue, parseRegionData } from "../src/regions/load-regions.js";
import { editDistance, nearestNames } from "../src/util/nearest.js";

const catalogue = await (async () => {
  const r = await loadRegionCatalogue();
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();

describe("region catalogue", () => {
  it("has the 31 mainland provinces and the non-mainland set", () => {
    expect(catalogue.mainland).toHaveLength(31);
    expect(catalogue.nonMainland).toEqual(["710000", "810000", "820000", "overseas"]);
    expect(catalogue.remote).toEqual(["150000", "540000", "620000", "630000", "640000", "650000"]);
  });

  it.each([
    ["新疆", ["650000"]],
    ["新疆维吾尔自治区", ["650000"]],
    ["650100", ["650000"]],
    ["650102", ["650000"]],
    ["650000", ["650000"]],
    ["1", "mainland"],
    ["全国", "mainland"],
    ["臺灣", ["710000"]],
    ["江浙沪", ["310000", "320000", "330000"]],
    ["江浙沪皖", ["310000", "320000", "330000", "340000"]],
    ["港澳台", ["710000", "810000", "820000"]],
    ["内蒙", ["150000"]],
    ["海外", ["overseas"]],
  ])("resolves %s", (term, expected) => {
    expect(catalogue.resolve(term)).toEqual(expected === "mainland" ? catalogue.mainland : expected);
  });

  it.each(["新彊省", "990000", "宁", "沪", ""])("does not resolve %s", (term) => {
    expect(catalogue.resolve(term)).toBeUndefined();
  });

  it("finds mentions longest first and never one-character abbreviations", () => {
    // 宁波 is a city of 浙江 (a place below province level), not the abbreviation 宁 of 宁夏.
    const mentions = catalogue.findMentions("内蒙古、江浙沪皖包邮，宁波发货，偏远地区除外");
    expect(mentions.map((m) => [m.text, m.start, m.end, m.vague, m.partial === true])).toEqual([
      ["内蒙古", 0, 3, false, false],
      ["江浙沪皖", 4, 8, false, false],
      ["宁波", 11, 13, false, true],
      ["偏远地区", 16, 20, true, false],
    ]);
    expect(mentions[2]?.codes).toEqual(["330000"]);
  });

  // mentionsAny is findMentions(...).some(...) without the mentions: the same answer on every text and set,
  // including texts whose only candidate is swallowed by a longer term (海南 over 海外's 海, 平台 over 台).
  const sets = {
    nonMainland: new Set(catalogue.nonMainland),
    remote: new Set(catalogue.remote),
    hainan: new Set(["460000"]),
    none: new Set<string>(),
  };
  const texts = [
    "全国包邮（港澳台及海外除外）",
    "海南包邮，海外不发货",
    "海南岛包邮",
    "本店平台正品",
    "Ships to Hong Kong and overseas; HK only",
    "Overseas shipping available",
    "pseudoverseasx 不是一个词",
    "新疆西藏除外，内蒙古另计",
    "江浙沪皖包邮，宁波发货，偏远地区除外",
    "臺灣、香港、澳門不發貨",
    "",
  ];
  it.each(Object.keys(sets))("answers mentionsAny as findMentions does (%s)", (name) => {
    const codes = sets[name as keyof typeof sets];
    for (const text of texts) {
      const expected = catalogue.findMentions(text).some((m) => m.codes.some((code) => codes.has(code)));
      expect([text, catalogue.mentionsAny(text, codes)]).toEqual([text, expected]);
    }
  });

  it("uses a configured remote set", async () => {
    const r = await loadRegionCatalogue({ remote: ["新疆", "西藏", "海南"] });
    expect(r.ok && r.value.remote).toEqual(["460000", "540000", "650000"]);
    expect(r.ok && r.value.resolve("偏远地区")).toEqual(["460000", "540000", "650000"]);
  });

  it("names file, line and key of bad region data", () => {
    const r = parseRegionData(
      "regions:\n  - { code: '1', name: a, short: a, set: mainland }\nremote: ['2']\ngroups: []\n",
      "x.yaml",
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([{ file: "x.yaml", line: 3, key: "remote[0]", message: 'unknown region code "2"' }]);
  });
});

describe("region names as users type them", () => {
  it("splits one item at 、，, ; ； and spaces, but keeps a known name that holds a space", async () => {
    expect(splitAreaItem("新疆、西藏，青海", catalogue)).toEqual(["新疆", "西藏", "青海"]);
    expect(splitAreaItem(" 宁夏, 甘肃;内蒙古；海南　台湾 ", catalogue)).toEqual([
      "宁夏",
      "甘肃",
      "内蒙古",
      "海南",
      "台湾",
    ]);
    expect(splitAreaItem("新疆", catalogue)).toEqual(["新疆"]);
    const us = await loadRegionCatalogue({ file: "rules/regions/us.yaml" });
    if (!us.ok) throw new Error("us.yaml");
    expect(splitAreaItem("New York", us.value)).toEqual(["New York"]);
    expect(splitAreaItem("Alaska, Hawaii", us.value)).toEqual(["Alaska", "Hawaii"]);
  });

  it("suggests the nearest names and group words for an unknown one, or says what to write", () => {
    expect(describeUnknownRegion("西臧", catalogue)).toEqual({
      message: 'unknown region "西臧" (did you mean 西藏?)',
      zh: '未知地区 "西臧"，是否指 西藏？',
    });
    // 新彊 is an alias of 新疆: the suggestion names the region, not the alias.
    expect(catalogue.suggest?.("新彊省")).toEqual(["新疆"]);
    expect(catalogue.suggest?.("偏远地方")).toEqual(["偏远地区"]);
    expect(describeUnknownRegion("火星", catalogue).zh).toBe(
      '未知地区 "火星"：请写省级地区的名称或简称、地区组（如 港澳台、偏远地区）或行政区划代码',
    );
  });

  it("edit distance counts a swap of neighbours as one edit and offers only near names", () => {
    expect(editDistance("--fial-on", "--fail-on")).toBe(1);
    expect(editDistance("西臧", "西藏")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(nearestNames("--fial-on", ["--fail-on", "--format", "--config"])).toEqual(["--fail-on"]);
    expect(nearestNames("--zzz", ["--fail-on", "--lang"])).toEqual([]);
  });
});
