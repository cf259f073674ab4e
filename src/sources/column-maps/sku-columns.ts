import type { Listing } from "../../model.js";
import { shortValue } from "./build-listing.js";
import { normalizeHeaderName } from "./match-header.js";
import { readSkus, type SkuCells } from "./sku-props.js";

/** Where a record's SKU cells stand (the columns a layout has). */
export type SkuColumns = Partial<Record<keyof SkuCells, number>>;

/**
 * Header names of the SKU columns. They are not listing fields a column map can feed: together they
 * form one grammar (sku-props.ts), so their names stay next to it.
 */
const SKU_HEADERS: Record<keyof SkuCells, readonly string[]> = {
  skuProps: ["skuProps", "销售属性组合"],
  propAlias: ["propAlias", "销售属性别名"],
  customValues: ["input_custom_cpv", "自定义属性值"],
};

/**
 * Finds the SKU columns in the header rows (English first, the Chinese row fills what it lacks);
 * undefined when the layout has no skuProps column.
 */
export function findSkuColumns(headers: readonly (readonly string[])[]): SkuColumns | undefined {
  const columns: SkuColumns = {};
  for (const [key, names] of Object.entries(SKU_HEADERS) as [keyof SkuCells, readonly string[]][]) {
    const wanted = new Set(names.map(normalizeHeaderName));
    for (const header of headers) {
      const index = header.findIndex((cell) => wanted.has(normalizeHeaderName(cell)));
      if (index !== -1) {
        columns[key] = index;
        break;
      }
    }
  }
  return columns.skuProps === undefined ? undefined : columns;
}

/** The SKU cells of one record. */
export function skuCellsOf(fields: readonly string[], columns: SkuColumns): SkuCells {
  const cells: SkuCells = {};
  for (const [key, index] of Object.entries(columns) as [keyof SkuCells, number][]) {
    const value = fields[index];
    if (value !== undefined) cells[key] = value;
  }
  return cells;
}

/** Reads a record's SKUs into the listing; returns a message for each SKU cell that could not be read. */
export function readSkuColumns(listing: Listing, fields: readonly string[], columns: SkuColumns): string[] {
  const read = readSkus(skuCellsOf(fields, columns));
  if (read.skus) listing.skus = read.skus;
  return read.invalid.map(
    (invalid) =>
      `skus: cannot read ${invalid.column} "${shortValue(invalid.value)}" (expected ${invalid.expected}); ${invalid.consequence}`,
  );
}
