import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { bilingual, type LocatedError, type Result } from "../util/result.js";
import { nearestNames } from "../util/nearest.js";
import { decodeFileText } from "../util/text-encoding.js";
import { errorAt, locateIssue, parseLocatedDocument, type LocatedDocument } from "../util/yaml-document.js";
import { loadPreset, listPresetNames, type LoadedPreset } from "./presets.js";
import { checkRuleIds } from "./rule-ids.js";
import { configSchema, type Config, type Preset } from "./schema.js";

/** Names looked up in each folder, in this order. */
export const CONFIG_FILE_NAMES = [
  "listing-audit.config.yaml",
  "listing-audit.config.yml",
  "listing-audit.config.json",
] as const;

/**
 * A validated config file with its presets applied: `values` is the effective config (presets first, in
 * `extends` order, then the file's own keys). Paths in `values.templates` are absolute.
 */
export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** The name used in messages (relative to the working directory). */
  file: string;
  values: Config;
  /** The presets applied, in order. */
  presets: LoadedPreset[];
  /** A located error at a key of the file, for checks made later against loaded data (rule ids, region names). */
  errorAt(keyPath: readonly PropertyKey[], message: string | { message: string; zh: string }): LocatedError;
}

/** What marks a repository or project root: discovery looks no higher (as ESLint's flat config does). */
const PROJECT_ROOT_MARKERS = [".git", "package.json"] as const;

/**
 * The nearest config file from `cwd` upwards, or undefined. The walk stops at the repository or project
 * root, so a config planted in a shared ancestor (/tmp, a home folder) is never picked up.
 */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  let folder = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(folder, name);
      if (await exists(candidate)) return candidate;
    }
    for (const marker of PROJECT_ROOT_MARKERS) if (await exists(path.join(folder, marker))) return undefined;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/**
 * A config found by discovery (not named with `-c`) may only write inside the working directory: one
 * planted in a parent folder must not send `format: [json=…]` reports over other files. Each `=file` of
 * `format` that resolves outside `cwd` is an error at its key.
 */
export function checkFoundConfigOutputs(config: LoadedConfig, cwd: string): LocatedError[] {
  const root = path.resolve(cwd);
  return (config.values.format ?? []).flatMap((spec, i) => {
    const eq = spec.indexOf("=");
    if (eq < 0) return [];
    const file = spec.slice(eq + 1);
    const relative = path.relative(root, path.resolve(root, file));
    const inside =
      relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
    if (inside) return [];
    return [
      config.errorAt(
        ["format", i],
        bilingual(
          `自动找到的配置文件不能把报告写到工作目录之外（${file}）：请用 -c ${config.file} 明确指定这个配置文件，或把路径改到工作目录之下`,
          `a config found by lookup may not write outside the working directory (${file}): name it with -c ${config.file}, or write inside the working directory`,
        ),
      ),
    ];
  });
}

/** Reads and validates a config file; every mistake comes back at once with file, line and key. */
export async function loadConfigFile(file: string, cwd: string): Promise<Result<LoadedConfig>> {
  const absolute = path.resolve(cwd, file);
  const name = path.relative(cwd, absolute).split(path.sep).join("/") || path.basename(absolute);
  let text: string;
  try {
    text = decodeFileText(await readFile(absolute));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const zh = (error as NodeJS.ErrnoException).code === "ENOENT" ? "配置文件不存在" : `无法读取配置文件（${reason}）`;
    return { ok: false, errors: [{ file: name, key: "", ...bilingual(zh, `cannot read config file: ${reason}`) }] };
  }
  return parseConfig(text, name, absolute);
}

/**
 * Validates config text and applies its presets; `absolute` anchors relative template paths. Every
 * mistake — schema, unknown preset, unknown rule id, a broken preset — comes back at once, located.
 */
