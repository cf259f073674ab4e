import { createRequire } from "node:module";
import type { SourceItem } from "../model.js";
import { isOle2, isZip } from "./containers.js";
import { workbookMaps, WorkbookRows } from "./sheet-rows.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";

type SheetJs = typeof import("@e965/xlsx");
type Range = import("@e965/xlsx").Range;

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
    const firstLine = sheetJs.utils.decode_range(sheet["!ref"]).s.r + 1;
    const table = sheetJs.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: "", blankrows: true });
    const merges = sheet["!merges"] ?? [];
    for (let i = 0; i < table.length && rows.wantsRows(); i++) {
      const cells = (table[i] ?? []).map(cellText);
      const line = firstLine + i;
      yield* rows.row(cells, line, rows.hasHeader() || merges.length === 0 ? cells : spanMerges(cells, line - 1, merges, table, firstLine - 1));
    }
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

/**
 * A row as a header reads it: each merged range it crosses holds its first cell's text in every column
 * (a grouped header's name merged down over two header rows). `row` and `firstRow` are 0-based sheet rows.
 */
function spanMerges(cells: string[], row: number, merges: readonly Range[], table: readonly unknown[][], firstRow: number): string[] {
  const spanned = [...cells];
  for (const { s: start, e: end } of merges) {
    if (row < start.r || row > end.r) continue;
    const text = cellText(table[start.r - firstRow]?.[start.c]);
    for (let column = start.c; column <= end.c; column++) spanned[column] = text;
  }
  return Array.from(spanned, (cell) => cell ?? "");
}

/** Raw cell values become the strings a CSV export would hold (numbers in full: 600001234567, not 6.00001E+11). */
function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  return "";
}
