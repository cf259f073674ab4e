import path from "node:path";
import { stringify } from "yaml";
import type { EffectiveRuleSettings, EffectiveSettings, SettingSource } from "./effective-settings.js";
import type { LoadedConfig } from "./load-config.js";
import { configSchema, type Config } from "./schema.js";

/** The data files a run reads, relative to the package (rules/regions/cn.yaml …). */
export interface DataFiles {
  regions: string;
  lexicon: string;
  rulePack: string;
  ruleTexts: string;
}

/**
 * `--print-config`: the effective settings (resolveEffectiveSettings) in full, as YAML that is itself a
 * valid config (`extends` is already applied, so it is left out): platform, lang, failOn, format,
 * templates, remote regions and every rule's severity, with the config's other keys as written. What is
 * not a config key (rule options, the data files, thresholds given on the command line) follows as
 * comments, in the run's language.
 */
export function formatEffectiveConfig(
  config: LoadedConfig | undefined,
  settings: EffectiveSettings,
  files: DataFiles,
  cwd: string,
): string {
  const values: Config = { ...(config?.values ?? {}) };
  delete values.extends;
  delete values.$schema;
  const effective: Config = {
    ...values,
    platform: settings.platform,
    lang: settings.lang,
    failOn: settings.failOn,
    format: settings.format,
    ...(settings.templates ? { templates: settings.templates.map((t) => relativePath(t, cwd)) } : {}),
    remoteRegions: settings.remoteRegions,
    rules: Object.fromEntries(settings.rules.map((r) => [r.id, r.setting])),
  };
  // Keys in schema order, the order the docs and `init` use.
  const ordered = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((key) => (key in effective ? [[key, effective[key as keyof Config]]] : [])),
  );
  const zh = settings.lang === "zh";
  const from = config
    ? [config.file, ...config.presets.map((p) => `${zh ? "预设" : "preset"} ${p.name}`)].join(zh ? "、" : ", ")
    : zh
      ? "没有配置文件：默认值"
      : "no config file: defaults";
  const { maxWarnings, maxProblems } = settings.limits;
  const unset = zh ? "未设" : "not set";
  const additions = values.lexicon ? (zh ? "，加上配置的 lexicon 补充" : " with the config's lexicon additions") : "";
  const notes = [
    zh ? "以下不是配置键，但本次运行使用：" : "Not config keys, in effect for this run:",
    `${zh ? "规则包" : "rule pack"}: ${files.rulePack}; ${zh ? "规则文字" : "rule texts"}: ${files.ruleTexts}`,
    `${zh ? "地区" : "regions"}: ${files.regions}; ${zh ? "词库" : "lexicon"}: ${files.lexicon}${additions}`,
    `--max-warnings: ${maxWarnings ?? unset}; --max-problems: ${maxProblems ?? unset}; --threads: ${settings.threads ?? (zh ? "默认（核数-1，最多 3）" : "default (one per core beyond the first, at most 3)")}`,
    zh ? "规则选项：" : "rule options:",
    ...settings.rules.flatMap((r) =>
      Object.keys(r.options).length === 0 ? [] : [`  ${r.id}: ${JSON.stringify(r.options)}`],
    ),
    ...formatSources(settings.rules, zh),
  ];
  const header = zh
    ? `实际生效的配置（${from}）；已应用命令行选项，已填入默认值`
    : `effective config (${from}); command-line options applied, defaults filled in`;
  return `# ${header}\n${stringify(ordered, { lineWidth: 0 })}${notes.map((line) => `# ${line}\n`).join("")}`;
}

/** The rules whose severity or options are not the rule's own defaults, and which layer set them. */
function formatSources(rules: readonly EffectiveRuleSettings[], zh: boolean): string[] {
  const layer: Record<Exclude<SettingSource, "rule">, string> = zh
    ? { pack: "（规则包）", config: "（配置或预设）" }
    : { pack: " (rule pack)", config: " (config or preset)" };
  const lines = rules.flatMap((r) => {
    const set = [
      ...(r.severityFrom === "rule" ? [] : [`${zh ? "严重级别" : "severity"}${layer[r.severityFrom]}`]),
      ...(r.optionsFrom === "rule" ? [] : [`${zh ? "选项" : "options"}${layer[r.optionsFrom]}`]),
    ];
    return set.length === 0 ? [] : [`  ${r.id}: ${set.join(zh ? "、" : ", ")}`];
  });
  return [
    zh ? "不是规则自身默认值的设置：" : "set by the rule pack or the config, not the rule's own defaults:",
    ...(lines.length > 0 ? lines : [zh ? "  （无）" : "  (none)"]),
  ];
}

function relativePath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative || ".").split(path.sep).join("/");
}
