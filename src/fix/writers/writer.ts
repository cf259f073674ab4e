import type { TextField } from "../../model.js";
import type { FieldEdit } from "../plan-fixes.js";

/** The planned edits of one record of a file, found again by its row and line. */
export interface RecordFix {
  listingId: string;
  /** 1-based record number within the file, as the reader counted it. */
  row?: number;
  /** 1-based physical line where the record starts. */
  line?: number;
  edits: FieldEdit[];
}

/** An edit a writer could not make: reason codes of rules.yaml `fixes.reasons`. */
export interface WriteRefusal {
  fix: RecordFix;
  edit: FieldEdit;
  reason: "field-not-writable" | "text-moved" | "not-encodable";
  encoding?: string;
}

export interface WriteOutcome {
  /** The whole corrected file. */
  data: Buffer;
  /** Field edits made. */
  applied: number;
  refused: WriteRefusal[];
  /**
   * The name (in the input's folder) of a corrected copy to write instead of the input: a workbook the
   * library rebuilds is never written over the original, and the run says so.
   */
  copyName?: string;
}

/** Writes one file's fixes back in its own format, changing nothing but the edited text. */
export interface FixWriter {
  format: string;
  /** Whether the file can hold this field (a CSV without a 宝贝卖点 column cannot). */
  writable(field: TextField): boolean;
  apply(fixes: readonly RecordFix[]): WriteOutcome;
}
