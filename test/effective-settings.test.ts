import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CommandLineSettings,
  layeredSetting,
  parseConfig,
  resolveEffectiveSettings,
  SETTING_DEFAULTS,
} from "../src/config/index.js";
import { RULES } from "../src/rules/registry.js";
import { loadBundledData, unwrap } from "./helpers/bundled-data.js";

const { regions, packs } = await loadBundledData();
const cwd = path.resolve("work");
const data = { platforms: packs.platforms, regions };
const config = (text: string) => unwrap(parseConfig(text, "c.yaml", path.join(cwd, "conf", "c.yaml")));
const resolve = (text: string | undefined, commandLine: CommandLineSettings = {}) =>
  resolveEffectiveSettings({ ...(text === undefined ? {} : { config: config(text) }), commandLine, cwd }, data);
const rule = (settings: ReturnType<typeof resolve>, id: string) => settings.rules.find((r) => r.id === id);

describe("the effective settings: defaults → pack → presets → config file → command line", () => {
  it("without config or options: the built-in defaults and every rule's own defaults", () => {
    const settings = resolve(undefined);
    expect(settings).toMatchObject({ ...SETTING_DEFAULTS, limits: {} });
    expect(settings.templates).toBeUndefined();
    expect(settings.threads).toBeUndefined();
    expect(settings.remoteRegions).toEqual(["内蒙古", "西藏", "甘肃", "青海", "宁夏", "新疆"]);
    expect(settings.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    for (const r of RULES) {
      expect(rule(settings, r.meta.id)).toEqual({
        id: r.meta.id,
        setting: r.meta.defaultSeverity,
        options: r.options.parse({}),
        severityFrom: "rule",
        optionsFrom: "rule",
      });
    }
  });

  it("the platform's pack changes what differs on it (tmall: invoices are required)", () => {
    const settings = resolve(undefined, { platform: "tmall" });
    expect(rule(settings, "invoice/refusal")).toEqual({
      id: "invoice/refusal",
      setting: "error",
      options: { limitedIsRefusal: false, invoiceRequiredBy: { zh: "天猫", en: "Tmall" } },
      severityFrom: "pack",
      optionsFrom: "pack",
    });
    expect(settings.rules.filter((r) => r.severityFrom !== "rule").map((r) => r.id)).toEqual(["invoice/refusal"]);
  });

  it.each([
    // [config text, command line, expected subset]
    [
      "platform: generic\nlang: en\nfailOn: warning\nformat: [json]\n",
      {},
      { platform: "generic", lang: "en", failOn: "warning", format: ["json"] },
    ],
    [
      "platform: generic\nlang: en\nfailOn: warning\n",
      { platform: "tmall", lang: "zh", failOn: "never" },
      { platform: "tmall", lang: "zh", failOn: "never" },
    ],
    ["extends: tmall:strict\n", {}, { platform: "tmall", failOn: "warning" }],
    ["extends: tmall:strict\nfailOn: error\n", {}, { platform: "tmall", failOn: "error" }],
    ["extends: tmall:strict\n", { failOn: "info" }, { failOn: "info" }],
    ["format: [json]\n", { format: [] }, { format: ["json"] }],
    ["format: [json]\n", { format: ["sarif=x.sarif"] }, { format: ["sarif=x.sarif"] }],
  ] as const)("%j with %j", (text, commandLine, expected) => {
    expect(resolve(text, commandLine)).toMatchObject(expected);
  });

  it("rule severities: the config (and its presets) over the pack, the file over its presets", () => {
    const settings = resolve(
      "extends: tmall:strict\nrules: { shipping/overseas-not-stated: off, invoice/refusal: warning }\n",
    );
    expect(rule(settings, "shipping/overseas-not-stated")).toMatchObject({ setting: "off", severityFrom: "config" });
    expect(rule(settings, "shipping/stated-fee-mismatch")).toMatchObject({ setting: "error", severityFrom: "config" });
    // The config sets the severity; the options stay the tmall pack's.
    expect(rule(settings, "invoice/refusal")).toMatchObject({
      setting: "warning",
      severityFrom: "config",
      options: { invoiceRequiredBy: { zh: "天猫", en: "Tmall" } },
      optionsFrom: "pack",
    });
    expect(rule(settings, "shipping/payer-conflict")).toMatchObject({ setting: "error", severityFrom: "rule" });
  });

  it("templates: -t (against the working directory) replaces the config's (against the config file)", () => {
    expect(resolve("templates: [t.yaml]\n").templates).toEqual([path.join(cwd, "conf", "t.yaml")]);
    expect(resolve("templates: [t.yaml]\n", { templates: ["a.yaml"] }).templates).toEqual([path.join(cwd, "a.yaml")]);
  });

  it("command-line thresholds are kept as given", () => {
    expect(resolve(undefined, { maxWarnings: 0, maxProblems: 5, threads: 2 })).toMatchObject({
      limits: { maxWarnings: 0, maxProblems: 5 },
      threads: 2,
    });
  });

  it("layeredSetting gives the same answer before the rule data is loaded", () => {
    const loaded = config("lang: en\nformat: [json]\n");
    expect(layeredSetting("lang", loaded, {})).toBe("en");
    expect(layeredSetting("lang", loaded, { lang: "zh" })).toBe("zh");
    expect(layeredSetting("lang", undefined, {})).toBe("zh");
    expect(layeredSetting("format", loaded, { format: [] })).toEqual(["json"]);
    expect(layeredSetting("format", undefined, {})).toEqual(["text"]);
  });
});
