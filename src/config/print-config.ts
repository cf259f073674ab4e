import path from "node:path";
import { stringify } from "yaml";
import type { LoadedConfig } from "./load-config.js";
import { configSchema, type Config } from "./schema.js";

/** Command-line values that win over the config's keys. */
export type CommandLineSettings = Pick<Config, "platform" | "lang" | "failOn" | "format" | "templates">;

/**
 * `--print-config`: the config a run would use — presets applied, command-line options over config keys,
 * defaults filled in — as YAML that is itself a valid config (`extends` is already applied, so it is left out).
 */
export function formatEffectiveConfig(config: LoadedConfig | undefined, commandLine: CommandLineSettings, cwd: string): string {
  const values: Config = { ...(config?.values ?? {}) };
  delete values.extends;
  delete values.$schema;
  const defined = Object.fromEntries(Object.entries(commandLine).filter(([, v]) => v !== undefined)) as CommandLineSettings;
  const effective: Config = {
    platform: "taobao",
    lang: "zh",
    failOn: "error",
    format: ["text"],
    ...values,
    ...defined,
  };
  if (effective.templates) effective.templates = effective.templates.map((t) => relativePath(t, cwd));
  // Keys in schema order, the order the docs and `init` use.
  const ordered = Object.fromEntries(Object.keys(configSchema.shape).flatMap((key) => (key in effective ? [[key, effective[key as keyof Config]]] : [])));
  const from = config
    ? [config.file, ...config.presets.map((p) => `preset ${p.name}`)].join(", ")
    : "no config file: defaults";
  return `# effective config (${from}); command-line options applied\n${stringify(ordered, { lineWidth: 0 })}`;
}

function relativePath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative || ".").split(path.sep).join("/");
}
