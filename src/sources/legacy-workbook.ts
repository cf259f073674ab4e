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

/**
 * An .ods names repeated rows and columns instead of writing them (`number-rows-repeated`,
 * `number-columns-repeated`), and SheetJS writes every copy out: 1 KB can stand for billions of cells.
 * 5 million cells is 65,536 rows of 76 columns, more than an .xls sheet can hold of a real export.
 */
export const MAX_CELLS = 5_000_000;

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
  const cells = isZip(bytes) ? countOdsCells(sheetJs, bytes) : 0;
  if (cells > MAX_CELLS) {
    const message = `the workbook expands to more than ${MAX_CELLS} cells (rows or columns marked as repeated), more than any export holds; it is not read: save the sheet as CSV or .xlsx`;
    yield { kind: "problem", problem: { code: "xls/too-large", message, source: { file } }, skipped: true };
    return;
  }
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
    // Only rows that hold cells: a range may span a million repeated empty rows.
    const last = Math.min(range.e.r, (sheet["!data"]?.length ?? 0) - 1);
    for (let row = range.s.r; row <= last && rows.wantsRows(); row++)
      yield* rows.row(rowCells(sheet, row, range, rows.columnLimit()), row + 1);
  }
  if (rows.sheets === 0) throw new NotAListingSourceError(file, expected());
}

/**
 * SheetJS reads the whole workbook at once and reports records it cannot read on console.error; they
 * are counted into a problem here instead of reaching the user's terminal.
 */
function parseWorkbook(
  sheetJs: SheetJs,
  bytes: Buffer,
  file: string,
): { workbook: ReturnType<SheetJs["read"]>; skipped: number } {
  const report = console.error;
  let skipped = 0;
  console.error = () => void skipped++;
  try {
    const workbook = sheetJs.read(bytes, {
      type: "buffer",
      dense: true,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      cellDates: false,
    });
    return { workbook, skipped };
  } catch (error) {
    throw new NotAListingSourceError(
      file,
      `${expected()}; this one cannot be read, it is probably truncated or damaged (${(error as Error).message})`,
    );
  } finally {
    console.error = report;
  }
}

async function readWhole(input: SourceInput, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of input.open() as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BYTES)
      throw new NotAListingSourceError(
        file,
        `${expected()}, of at most ${MAX_BYTES / 2 ** 20} MiB (save a larger one as .xlsx or CSV, which are streamed)`,
      );
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The cells SheetJS would create for an .ods, counted from content.xml before it parses: a cell with
 * content counts once per repeated row and column; an empty one (SheetJS keeps no stub) does not count.
 * A scan with indexOf, linear in the text; a file whose content cannot be found counts 0 and is left to
 * the parser to refuse.
 */
function countOdsCells(sheetJs: SheetJs, bytes: Buffer): number {
  const zip = sheetJs.CFB as ZipReader;
  let content: Uint8Array | undefined;
  try {
    content = zip.find(zip.read(bytes, { type: "buffer" }), "content.xml")?.content;
  } catch {
    return 0;
  }
  if (!content) return 0;
  const xml = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("latin1");
  let cells = 0;
  let rowRepeat = 1;
  for (
    let at = xml.indexOf("<table:table-");
    at !== -1 && cells <= MAX_CELLS;
    at = xml.indexOf("<table:table-", at + 1)
  ) {
    const end = xml.indexOf(">", at);
    if (end === -1) break;
    const tag = xml.slice(at, end + 1);
    if (tag.startsWith("<table:table-row ") || tag.startsWith("<table:table-row>")) {
      rowRepeat = repeatOf(tag, "table:number-rows-repeated");
    } else if (tag.startsWith("<table:table-cell")) {
      const selfClosing = tag.endsWith("/>");
      // A self-closing cell is written once (a string value) or not at all; a cell with content in every copy.
      cells += selfClosing
        ? tag.includes("value-type")
          ? 1
          : 0
        : rowRepeat * repeatOf(tag, "table:number-columns-repeated");
    }
  }
  return cells;
}

/** SheetJS's container reader (CFB), which reads zips too; its typings say `any`. */
interface ZipReader {
  read(data: Buffer, options: { type: "buffer" }): unknown;
  find(container: unknown, path: string): { content?: Uint8Array } | null;
}

function repeatOf(tag: string, attribute: string): number {
  const at = tag.indexOf(`${attribute}="`);
  if (at === -1) return 1;
  const value = Number.parseInt(tag.slice(at + attribute.length + 2, at + attribute.length + 2 + 12), 10);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

/** A sheet row's cells from its range's first column on, at most `limit` (the workbook is read dense). */
function rowCells(sheet: WorkSheet, row: number, range: Range, limit: number): string[] {
  const data = sheet["!data"]?.[row];
  if (data === undefined) return [];
  const cells: string[] = [];
  const last = Math.min(range.e.c, data.length - 1, range.s.c + limit - 1);
  for (let column = range.s.c; column <= last; column++) cells.push(cellText(data[column]));
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
