import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../util/package-root.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, validateDocument, type LocatedDocument } from "../util/yaml-document.js";
import { checkRuleIds } from "./rule-ids.js";
import { presetSchema, type Preset } from "./schema.js";

/** Built-in presets: `rules/presets/<platform>-<name>.yaml` is the preset `<platform>:<name>`. */
export const PRESETS_DIR = path.join(PACKAGE_ROOT, "rules", "presets");

/** A validated preset and where it came from. */
export interface LoadedPreset {
  name: string;
  /** The file, relative to the package (for messages). */
  file: string;
  values: Preset;
}

/** The names `extends` accepts, sorted. */
export function listPresetNames(): string[] {
  return readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length).replace("-", ":"))
    .sort();
}

const cache = new Map<string, Result<LoadedPreset>>();

/**
 * Reads and validates one preset (synchronously: presets are a few lines of built-in data, read once per
 * process). Undefined when no preset has that name.
 */
export function loadPreset(name: string): Result<LoadedPreset> | undefined {
  if (!listPresetNames().includes(name)) return undefined;
  const cached = cache.get(name);
  if (cached) return cached;
  const file = path.join(PRESETS_DIR, `${name.replace(":", "-")}.yaml`);
  const display = path.relative(PACKAGE_ROOT, file).split(path.sep).join("/");
  const loaded = parsePreset(readFileSync(file, "utf8"), display, name);
  cache.set(name, loaded);
  return loaded;
}

function parsePreset(text: string, file: string, name: string): Result<LoadedPreset> {
  const parsed = parseLocatedDocument(text, file);
  if (!parsed.ok) return parsed;
  const doc: LocatedDocument = parsed.value;
  const valid = validateDocument(doc, presetSchema);
  const errors: LocatedError[] = [
    ...(valid.ok ? [] : valid.errors),
    ...checkRuleIds(doc.value, (keyPath, message) => errorAt(doc, keyPath, message)),
  ];
  if (!valid.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, file, values: valid.value } };
}
