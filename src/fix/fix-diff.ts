import type { Lang } from "../model.js";
import type { FieldEdit } from "./plan-fixes.js";
import type { RecordFix } from "./writers/writer.js";

/** Characters of unchanged text shown on each side of a change. */
const CONTEXT = 24;

/**
 * A unified diff of the fixes of one file, one hunk per listing and field: the changed part of the
 * field with some unchanged text around it (a description is thousands of characters of HTML).
 */
export function formatFixDiff(file: string, fixes: readonly RecordFix[], lang: Lang): string {
  if (fixes.length === 0) return "";
  const lines = [`--- a/${file}`, `+++ b/${file}`];
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      const where = fix.line === undefined ? "" : ` :${fix.line}`;
      lines.push(`@@ ${fix.listingId} ${fieldName(edit)}${where} (${edit.ruleIds.join(", ")}) @@`);
      const { before, after } = excerpt(edit);
      lines.push(...before.split("\n").map((l) => `-${l}`), ...after.split("\n").map((l) => `+${l}`));
      for (const note of edit.notes) lines.push(`# ${note[lang]}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function fieldName(edit: FieldEdit): string {
  return edit.field === "sku" ? `sku[${edit.index ?? 0}]` : edit.field;
}

/** The changed stretch of a field with CONTEXT characters around it, elided with … beyond that. */
export function excerpt(edit: Pick<FieldEdit, "before" | "after">): { before: string; after: string } {
  const { before, after } = edit;
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < before.length - prefix &&
    suffix < after.length - prefix &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  )
    suffix++;
  const from = Math.max(0, prefix - CONTEXT);
  const cut = (text: string) => {
    const to = Math.min(text.length, text.length - suffix + CONTEXT);
    return (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : "");
  };
  return { before: cut(before), after: cut(after) };
}
