import type { ProblemCode, SourceItem, SourceLocation } from "../model.js";
import { buildListing, describeInvalidValue, type ValueConventions } from "./column-maps/build-listing.js";
import type { ColumnField } from "./column-maps/load-column-maps.js";
import type { HeaderMatch } from "./column-maps/match-header.js";
import { readSkuColumns, type SkuColumns } from "./column-maps/sku-columns.js";

/** The problem codes of each reader of rows, written out so that a search for a code finds where it is made. */
export const ROW_PROBLEM_CODES = {
  csv: { invalidValue: "csv/invalid-value", missingColumn: "csv/missing-column" },
  xlsx: { invalidValue: "xlsx/invalid-value", missingColumn: "xlsx/missing-column" },
  xls: { invalidValue: "xls/invalid-value", missingColumn: "xls/missing-column" },
  "html-table": { invalidValue: "html-table/invalid-value", missingColumn: "html-table/missing-column" },
} as const satisfies Record<string, { invalidValue: ProblemCode; missingColumn: ProblemCode }>;

export type RowFormat = keyof typeof ROW_PROBLEM_CODES;

/** How a reader's rows map to listing fields: the header's columns, the value conventions, 淘宝助理's SKU columns. */
export interface CellLayout {
  indexes: HeaderMatch["indexes"];
  conventions: ValueConventions;
  skuColumns?: SkuColumns | undefined;
}

/**
 * One record's cells as source items, the same in every reader of rows (CSV, workbooks, HTML tables): a
 * `<format>/invalid-value` problem for each value that cannot be read (the listing is audited without
 * it), then the listing. `row` is also the id of last resort.
 */
export function recordItems(
  cells: readonly string[],
  layout: CellLayout,
  source: Required<Pick<SourceLocation, "file" | "row" | "line">>,
  format: RowFormat,
): SourceItem[] {
  const { indexes } = layout;
  const built = buildListing(
    (field: ColumnField) => (indexes[field] === undefined ? undefined : cells[indexes[field]]),
    source.row,
    layout.conventions,
  );
  const invalid: { field: string; message: string }[] = built.invalid.map((value) => ({
    field: value.field,
    message: describeInvalidValue(value),
  }));
  for (const message of layout.skuColumns ? readSkuColumns(built.listing, cells, layout.skuColumns) : [])
    invalid.push({ field: "skus", message });
  const items: SourceItem[] = invalid.map(({ field, message }) => ({
    kind: "problem",
    problem: {
      code: ROW_PROBLEM_CODES[format].invalidValue,
      message,
      source: { ...source, field },
      listingId: built.listing.id,
    },
    skipped: false,
  }));
  items.push({ kind: "listing", record: { listing: built.listing, source } });
  return items;
}
