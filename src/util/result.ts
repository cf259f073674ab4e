import type { Lang } from "../model.js";

/** A validation error that names where the mistake is: `file:line key: message`. */
export interface LocatedError {
  file: string;
  line?: number;
  /** Dotted path to the offending key, e.g. `templates[2].regions[0].areas`. */
  key: string;
  /** The message in English (the library's language, and `--lang en`). */
  message: string;
  /** The same message in Chinese, for `--lang zh`; errors without it show `message`. */
  zh?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: LocatedError[] };

/** A message in both languages, spread into a LocatedError or a problem. */
export function bilingual(zh: string, en: string): { message: string; zh: string } {
  return { message: en, zh };
}

export function formatLocatedError(error: LocatedError): string {
  return formatLocatedErrorIn(error, "en");
}

/** `file:line key: message` in the run's language. */
export function formatLocatedErrorIn(error: LocatedError, lang: Lang): string {
  const message = lang === "zh" ? (error.zh ?? error.message) : error.message;
  const where = error.line === undefined ? error.file : `${error.file}:${error.line}`;
  return error.key ? `${where} ${error.key}: ${message}` : `${where}: ${message}`;
}

/** Renders a path such as ["templates", 2, "areas"] as `templates[2].areas`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
