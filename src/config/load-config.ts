import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, parseLocatedDocument, type LocatedDocument } from "../util/yaml-document.js";
import { configSchema, type Config } from "./schema.js";

/** Names looked up in each folder, in this order. */
export const CONFIG_FILE_NAMES = ["listing-audit.config.yaml", "listing-audit.config.yml", "listing-audit.config.json"] as const;

/** A validated config file. Paths in `values.templates` are absolute. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** The name used in messages (relative to the working directory). */
  file: string;
  values: Config;
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
    text = await readFile(absolute, "utf8");
  } catch (error) {
    return { ok: false, errors: [{ file: name, key: "", message: `cannot read config file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseConfig(text.replace(/^\uFEFF/, ""), name, absolute);
}

/** Validates config text; `absolute` anchors relative template paths. */
export function parseConfig(text: string, name: string, absolute: string): Result<LoadedConfig> {
  const parsed = parseLocatedDocument(text, name);
  if (!parsed.ok) return parsed;
  const doc: LocatedDocument = parsed.value;
  // An empty file is an empty config, not an error.
  if (doc.value === null || doc.value === undefined) doc.value = {};
  const valid = validateConfig(doc);
  if (!valid.ok) return valid;
  const dir = path.dirname(absolute);
  const values: Config = { ...valid.value };
  if (values.templates) values.templates = values.templates.map((t) => path.resolve(dir, t));
  return { ok: true, value: { path: absolute, file: name, values, errorAt: (keyPath, message) => errorAt(doc, keyPath, message) } };
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
  return { ok: false, errors: errors.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
