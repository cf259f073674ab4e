import { createRequire } from "node:module";
import type { SourceItem } from "../model.js";
import { isOle2, isZip } from "./containers.js";
import { workbookMaps, WorkbookRows } from "./sheet-rows.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";

type SheetJs = typeof import("@e965/xlsx");
type Range = import("@e965/xlsx").Range;
type WorkSheet = import("@e965/xlsx").WorkSheet;
type CellObject = import("@e965/xlsx").CellObject;

const require = createRequire(import.meta.url);
const ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet";
/**
 * These formats cannot be streamed, so a workbook is read whole. An .xls holds at most 65,536 rows a
 * sheet, some tens of MB; a file past this is refused rather than allowed to exhaust memory.
 */
const MAX_BYTES = 128 * 1024 * 1024;

function expected(): string {
  const names = workbookMaps().map((map) => map.name);
  return `an Excel 97–2003 .xls (or WPS .et) or OpenDocument .ods workbook with a header row naming a title column (built-in mappings: ${names.join(", ")}) or matching the config's \`columns:\` mapping`;
}

/**
 * Workbooks in the formats older back-ends and office suites write: Excel 97–2003 `.xls` (BIFF in an
 * OLE2 container; JD and 千牛 exports, WPS `.et`) and OpenDocument `.ods`, read with SheetJS. Rows go
 * through the same WorkbookRows as `.xlsx`.
 */
export const legacyWorkbookReader: SourceReader = {
  format: "xls",
  detect: (input) => isOle2(input.head) || (isZip(input.head) && input.head.includes(ODS_TYPE)),
  read: (input, options) => readLegacyWorkbook(input, options),
};

async function* readLegacyWorkbook(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  const file = input.name;
  const bytes = await readWhole(input, file);
  // Loaded on the first such workbook only: SheetJS is large.
  const sheetJs = require("@e965/xlsx") as SheetJs;
  const { workbook, skipped } = parseWorkbook(sheetJs, bytes, file);
  if (skipped > 0) {
    // SheetJS counts in BIFF records, not rows: which rows they held is unknown, so none is counted as skipped.
    const message = `${skipped} internal record${skipped === 1 ? "" : "s"} of the workbook could not be read (it is probably damaged): some cells may be missing; the rows that were read are audited`;
    yield { kind: "problem", problem: { code: "xls/damaged", message, source: { file } }, skipped: false };
  }
  const rows = new WorkbookRows(file, options, "xls");
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (!sheet?.["!ref"]) continue;
    rows.startSheet();
    const range = sheetJs.utils.decode_range(sheet["!ref"]);
    for (let row = range.s.r; row <= range.e.r && rows.wantsRows(); row++) yield* rows.row(rowCells(sheet, row, range), row + 1);
  }
  if (rows.sheets === 0) throw new NotAListingSourceError(file, expected());
}

/**
 * SheetJS reads the whole workbook at once and reports records it cannot read on console.error; they
 * are counted into a problem here instead of reaching the user's terminal.
 */
function parseWorkbook(sheetJs: SheetJs, bytes: Buffer, file: string): { workbook: ReturnType<SheetJs["read"]>; skipped: number } {
  const report = console.error;
  let skipped = 0;
  console.error = () => void skipped++;
  try {
    const workbook = sheetJs.read(bytes, { type: "buffer", dense: true, cellFormula: false, cellHTML: false, cellStyles: false, cellDates: false });
    return { workbook, skipped };
  } catch (error) {
    throw new NotAListingSourceError(file, `${expected()}; this one cannot be read, it is probably truncated or damaged (${(error as Error).message})`);
  } finally {
    console.error = report;
  }
}

async function readWhole(input: SourceInput, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input.open() as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BYTES) throw new NotAListingSourceError(file, `${expected()}, of at most ${MAX_BYTES / 2 ** 20} MiB (save a larger one as .xlsx or CSV, which are streamed)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A sheet row's cells from its range's first column on (the workbook is read dense). */
function rowCells(sheet: WorkSheet, row: number, range: Range): string[] {
  const data = sheet["!data"]?.[row] ?? [];
  const cells: string[] = [];
  for (let column = range.s.c; column <= range.e.c; column++) cells.push(cellText(data[column]));
  return cells;
}

/**
 * A cell as the string a CSV export would hold: numbers in full (600001234567, not 6.00001E+11), errors
 * as Excel writes them (#DIV/0!, #N/A), so that a number field reports one instead of going empty.
 */
function cellText(cell: CellObject | undefined): string {
  if (cell === undefined) return "";
  switch (cell.t) {
    case "s":
      return String(cell.v ?? "");
    case "n":
      return typeof cell.v === "number" ? String(cell.v) : "";
    case "b":
      return cell.v === true ? "1" : "0";
    case "d":
      return cell.v instanceof Date ? cell.v.toISOString() : String(cell.v ?? "");
    case "e":
      return cell.w ?? "#ERROR!";
    default:
      return "";
  }
}
