import type { SourceItem, SourceLocation } from "../model.js";
import { buildListing, describeInvalidValue, type ValueConventions } from "./column-maps/build-listing.js";
import type { ColumnField } from "./column-maps/load-column-maps.js";
import type { HeaderMatch } from "./column-maps/match-header.js";
import { readSkuColumns, type SkuColumns } from "./column-maps/sku-columns.js";

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
  format: string,
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
    problem: { code: `${format}/invalid-value`, message, source: { ...source, field }, listingId: built.listing.id },
    skipped: false,
  }));
  items.push({ kind: "listing", record: { listing: built.listing, source } });
  return items;
}
