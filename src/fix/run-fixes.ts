import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Lang, ListingResult } from "../model.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { FixContext } from "./fix-context.js";
import { fixFile } from "./fix-file.js";
import type { RefusedFix } from "./plan-fixes.js";
import type { UndeliverableCheck } from "./undeliverable-regions.js";

export interface FixRunOptions {
  cwd: string;
  /** `--fix-dry-run`: plan and show the diff, write nothing. */
  dryRun: boolean;
  /** `--fix-output <dir>`: corrected copies under this folder, at the inputs' relative paths. */
  outputDir?: string;
  /** `--fix-rule`: only these rules. */
  rules?: ReadonlySet<string>;
  lang: Lang;
  /** Which regions each listing's template does not deliver to (「…不发货」 rather than 「…不包邮」). */
  undeliverable?: UndeliverableCheck;
}

export interface FixedFile {
  /** The input, relative to the working directory, and where its corrected text went (undefined: dry run). */
  file: string;
  written?: string;
  /** Field edits made in the file. */
  edits: number;
  /** The corrected file is a rebuilt copy beside the input (an .xlsx), not the input itself. */
  copy?: boolean;
}

export interface FixRunReport {
  files: FixedFile[];
  /** Findings fixed (one per finding). */
  fixed: number;
  refused: RefusedFix[];
  /** The unified diff of every change, per listing and field. */
  diff: string;
}

/**
 * Fixes the audited files: plans every listing's fixes, lets each file's writer put them back in the
 * file's own format, and writes each corrected file atomically (in place or under `outputDir`). Only
 * results with findings are needed.
 */
export async function runFixes(
  results: readonly ListingResult[],
  context: FixContext,
  options: FixRunOptions,
): Promise<FixRunReport> {
  const byFile = new Map<string, ListingResult[]>();
  for (const result of results) {
    const file = result.record.source.file;
    if (file === undefined || result.findings.length === 0) continue;
    byFile.set(file, [...(byFile.get(file) ?? []), result]);
  }
  const report: FixRunReport = { files: [], fixed: 0, refused: [], diff: "" };
  for (const [file, fileResults] of byFile) {
    const absolute = path.resolve(options.cwd, file);
    const fixedFile = fixFile(file, await readFile(absolute), fileResults, context, options);
    report.fixed += fixedFile.fixed;
    report.refused.push(...fixedFile.refused);
    report.diff += fixedFile.diff;
    const outcome = fixedFile.outcome;
    if (outcome === undefined || outcome.applied === 0) continue;
    const entry: FixedFile = { file, edits: outcome.applied, ...(outcome.copyName ? { copy: true } : {}) };
    if (!options.dryRun) {
      const written = outcome.copyName ? path.join(path.dirname(absolute), outcome.copyName) : absolute;
      const target =
        options.outputDir === undefined
          ? written
          : path.resolve(options.cwd, options.outputDir, path.relative(options.cwd, written));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, outcome.data);
      entry.written = path.relative(options.cwd, target) || target;
    }
    report.files.push(entry);
  }
  return report;
}
