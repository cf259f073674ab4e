import type ExcelJS from "exceljs";
import type { SourceItem } from "../model.js";
import { buildListing, describeInvalidValue, type ValueConventions } from "./column-maps/build-listing.js";
import { loadExportColumns, loadTaobaoColumns, type ColumnField, type ColumnMap } from "./column-maps/load-column-maps.js";
import { HEADER_SEARCH_ROWS, matchHeader, resolveHeader, type HeaderMatch } from "./column-maps/match-header.js";
import { loadExcelJs } from "./excel-loader.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";
import { StallGuard } from "./stall-guard.js";
import { findSkuColumns, readSkuColumns, type SkuColumns } from "./taobao-csv/sku-columns.js";

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** How long after the last byte a corrupted workbook may keep exceljs waiting before it counts as unreadable. */
const STALL_MS = 2000;

function expected(): string {
  const names = [loadTaobaoColumns(), ...loadExportColumns()].map((map) => map.name);
  return `an Excel .xlsx export with a header row naming a title column (built-in mappings: ${names.join(", ")}) or matching the config's \`columns:\` mapping`;
}

/**
 * Excel .xlsx exports (Pinduoduo, JD, Douyin back-ends …), streamed with exceljs. Every worksheet
 * whose header row is recognised is read; `row` counts records across the workbook and `line` is
 * the row number within the worksheet.
 */
export const xlsxReader: SourceReader = {
  format: "xlsx",
  // An .xlsx is a zip whose entry names (stored uncompressed in local headers) start with xl/.
  detect: (input) => input.head.subarray(0, 4).equals(ZIP_MAGIC) && input.head.includes("xl/"),
  read: (input, options) => readXlsx(input, options),
};

interface SheetState {
  match: HeaderMatch;
  conventions: ValueConventions;
  header: string[];
  /** Whether the row after the header has been looked at (a 淘宝助理 sheet has a second, Chinese header). */
  secondChecked: boolean;
  skuColumns?: SkuColumns;
}

async function* readXlsx(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  const maps = [loadTaobaoColumns(), ...loadExportColumns()];
  // Loaded on the first workbook: exceljs is a third of every run's start-up otherwise.
  const excel = loadExcelJs();
  const bytes = input.open();
  const stall = new StallGuard(bytes, STALL_MS);
  const reader = new excel.stream.xlsx.WorkbookReader(bytes, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const file = input.name;
  let record = 0;
  let sheets = 0;
  let lastLine = 0;
  try {
    for await (const worksheet of stall.guard(reader)) {
      let state: SheetState | undefined;
      let searched = 0;
      // Rows of a sheet without a header are still drained: leaving an entry half-read stalls the zip.
      for await (const row of stall.guard(worksheet)) {
        lastLine = row.number;
        if (!state && searched >= HEADER_SEARCH_ROWS) continue;
        const cells = rowCells(row.values);
        if (cells.every((cell) => cell.trim() === "")) continue;
        if (!state) {
          searched++;
          state = recogniseHeader(cells, maps, options);
          if (state) {
            sheets++;
            for (const item of missingColumns(cells, maps, options, file, row.number)) yield item;
          }
          continue;
        }
        if (!state.secondChecked) {
          state.secondChecked = true;
          // A 淘宝助理 export saved as a workbook keeps its English and Chinese header lines.
          if (takeSecondHeader(state, cells)) continue;
        }
        record++;
        const match = state.match;
        const built = buildListing((field: ColumnField) => cellAt(cells, match.indexes[field]), record, state.conventions);
        const invalid = built.invalid.map((value) => ({ field: value.field, message: describeInvalidValue(value) }));
        for (const message of state.skuColumns ? readSkuColumns(built.listing, cells, state.skuColumns) : []) invalid.push({ field: "skus", message });
        for (const { field, message } of invalid) {
          const source = { file, row: record, line: row.number, field };
          yield { kind: "problem", problem: { code: "xlsx/invalid-value", message, source, listingId: built.listing.id }, skipped: false };
        }
        yield { kind: "listing", record: { listing: built.listing, source: { file, row: record, line: row.number } } };
      }
    }
  } catch (error) {
    if (sheets === 0 && record === 0) throw new NotAListingSourceError(file, `${expected()} (${(error as Error).message})`);
    const message = `the workbook cannot be read past this point: ${(error as Error).message}`;
    yield { kind: "problem", problem: { code: "xlsx/unreadable", message, source: { file, row: record + 1, line: lastLine + 1 } }, skipped: true };
    return;
  }
  if (sheets === 0) throw new NotAListingSourceError(file, expected());
}

function recogniseHeader(cells: string[], maps: ColumnMap[], options: ReaderOptions): SheetState | undefined {
  const { match } = resolveHeader(cells, maps, options.columns);
  if (!match) return undefined;
  const taobao = match.mapping === loadTaobaoColumns().name;
  const skuColumns = taobao ? findSkuColumns([cells]) : undefined;
  return { match, conventions: taobao ? "taobao" : "generic", header: cells, secondChecked: !taobao, ...(skuColumns ? { skuColumns } : {}) };
}

/** The Chinese header line after the English one fills the fields the first lacks; true when `cells` is one. */
function takeSecondHeader(state: SheetState, cells: string[]): boolean {
  const second = matchHeader(cells, loadTaobaoColumns());
  if (!second) return false;
  state.match = { ...state.match, indexes: { ...second.indexes, ...state.match.indexes } };
  const skuColumns = findSkuColumns([state.header, cells]);
  if (skuColumns) state.skuColumns = skuColumns;
  return true;
}

function missingColumns(cells: string[], maps: ColumnMap[], options: ReaderOptions, file: string, line: number): SourceItem[] {
  return resolveHeader(cells, maps, options.columns).missing.map((message) => ({
    kind: "problem",
    problem: {
      code: "xlsx/missing-column",
      message,
      source: { file, line },
    },
    skipped: false,
  }));
}

function cellAt(cells: readonly string[], index: number | undefined): string | undefined {
  return index === undefined ? undefined : cells[index];
}

/** exceljs row values are 1-based and sparse; cells become the strings a CSV export would hold. */
function rowCells(values: ExcelJS.CellValue[] | Record<string, ExcelJS.CellValue>): string[] {
  const list = Array.isArray(values) ? values.slice(1) : [];
  return Array.from(list, (value) => cellText(value));
}

function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return value.toISOString();
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("error" in value) return "";
  if ("formula" in value || "sharedFormula" in value) return cellText(value.result as ExcelJS.CellValue);
  if ("text" in value) return typeof value.text === "string" ? value.text : cellText(value.text as ExcelJS.CellValue);
  return "";
}
