import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Lang, ListingResult } from "../model.js";
import { writeFileAtomic } from "../util/atomic-file.js";
import { formatFixDiff } from "./fix-diff.js";
import type { FixContext } from "./fix-context.js";
import { planFixes, type RefusedFix } from "./plan-fixes.js";
import type { UndeliverableCheck } from "./undeliverable-regions.js";
import { openDelimitedWriter } from "./writers/delimited-writer.js";
import { openJsonWriter } from "./writers/json-writer.js";
import { openXlsxWriter } from "./writers/xlsx-writer.js";
import { openYamlWriter } from "./writers/yaml-writer.js";
import type { FixWriter, RecordFix } from "./writers/writer.js";

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
    const bytes = await readFile(absolute);
    const writer = openWriter(file, bytes);
    if (writer === undefined) {
      for (const result of fileResults)
        for (const finding of result.findings)
          if (!options.rules || options.rules.has(finding.ruleId))
            report.refused.push({
              ruleId: finding.ruleId,
              listingId: finding.listingId,
              file,
              reason: "format-not-writable",
              data: { file, format: path.extname(file) || file },
            });
      continue;
    }
    const fixes: RecordFix[] = [];
    const fixedBy = new Map<RecordFix, string[]>();
    for (const { record, findings } of fileResults) {
      const plan = planFixes(record.listing, findings, context, {
        ...(options.rules ? { rules: options.rules } : {}),
        writable: (field) => writer.writable(field),
        ...(options.undeliverable ? { undeliverable: options.undeliverable(record) } : {}),
      });
      for (const refused of plan.refused) report.refused.push({ ...refused, file });
      if (plan.edits.length === 0) {
        report.fixed += plan.fixed.length;
        continue;
      }
      const fix: RecordFix = {
        listingId: record.listing.id,
        ...(record.source.row !== undefined ? { row: record.source.row } : {}),
        ...(record.source.line !== undefined ? { line: record.source.line } : {}),
        edits: plan.edits,
      };
      fixes.push(fix);
      fixedBy.set(fix, plan.fixed);
    }
    const outcome = writer.apply(fixes);
    const failed = new Set(outcome.refused.map((r) => r.fix));
    for (const [fix, fixed] of fixedBy) if (!failed.has(fix)) report.fixed += fixed.length;
    for (const refusal of outcome.refused) {
      for (const ruleId of refusal.edit.ruleIds)
        report.refused.push({
          ruleId,
          listingId: refusal.fix.listingId,
          file,
          reason: refusal.reason,
          data: {
            file,
            field: context.wording.texts.vocabulary[options.lang].fields[refusal.edit.field],
            text: refusal.edit.after,
            encoding: refusal.encoding ?? "",
          },
        });
    }
    const made = fixes.filter((f) => !failed.has(f));
    report.diff += formatFixDiff(file, made, options.lang);
    if (outcome.applied === 0) continue;
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

/** The writer for a file by what it is: JSON, JSONL, or a delimited export; undefined when it cannot be written back. */
function openWriter(file: string, bytes: Buffer): FixWriter | undefined {
  if (/\.(jsonl|ndjson)$/i.test(file)) return openJsonWriter(bytes, true);
  if (/\.json$/i.test(file)) return openJsonWriter(bytes, false);
  if (/\.ya?ml$/i.test(file)) return openYamlWriter(bytes);
  if (/\.xlsx$/i.test(file) && bytes[0] === 0x50 && bytes[1] === 0x4b) return openXlsxWriter(bytes, file);
  if (/\.(xlsx?|ods|html?)$/i.test(file)) return undefined;
  return openDelimitedWriter(bytes, undefined);
}
