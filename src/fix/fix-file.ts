import path from "node:path";
import type { Lang, ListingResult } from "../model.js";
import { formatFixDiff } from "./fix-diff.js";
import type { FixContext } from "./fix-context.js";
import { planFixes, type RefusedFix } from "./plan-fixes.js";
import type { UndeliverableCheck } from "./undeliverable-regions.js";
import { openDelimitedWriter } from "./writers/delimited-writer.js";
import { openJsonWriter } from "./writers/json-writer.js";
import { openXlsxWriter } from "./writers/xlsx-writer.js";
import { openYamlWriter } from "./writers/yaml-writer.js";
import type { FixWriter, RecordFix, WriteOutcome } from "./writers/writer.js";

/** One input file's fixes, made in memory: what `--fix` writes, and what the server offers as a download. */
export interface FileFix {
  /** The corrected file from its writer; undefined when its format cannot be written back. */
  outcome?: WriteOutcome;
  /** Findings fixed (one per finding). */
  fixed: number;
  refused: RefusedFix[];
  /** The unified diff of the changes made. */
  diff: string;
}

/**
 * Plans the fixes of one file's results and lets the file's writer put them back in its own format.
 * Pure but for the bytes given: nothing is read or written here.
 */
export function fixFile(
  file: string,
  bytes: Buffer,
  fileResults: readonly ListingResult[],
  context: FixContext,
  options: { rules?: ReadonlySet<string>; lang: Lang; undeliverable?: UndeliverableCheck },
): FileFix {
  const result: FileFix = { fixed: 0, refused: [], diff: "" };
  const writer = openWriter(file, bytes);
  if (writer === undefined) {
    for (const { findings } of fileResults)
      for (const finding of findings)
        if (!options.rules || options.rules.has(finding.ruleId))
          result.refused.push({
            ruleId: finding.ruleId,
            listingId: finding.listingId,
            file,
            reason: "format-not-writable",
            data: { file, format: path.extname(file) || file },
          });
    return result;
  }
  const fixes: RecordFix[] = [];
  const fixedBy = new Map<RecordFix, string[]>();
  for (const { record, findings } of fileResults) {
    const plan = planFixes(record.listing, findings, context, {
      ...(options.rules ? { rules: options.rules } : {}),
      writable: (field) => writer.writable(field),
      ...(options.undeliverable ? { undeliverable: options.undeliverable(record) } : {}),
    });
    for (const refused of plan.refused) result.refused.push({ ...refused, file });
    if (plan.edits.length === 0) {
      result.fixed += plan.fixed.length;
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
  result.outcome = outcome;
  const failed = new Set(outcome.refused.map((r) => r.fix));
  for (const [fix, fixed] of fixedBy) if (!failed.has(fix)) result.fixed += fixed.length;
  for (const refusal of outcome.refused) {
    for (const ruleId of refusal.edit.ruleIds)
      result.refused.push({
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
  result.diff = formatFixDiff(
    file,
    fixes.filter((f) => !failed.has(f)),
    options.lang,
  );
  return result;
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
