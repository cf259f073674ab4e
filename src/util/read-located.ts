import { readFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT } from "./package-root.js";
import type { Result } from "./result.js";

/**
 * How messages name a data file the package reads (rules/…): relative to the package, whatever folder the
 * run works in, so an error in bundled data reads the same from the CLI, a library call or a worker.
 * A file outside the package keeps its full path.
 */
export function shownDataPath(file: string): string {
  const relative = path.relative(PACKAGE_ROOT, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join("/");
}

/** Reads a UTF-8 data file; a file that cannot be read is a located error naming it, not a throw. */
export async function readLocatedText(file: string, shown: string = shownDataPath(file)): Promise<Result<string>> {
  try {
    return { ok: true, value: await readFile(file, "utf8") };
  } catch (error) {
    return { ok: false, errors: [{ file: shown, key: "", message: (error as Error).message }] };
  }
}