export function parseConfig(text: string, name: string, absolute: string): Result<LoadedConfig> {
  const parsed = parseLocatedDocument(text, name);
  if (!parsed.ok) return parsed;
  const doc: LocatedDocument = parsed.value;
  // An empty file is an empty config, not an error.
  if (doc.value === null || doc.value === undefined) doc.value = {};
  const locate = (keyPath: readonly PropertyKey[], message: string | { message: string; zh: string }) =>
    errorAt(doc, keyPath, message);
  const valid = validateConfig(doc);
  const presets = resolvePresets(doc.value, locate);
  const errors = [...(valid.ok ? [] : valid.errors), ...presets.errors, ...checkRuleIds(doc.value, locate)];
  if (!valid.ok || errors.length > 0)
    return { ok: false, errors: errors.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  const dir = path.dirname(absolute);
  const own: Config = { ...valid.value };
  if (own.templates) own.templates = own.templates.map((t) => path.resolve(dir, t));
  const values = presets.loaded.reduceRight<Config>((merged, preset) => mergeLayer(preset.values, merged), own);
  return { ok: true, value: { path: absolute, file: name, values, presets: presets.loaded, errorAt: locate } };
}

/** `extends` names read from the raw document, so an unknown one is reported beside schema mistakes. */
function resolvePresets(
  raw: unknown,
  locate: LoadedConfig["errorAt"],
): { loaded: LoadedPreset[]; errors: LocatedError[] } {
  const value = typeof raw === "object" && raw !== null ? (raw as { extends?: unknown }).extends : undefined;
  const names = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const loaded: LoadedPreset[] = [];
  const errors: LocatedError[] = [];
  names.forEach((name, i) => {
    if (typeof name !== "string") return;
    const keyPath = typeof value === "string" ? ["extends"] : ["extends", i];
    const preset = loadPreset(name.trim());
    const names = listPresetNames();
    if (preset === undefined)
      errors.push(
        locate(
          keyPath,
          bilingual(
            `未知预设 "${name}"（可用：${names.join("、")}）`,
            `unknown preset "${name}" (expected one of ${names.join(", ")})`,
          ),
        ),
      );
    else if (!preset.ok) errors.push(...preset.errors);
    else loaded.push(preset.value);
  });
  return { loaded, errors };
}

/** A preset under a config: `rules` merge key by key, `overrides` run preset first, other keys are replaced. */
function mergeLayer(base: Preset, over: Config): Config {
  const merged: Config = { ...over };
  if (base.platform !== undefined && over.platform === undefined) merged.platform = base.platform;
  if (base.failOn !== undefined && over.failOn === undefined) merged.failOn = base.failOn;
  if (base.rules !== undefined || over.rules !== undefined) merged.rules = { ...base.rules, ...over.rules };
  if (base.overrides !== undefined || over.overrides !== undefined)
    merged.overrides = [...(base.overrides ?? []), ...(over.overrides ?? [])];
  return merged;
}

/** Like validateDocument, but an unknown key is reported at that key's own line, one error per key. */
function validateConfig(doc: LocatedDocument): Result<Config> {
  const parsed = configSchema.safeParse(doc.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) =>
          errorAt(doc, [...issue.path, key], describeUnknownKey(key, issue.path, Object.keys(configSchema.shape))),
        )
      : [locateIssue(doc, issue)],
  );
  return { ok: false, errors };
}

/** `unknown key "formats"` with the nearest of `topKeys`, when the slip is a top-level key. */
export function describeUnknownKey(
  key: string,
  at: readonly PropertyKey[],
  topKeys: readonly string[],
): { message: string; zh: string } {
  const near = at.length === 0 ? nearestNames(key, topKeys) : [];
  return near.length > 0
    ? bilingual(
        `未知的键 "${key}"，是否指 ${near.join("、")}？`,
        `unknown key "${key}" (did you mean ${near.join(", ")}?)`,
      )
    : bilingual(`未知的键 "${key}"`, `unknown key "${key}"`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
