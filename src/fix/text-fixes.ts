import { readFileSync } from "node:fs";
import path from "node:path";
import type { ListingResult, TextFix } from "../model.js";
import type { FixContext } from "./fix-context.js";
import { planFixes } from "./plan-fixes.js";
import type { UndeliverableCheck } from "./undeliverable-regions.js";
import { indexJsonFile, locateEdit, type JsonFileIndex } from "./writers/json-writer.js";

/**
 * Attaches to each finding of a JSON or JSONL listing the text changes that fix it, with their places in
 * the file (what SARIF consumers offer as a one-click fix). Files are read once and kept for the run;
 * other inputs (exports in UTF-16 or GBK, workbooks) get none.
 */
export function createTextFixer(
  context: FixContext,
  cwd: string,
  rules: ReadonlySet<string> | undefined,
  undeliverable: UndeliverableCheck,
): (result: ListingResult) => void {
  const files = new Map<string, JsonFileIndex | undefined>();
  const indexOf = (file: string): JsonFileIndex | undefined => {
    if (!files.has(file)) {
      const lines = /\.(jsonl|ndjson)$/i.test(file);
      const json = lines || /\.json$/i.test(file);
      let index: JsonFileIndex | undefined;
      try {
        index = json ? indexJsonFile(readFileSync(path.resolve(cwd, file)), lines) : undefined;
      } catch {
        index = undefined;
      }
      files.set(file, index);
    }
    return files.get(file);
  };
  return (result) => {
    const { file, row } = result.record.source;
    if (file === undefined || row === undefined || result.findings.length === 0) return;
    const index = indexOf(file);
    if (index === undefined) return;
    const plan = planFixes(result.record.listing, result.findings, context, {
      ...(rules ? { rules } : {}),
      undeliverable: undeliverable(result.record),
    });
    for (const edit of plan.edits) {
      const place = locateEdit(index, row, edit);
      if (place === undefined) continue;
      const fix: TextFix = {
        description: edit.ruleIds.join(", "),
        replacements: [replacement(index.text, file, place)],
      };
      for (const finding of result.findings)
        if (edit.ruleIds.includes(finding.ruleId)) finding.fixes = [...(finding.fixes ?? []), fix];
    }
  };
}

function replacement(text: string, file: string, place: { start: number; end: number; text: string }) {
  const position = (offset: number) => {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    let line = 1;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
    return { line, column: offset - lineStart + 1 };
  };
  const start = position(place.start);
  const end = position(place.end);
  return {
    file,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    charOffset: place.start,
    charLength: place.end - place.start,
    text: place.text,
  };
}
