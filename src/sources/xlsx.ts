import type ExcelJS from "exceljs";
import type { SourceItem } from "../model.js";
import { isZip } from "./containers.js";
import { loadExcelJs } from "./excel-loader.js";
import { workbookMaps, WorkbookRows } from "./sheet-rows.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";
import { StallGuard } from "./stall-guard.js";

/** How long after the last byte a corrupted workbook may keep exceljs waiting before it counts as unreadable. */
const STALL_MS = 2000;

function expected(): string {
  const names = workbookMaps().map((map) => map.name);
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
  detect: (input) => isZip(input.head) && input.head.includes("xl/"),
  read: (input, options) => readXlsx(input, options),
};

async function* readXlsx(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
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
  const rows = new WorkbookRows(file, options, "xlsx");
  let lastLine = 0;
  try {
    for await (const worksheet of stall.guard(reader)) {
      rows.startSheet();
      // Rows of a sheet without a header are still drained: leaving an entry half-read stalls the zip.
      for await (const row of stall.guard(worksheet)) {
        lastLine = row.number;
        if (rows.wantsRows()) yield* rows.row(rowCells(row.values, rows.columnLimit()), row.number);
      }
    }
  } catch (error) {
    if (rows.sheets === 0 && rows.records === 0)
      throw new NotAListingSourceError(file, `${expected()} (${(error as Error).message})`);
    const message = `the workbook cannot be read past this point: ${(error as Error).message}`;
    yield {
      kind: "problem",
      problem: { code: "xlsx/unreadable", message, source: { file, row: rows.records + 1, line: lastLine + 1 } },
      skipped: true,
    };
    return;
  }
  if (rows.sheets === 0) throw new NotAListingSourceError(file, expected());
}

/**
 * exceljs row values are 1-based and sparse; cells become the strings a CSV export would hold, up to
 * `limit` columns. Only the cells present are visited: a row whose one cell stands in column XFD costs
 * one cell, not 16,384 (20,000 such rows took 77 s).
 */
function rowCells(values: ExcelJS.CellValue[] | Record<string, ExcelJS.CellValue>, limit: number): string[] {
  if (!Array.isArray(values)) return [];
  const cells: string[] = [];
  for (const key of Object.keys(values)) {
    const column = Number(key);
    if (column >= 1 && column <= limit) cells[column - 1] = cellText(values[column]);
  }
  for (let i = 0; i < cells.length; i++) cells[i] ??= "";
  return cells;
}

function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return value.toISOString();
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  // As Excel saves an error cell to CSV (#DIV/0!, #N/A): a number field then reports it, not silently empty.
  if ("error" in value) return String(value.error);
  if ("formula" in value || "sharedFormula" in value) return cellText(value.result as ExcelJS.CellValue);
  if ("text" in value) return typeof value.text === "string" ? value.text : cellText(value.text as ExcelJS.CellValue);
  return "";
}
