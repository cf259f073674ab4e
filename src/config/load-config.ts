import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { LocatedError, Result } from "../util/result.js";
import { decodeFileText } from "../util/text-encoding.js";
import { errorAt, parseLocatedDocument, type LocatedDocument } from "../util/yaml-document.js";
import { loadPreset, listPresetNames, type LoadedPreset } from "./presets.js";
import { checkRuleIds } from "./rule-ids.js";
import { configSchema, type Config, type Preset } from "./schema.js";

/** Names looked up in each folder, in this order. */
export const CONFIG_FILE_NAMES = ["listing-audit.config.yaml", "listing-audit.config.yml", "listing-audit.config.json"] as const;

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
  errorAt(keyPath: readonly PropertyKey[], message: string): LocatedError;
}

/** The nearest config file from `cwd` upwards, or undefined. */
export async function findConfigFile(cwd: string): Promise<string | undefined> {
  let folder = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(folder, name);
      if (await exists(candidate)) return candidate;
    }
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/** Reads and validates a config file; every mistake comes back at once with file, line and key. */
export async function loadConfigFile(file: string, cwd: string): Promise<Result<LoadedConfig>> {
  const absolute = path.resolve(cwd, file);
  const name = path.relative(cwd, absolute).split(path.sep).join("/") || path.basename(absolute);
  let text: string;
  try {
    text = decodeFileText(await readFile(absolute));
  } catch (error) {
    return { ok: false, errors: [{ file: name, key: "", message: `cannot read config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
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
  const locate = (keyPath: readonly PropertyKey[], message: string) => errorAt(doc, keyPath, message);
  const valid = validateConfig(doc);
  const presets = resolvePresets(doc.value, locate);
  const errors = [...(valid.ok ? [] : valid.errors), ...presets.errors, ...checkRuleIds(doc.value, locate)];
  if (!valid.ok || errors.length > 0) return { ok: false, errors: errors.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  const dir = path.dirname(absolute);
  const own: Config = { ...valid.value };
  if (own.templates) own.templates = own.templates.map((t) => path.resolve(dir, t));
  const values = presets.loaded.reduceRight<Config>((merged, preset) => mergeLayer(preset.values, merged), own);
  return { ok: true, value: { path: absolute, file: name, values, presets: presets.loaded, errorAt: locate } };
}

/** `extends` names read from the raw document, so an unknown one is reported beside schema mistakes. */
function resolvePresets(raw: unknown, locate: (keyPath: readonly PropertyKey[], message: string) => LocatedError): { loaded: LoadedPreset[]; errors: LocatedError[] } {
  const value = typeof raw === "object" && raw !== null ? (raw as { extends?: unknown }).extends : undefined;
  const names = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const loaded: LoadedPreset[] = [];
  const errors: LocatedError[] = [];
  names.forEach((name, i) => {
    if (typeof name !== "string") return;
    const keyPath = typeof value === "string" ? ["extends"] : ["extends", i];
    const preset = loadPreset(name.trim());
    if (preset === undefined) errors.push(locate(keyPath, `unknown preset "${name}" (expected one of ${listPresetNames().join(", ")})`));
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
  if (base.overrides !== undefined || over.overrides !== undefined) merged.overrides = [...(base.overrides ?? []), ...(over.overrides ?? [])];
  return merged;
}

/** Like validateDocument, but an unknown key is reported at that key's own line, one error per key. */
function validateConfig(doc: LocatedDocument): Result<Config> {
  const parsed = configSchema.safeParse(doc.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = parsed.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => errorAt(doc, [...issue.path, key], `unknown key "${key}"`))
      : [errorAt(doc, issue.path, issue.message)],
  );
  return { ok: false, errors };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
