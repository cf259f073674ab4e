import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { RegionCatalogue, ShippingTemplate } from "../model.js";
import { FileTooLargeError, readFileCapped } from "../util/capped-read.js";
import type { LocatedError, Result } from "../util/result.js";
import { decodeFileText } from "../util/text-encoding.js";
import { findDuplicateIds, parseTemplates } from "./parse-templates.js";

/** The templates of a run, by id, and the warnings their files raised. */
export interface TemplateSet {
  templates: ReadonlyMap<string, ShippingTemplate>;
  warnings: LocatedError[];
}

const TEMPLATE_FILE = /\.(ya?ml|json)$/i;
/** A template file is parsed whole with YAML's CST (some 35 bytes of memory per byte); a shop's fit in a few KB. */
export const MAX_TEMPLATE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads template files and folders (every .yaml/.yml/.json inside, recursively, in sorted order). Any
 * unreadable or invalid file, and any template id defined twice, fails the whole set: the run cannot
 * be trusted with half its templates. Relative paths resolve against `cwd`, and errors name files
 * relative to it.
 */
export async function loadTemplateFiles(
  paths: readonly string[],
  regions: RegionCatalogue,
  cwd: string,
): Promise<Result<TemplateSet>> {
  const errors: LocatedError[] = [];
  const warnings: LocatedError[] = [];
  const loaded: ShippingTemplate[] = [];
  for (const file of await expandPaths(paths, errors, cwd)) {
    const name = (path.relative(cwd, file) || file).split(path.sep).join("/");
    let text: string;
    try {
      text = decodeFileText(await readFileCapped(file, MAX_TEMPLATE_FILE_BYTES));
    } catch (error) {
      const reason =
        error instanceof FileTooLargeError
          ? `${error.message}, the most a template file may hold`
          : (error as Error).message;
      errors.push({ file: name, key: "", message: `cannot read: ${reason}` });
      continue;
    }
    const parsed = parseTemplates(text, name, regions);
    if (!parsed.ok) {
      // Loops, not push(...list): a file of 200,000 templates or mistakes would overflow the stack.
      for (const error of parsed.errors) errors.push(error);
      continue;
    }
    for (const template of parsed.value.templates) loaded.push(template);
    for (const warning of parsed.value.warnings) warnings.push(warning);
  }
  for (const error of findDuplicateIds(loaded)) errors.push(error);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { templates: new Map(loaded.map((t) => [t.id, t])), warnings } };
}

/** Files named and files found in folders, each once, absolute. */
async function expandPaths(paths: readonly string[], errors: LocatedError[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    try {
      if ((await stat(absolute)).isDirectory()) {
        const found = await listTemplateFiles(absolute);
        if (found.length === 0)
          errors.push({ file: given, key: "", message: "no .yaml, .yml or .json file in this folder" });
        for (const file of found) files.push(file);
      } else {
        files.push(absolute);
      }
    } catch (error) {
      errors.push({ file: given, key: "", message: `cannot read: ${(error as Error).message}` });
    }
  }
  return [...new Set(files)];
}

async function listTemplateFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && TEMPLATE_FILE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}
