import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Lang, Platform, RegionCatalogue, RuleSetting } from "../model.js";
import { effectiveRules } from "../rules/registry.js";
import type { RuleEntry } from "../rules/rule.js";
import type { FailOn, RunLimits } from "../verdict.js";
import type { LoadedConfig } from "./load-config.js";

/** What the command line (or a library caller) sets over the config's keys; undefined: not given. */
export interface CommandLineSettings extends RunLimits {
  platform?: Platform;
  lang?: Lang;
  failOn?: FailOn;
  /** `-f`; an empty list is the same as none. */
  format?: readonly string[];
  /** `-t`, relative to the working directory; replaces the config's `templates`. */
  templates?: readonly string[];
  threads?: number;
}

/** The settings of a run, every layer applied (see resolveEffectiveSettings). */
export interface EffectiveSettings {
  platform: Platform;
  lang: Lang;
  failOn: FailOn;
  format: string[];
  /** Template files or folders, absolute: `-t`, else the config's; undefined when neither names any. */
  templates?: string[];
  /** The 偏远地区 set in effect, as region names. */
  remoteRegions: string[];
  /** Every rule in registry order with its severity on the run's platform and its options. */
  rules: EffectiveRuleSettings[];
  /** `--max-warnings`, `--max-problems` (command line only). */
  limits: RunLimits;
  /** `--threads` (command line only); undefined: the default. */
  threads?: number;
}

/** The layer a rule's severity or options come from: the rule's own default, the platform's pack, the config. */
export type SettingSource = "rule" | "pack" | "config";

/** One rule as a run uses it, and where its severity and options were set. */
export interface EffectiveRuleSettings {
  id: string;
  setting: RuleSetting;
  options: Readonly<Record<string, unknown>>;
  severityFrom: SettingSource;
  /** Options are set by packs only (the config sets severities). */
  optionsFrom: Exclude<SettingSource, "config">;
}

/** The built-in value of each setting both the config and the command line may give. */
export const SETTING_DEFAULTS: {
  platform: Platform;
  lang: Lang;
  failOn: FailOn;
  format: readonly string[];
} = { platform: "taobao", lang: "zh", failOn: "error", format: ["text"] };

type LayeredKey = keyof typeof SETTING_DEFAULTS;

/**
 * One setting the command line and the config both give: the command line's, else the config's (its
 * presets applied), else the built-in default. For what a command needs before the rule data is loaded
 * (the language of its messages, the formats to open); resolveEffectiveSettings uses it for every key.
 */
export function layeredSetting<K extends LayeredKey>(
  key: K,
  config: LoadedConfig | undefined,
  commandLine: CommandLineSettings,
): (typeof SETTING_DEFAULTS)[K] {
  const given = (settings: { [P in LayeredKey]?: (typeof SETTING_DEFAULTS)[P] }) => {
    const value = settings[key];
    return Array.isArray(value) && value.length === 0 ? undefined : value;
  };
  return given(commandLine) ?? given(config?.values ?? {}) ?? SETTING_DEFAULTS[key];
}

/**
 * The effective settings of a run, computed in this one place, layer over layer: built-in defaults and
 * each rule's own defaults → the platform's rule pack (what the platform changes) → the config's presets
 * (`extends`) → the config file's own keys → the command line. Presets and the file are already merged in
 * `config.values` (load-config.ts); the remote regions are those of the catalogue the config's
 * `remoteRegions` produced (resolve-config.ts). `--print-config` prints the result in full; `audit()`
 * and the CLI run with it.
 */
export function resolveEffectiveSettings(
  layers: { config?: LoadedConfig; commandLine: CommandLineSettings; cwd: string },
  data: { platforms: Readonly<Record<Platform, Readonly<Record<string, RuleEntry>>>>; regions: RegionCatalogue },
): EffectiveSettings {
  const { config, commandLine, cwd } = layers;
  const platform = layeredSetting("platform", config, commandLine);
  const templates = commandLine.templates?.map((t) => path.resolve(cwd, t)) ?? config?.values.templates;
  const { maxWarnings, maxProblems, threads } = commandLine;
  const configured = config?.values.rules ?? {};
  return {
    platform,
    lang: layeredSetting("lang", config, commandLine),
    failOn: layeredSetting("failOn", config, commandLine),
    format: [...layeredSetting("format", config, commandLine)],
    ...(templates === undefined ? {} : { templates: [...templates] }),
    remoteRegions: data.regions.remote.map((code) => data.regions.get(code)?.shortName ?? code),
    rules: effectiveRules(data.platforms[platform], configured).map(({ rule, setting, options }) => ({
      id: rule.meta.id,
      setting,
      options,
      severityFrom:
        configured[rule.meta.id] !== undefined ? "config" : setting !== rule.meta.defaultSeverity ? "pack" : "rule",
      optionsFrom: isDeepStrictEqual(options, rule.options.parse({})) ? "rule" : "pack",
    })),
    limits: {
      ...(maxWarnings === undefined ? {} : { maxWarnings }),
      ...(maxProblems === undefined ? {} : { maxProblems }),
    },
    ...(threads === undefined ? {} : { threads }),
  };
}
