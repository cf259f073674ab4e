import type { ProblemCode, SourceItem } from "../../model.js";
import type { ValueConventions } from "../column-maps/build-listing.js";
import { repeatsHeader, type HeaderMatch } from "../column-maps/match-header.js";
import { openCheckedText } from "../encoding.js";
import type { SourceInput } from "../source.js";
import { readCsvRecords } from "./csv-records.js";
import { isVersionLine, type CsvSniff } from "./sniff-csv.js";
import type { SkuColumns } from "../column-maps/sku-columns.js";
import { recordItems } from "../record-items.js";

/** How a delimited file is laid out, decided from its header lines. */
export interface DelimitedLayout {
  sniff: CsvSniff;
  /** Non-blank records before the first data record (version line, header lines). */
  headerRecords: number;
  /** Cells of the header row used for the mapping (its width decides the field count). */
  header: string[];
  match: HeaderMatch;
  conventions: ValueConventions;
  /** 淘宝助理 SKU columns (skuProps, propAlias, input_custom_cpv), when the layout has them. */
  skuColumns?: SkuColumns;
}

/**
 * Streams the data records of a delimited export as listings and located problems. Row numbers count
 * data records from 1 (blank lines do not count); a record with the wrong field count or bytes that
 * did not decode (not a U+FFFD the text holds) is skipped with a problem; unreadable values are problems on an audited listing.
 */
export async function* readDelimitedListings(input: SourceInput, layout: DelimitedLayout): AsyncGenerator<SourceItem> {
  const width = headerWidth(layout.header);
  const cells = { indexes: layout.match.indexes, conventions: layout.conventions, skuColumns: layout.skuColumns };
  // The version line is dropped before splitting; the header lines are records.
  const versionLines = layout.sniff.versionLines;
  let headersLeft = layout.headerRecords - (layout.sniff.versionLine ? 1 : 0);
  let row = 0;
  const headers: string[][] = [];
  // Lines of a broken record that are split again after it are fragments of that record, not records.
  let afterBroken = false;
  const file = input.name;
  const { chunks, damage } = openCheckedText(input, layout.sniff.encoding);
  for await (const event of readCsvRecords(chunks, layout.sniff.delimiter, versionLines)) {
    if (event.kind === "broken") {
      if (headersLeft > 0) headersLeft = 0;
      row++;
      afterBroken = true;
      yield problem(event.code, `${event.message}; the record is skipped`, { file, row, line: event.line }, true);
      continue;
    }
    const { fields, line, endLine } = event;
    if (fields.every(isBlank)) continue;
    if (headersLeft > 0) {
      headersLeft--;
      headers.push(fields);
      continue;
    }
    // Another export appended to this one starts again with its version and header lines.
    if (repeatsHeader(fields, headers) || isVersionRecord(fields)) continue;
    const countOk = fields.length >= width && fields.slice(width).every((field) => field.trim() === "");
    if (!countOk && afterBroken) continue;
    afterBroken = false;
    row++;
    if (!countOk) {
      const message = `the record has ${fields.length} fields where the header has ${width}; the record is skipped`;
      yield problem("csv/field-count", message, { file, row, line }, true);
      continue;
    }
    // Only bytes that did not decode: a U+FFFD or C1 control the text holds is text like any other.
    if (damage.within(line, endLine)) {
      const message = `the record holds bytes that are not valid ${layout.sniff.encoding}; the record is skipped`;
      yield problem("csv/undecodable", message, { file, row, line }, true);
      continue;
    }
    yield* recordItems(fields, cells, { file, row, line }, "csv");
  }
}

/** Empty, white space, or NUL padding (what an interrupted copy leaves at the end of a file). */
function isBlank(field: string): boolean {
  return field.trim() === "" || (field.charCodeAt(0) === 0 && /^[\s\u0000]*$/.test(field));
}

function isVersionRecord(fields: readonly string[]): boolean {
  return (
    fields[0] !== undefined && isVersionLine(fields[0]) && fields.every((field, i) => i === 0 || field.trim() === "")
  );
}

/** Trailing empty header cells come from trailing delimiters; they are not columns. */
export function headerWidth(header: readonly string[]): number {
  let width = header.length;
  while (width > 0 && (header[width - 1] ?? "").trim() === "") width--;
  return width;
}

function problem(
  code: ProblemCode,
  message: string,
  source: { file: string; row: number; line: number },
  skipped: boolean,
): SourceItem {
  return { kind: "problem", problem: { code, message, source }, skipped };
}
