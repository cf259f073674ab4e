import path from "node:path";
import { stringify } from "yaml";
import type { Lang, RuleSetting } from "../model.js";
import type { LoadedConfig } from "./load-config.js";
import { configSchema, type Config } from "./schema.js";

/** Command-line values that win over the config's keys. */
export type CommandLineSettings = Pick<Config, "platform" | "lang" | "failOn" | "format" | "templates">;

/** What a run uses beyond the config's keys: built-in data, rule packs and command-line thresholds. */
export interface EffectiveSettings {
  /** The 偏远地区 set in effect, as region names. */
  remoteRegions: string[];
  /** Every rule with its severity on the run's platform (config `rules` applied) and its options. */
  rules: Array<{ id: string; setting: RuleSetting; options: Readonly<Record<string, unknown>> }>;
  /** The data files read, relative to the package (rules/regions/cn.yaml …). */
  files: { regions: string; lexicon: string; rulePack: string; ruleTexts: string };
  /** Command-line thresholds; undefined when not given. */
  thresholds: { maxWarnings?: number; maxProblems?: number; threads?: number };
}

/**
 * `--print-config`: the config a run would use — presets applied, command-line options over config keys,
 * defaults filled in (every rule's severity, the remote regions) — as YAML that is itself a valid config
 * (`extends` is already applied, so it is left out). What is not a config key (rule options, the data
 * files, thresholds given on the command line) follows as comments.
 */
export function formatEffectiveConfig(
  config: LoadedConfig | undefined,
  commandLine: CommandLineSettings,
  cwd: string,
  settings: EffectiveSettings,
  lang: Lang,
): string {
  const values: Config = { ...(config?.values ?? {}) };
  delete values.extends;
  delete values.$schema;
  const defined = Object.fromEntries(
    Object.entries(commandLine).filter(([, v]) => v !== undefined),
  ) as CommandLineSettings;
  const effective: Config = {
    platform: "taobao",
    lang: "zh",
    failOn: "error",
    format: ["text"],
    ...values,
    ...defined,
    remoteRegions: settings.remoteRegions,
    rules: Object.fromEntries(settings.rules.map((r) => [r.id, r.setting])),
  };
  if (effective.templates) effective.templates = effective.templates.map((t) => relativePath(t, cwd));
  // Keys in schema order, the order the docs and `init` use.
  const ordered = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((key) => (key in effective ? [[key, effective[key as keyof Config]]] : [])),
  );
  const zh = lang === "zh";
  const from = config
    ? [config.file, ...config.presets.map((p) => `${zh ? "预设" : "preset"} ${p.name}`)].join(zh ? "、" : ", ")
    : zh
      ? "没有配置文件：默认值"
      : "no config file: defaults";
  const { maxWarnings, maxProblems, threads } = settings.thresholds;
  const unset = zh ? "未设" : "not set";
  const files = settings.files;
  const additions = values.lexicon ? (zh ? "，加上配置的 lexicon 补充" : " with the config's lexicon additions") : "";
  const notes = [
    zh ? "以下不是配置键，但本次运行使用：" : "Not config keys, in effect for this run:",
    `${zh ? "规则包" : "rule pack"}: ${files.rulePack}; ${zh ? "规则文字" : "rule texts"}: ${files.ruleTexts}`,
    `${zh ? "地区" : "regions"}: ${files.regions}; ${zh ? "词库" : "lexicon"}: ${files.lexicon}${additions}`,
    `--max-warnings: ${maxWarnings ?? unset}; --max-problems: ${maxProblems ?? unset}; --threads: ${threads ?? (zh ? "默认（核数-1，最多 3）" : "default (one per core beyond the first, at most 3)")}`,
    zh ? "规则选项：" : "rule options:",
    ...settings.rules.flatMap((r) =>
      Object.keys(r.options).length === 0 ? [] : [`  ${r.id}: ${JSON.stringify(r.options)}`],
    ),
  ];
  const header = zh
    ? `实际生效的配置（${from}）；已应用命令行选项，已填入默认值`
    : `effective config (${from}); command-line options applied, defaults filled in`;
  return `# ${header}\n${stringify(ordered, { lineWidth: 0 })}${notes.map((line) => `# ${line}\n`).join("")}`;
}

function relativePath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative || ".").split(path.sep).join("/");
}
