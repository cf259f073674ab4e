import path from "node:path";
import { FileTooLargeError, readFileCapped } from "../util/capped-read.js";
import type { LocatedError } from "../util/result.js";
import { compileGlob } from "../util/glob.js";

/** The ignore file's name, looked for next to the config file and in the working directory. */
export const IGNORE_FILE_NAME = ".listingauditignore";

/** Far more patterns than any shop writes; the file is read whole. */
export const MAX_IGNORE_FILE_BYTES = 4 * 1024 * 1024;

/** Input paths to leave out of a run, from `.listingauditignore` files. */
export interface IgnoreRules {
  /** The ignore files that were read (absolute paths). */
  files: string[];
  /** Ignore files too large to read: the run must not go on without the patterns they hold. */
  errors: LocatedError[];
  /** True when the last pattern that matches the file (or one of its folders) is not a `!` pattern. */
  ignores(absolute: string): boolean;
}

interface Pattern {
  root: string;
  negate: boolean;
  directoryOnly: boolean;
  matches: (relative: string) => boolean;
}

/** Reads `.listingauditignore` in each folder given (missing files are fine), in order: later patterns win. */
export async function loadIgnoreRules(folders: readonly string[], cwd: string): Promise<IgnoreRules> {
  const files: string[] = [];
  const errors: LocatedError[] = [];
  const patterns: Pattern[] = [];
  for (const folder of [...new Set(folders.map((f) => path.resolve(f)))]) {
    const file = path.join(folder, IGNORE_FILE_NAME);
    let text: string;
    try {
      text = (await readFileCapped(file, MAX_IGNORE_FILE_BYTES)).toString("utf8");
    } catch (error) {
      // A missing or unreadable ignore file is no ignore file; one too large is a mistake to name.
      if (error instanceof FileTooLargeError)
        errors.push({
          file: path.relative(cwd, file) || file,
          key: "",
          message: `${error.message}, the most an ignore file may hold`,
        });
      continue;
    }
    files.push(file);
    patterns.push(...parseIgnoreText(text, folder));
  }
  return { files, errors, ignores: (absolute) => isIgnored(patterns, absolute) };
}

/**
 * gitignore syntax: `#` comments, `!` re-includes, a trailing `/` matches folders only, a pattern with a
 * `/` elsewhere is anchored at the ignore file's folder, one without matches at any depth; `**` spans folders.
 */
function parseIgnoreText(text: string, root: string): Pattern[] {
  const out: Pattern[] = [];
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    let line = trimUnescapedSpace(raw);
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    if (line.startsWith("\\#") || line.startsWith("\\!")) line = line.slice(1);
    const directoryOnly = line.endsWith("/");
    if (directoryOnly) line = trimTrailingSlashes(line);
    if (line === "") continue;
    const anchored = line.includes("/");
    const glob = anchored ? line.replace(/^\//, "") : `**/${line}`;
    out.push({ root, negate, directoryOnly, matches: compileGlob(glob) });
  }
  return out;
}

/**
 * Drops trailing white space except one escaped by a backslash (gitignore's `foo\ `). A loop: the regex
 * /(?<!\\)\s+$/ retries at every space of a long run, 78 s on a 400 KB line of spaces.
 */
export function trimUnescapedSpace(line: string): string {
  let end = line.length;
  while (end > 0 && /\s/.test(line.charAt(end - 1))) end--;
  if (end < line.length && line.charAt(end - 1) === "\\") end++;
  return line.slice(0, end);
}

/** A loop for the same reason: /\/+$/ backtracks through every run of slashes before the last. */
function trimTrailingSlashes(line: string): string {
  let end = line.length;
  while (end > 0 && line.charAt(end - 1) === "/") end--;
  return line.slice(0, end);
}

function isIgnored(patterns: readonly Pattern[], absolute: string): boolean {
  let ignored = false;
  for (const pattern of patterns) {
    const relative = path.relative(pattern.root, absolute).split(path.sep).join("/");
    if (relative === "" || relative.startsWith("../") || path.isAbsolute(relative)) continue;
    const parts = relative.split("/");
    // A pattern that names a folder ignores everything below it.
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    const folders = candidates.slice(0, -1);
    const hit = (pattern.directoryOnly ? folders : candidates).some((c) => pattern.matches(c));
    if (hit) ignored = !pattern.negate;
  }
  return ignored;
}
