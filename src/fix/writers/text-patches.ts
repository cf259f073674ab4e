import type { FieldEdit } from "../plan-fixes.js";
import type { RecordFix, WriteRefusal } from "./writer.js";

/** A stretch of a file's text, [start, end), and what replaces it. */
export interface TextPatch {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies every edit of every fix whose text `locate` still finds; an edit it does not find is refused as
 * moved, so text that changed since the audit is never overwritten in the wrong place.
 */
export function patchText(
  text: string,
  fixes: readonly RecordFix[],
  locate: (fix: RecordFix, edit: FieldEdit) => TextPatch | undefined,
): { text: string; applied: number; refused: WriteRefusal[] } {
  const patches: TextPatch[] = [];
  const refused: WriteRefusal[] = [];
  for (const fix of fixes)
    for (const edit of fix.edits) {
      const patch = locate(fix, edit);
      if (patch === undefined) refused.push({ fix, edit, reason: "text-moved" });
      else patches.push(patch);
    }
  patches.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const patch of patches) {
    out += text.slice(at, patch.start) + patch.text;
    at = patch.end;
  }
  return { text: out + text.slice(at), applied: patches.length, refused };
}
