/** A validation error that names where the mistake is: `file:line key: message`. */
export interface LocatedError {
  file: string;
  line?: number;
  /** Dotted path to the offending key, e.g. `templates[2].regions[0].areas`. */
  key: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: LocatedError[] };

export function formatLocatedError(error: LocatedError): string {
  const where = error.line === undefined ? error.file : `${error.file}:${error.line}`;
  return error.key ? `${where} ${error.key}: ${error.message}` : `${where}: ${error.message}`;
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
