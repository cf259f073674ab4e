import type { SourceItem } from "../model.js";
import { ByteQueue } from "./byte-queue.js";
import { ByteSpool } from "./byte-spool.js";
import { isZip } from "./containers.js";
import { MAX_HEADER_COLUMNS, WorkbookRows, workbookMaps } from "./sheet-rows.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";
import { SharedStringsReader, type SheetRow, SheetRowsReader } from "./workbook-xml.js";
import { type EntryFormat, inflate, zipEntries } from "./zip-entries.js";

const SHARED_STRINGS = "xl/sharedStrings.xml";
/** Worksheets are the parts directly under xl/worksheets/ (charts, dialogs and macros have folders of their own). */
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;

function expected(): string {
  const names = workbookMaps().map((map) => map.name);
  return `an Excel .xlsx export with a header row naming a title column (built-in mappings: ${names.join(", ")}) or matching the config's \`columns:\` mapping`;
}

/**
 * Excel .xlsx exports (Pinduoduo, JD, Douyin back-ends …), streamed: the zip is read front to back
 * (zip-entries.ts) and its XML parsed as it is inflated (workbook-xml.ts). Every worksheet whose header
 * row is recognised is read, in the order the zip holds them; `row` counts records across the workbook
 * and `line` is the row number within the worksheet.
 */
export const xlsxReader: SourceReader = {
  format: "xlsx",
  // An .xlsx is a zip whose entry names (stored uncompressed in local headers) start with xl/.
  detect: (input) => isZip(input.head) && input.head.includes("xl/"),
  read: (input, options) => readXlsx(input, options),
};

/** A worksheet met before the shared strings it refers to: its stored bytes, set aside until they are known. */
interface WaitingSheet {
  format: EntryFormat;
  spool: ByteSpool;
}

async function* readXlsx(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  const file = input.name;
  const rows = new WorkbookRows(file, options, "xlsx");
  let lastLine = 0;
  const readSheet = async function* (content: AsyncIterable<Buffer>, strings: readonly string[]) {
    rows.startSheet();
    const reader = new SheetRowsReader(strings, MAX_HEADER_COLUMNS);
    const rowsRead = function* (read: SheetRow[]): Generator<SourceItem> {
      for (const row of read) {
        lastLine = row.number;
        if (rows.wantsRows()) yield* rows.row(cellsUpTo(row.cells, rows.columnLimit()), row.number);
      }
    };
    for await (const piece of content) {
      // A sheet that showed no header among its first rows is still inflated (and checked), not parsed.
      if (!rows.wantsRows()) continue;
      reader.write(piece);
      yield* rowsRead(reader.take());
    }
    reader.end();
    yield* rowsRead(reader.take());
  };

  const queue = new ByteQueue(input.open());
  const waiting: WaitingSheet[] = [];
  try {
    // Excel writes the shared strings after the worksheets.
    let strings: string[] | undefined;
    for await (const entry of zipEntries(queue)) {
      if (entry.name === SHARED_STRINGS) strings = await readSharedStrings(entry.content());
      else if (WORKSHEET.test(entry.name)) {
        if (strings) yield* readSheet(entry.content(), strings);
        else waiting.push(await setAside(entry.raw(), entry));
      }
    }
    for (const sheet of waiting) yield* readSheet(inflate(sheet.spool.chunks(), sheet.format), strings ?? []);
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
  } finally {
    await Promise.all(waiting.map((sheet) => sheet.spool.dispose()));
    await queue.close();
  }
  if (rows.sheets === 0) throw new NotAListingSourceError(file, expected());
}

async function readSharedStrings(content: AsyncIterable<Buffer>): Promise<string[]> {
  const reader = new SharedStringsReader();
  for await (const piece of content) reader.write(piece);
  reader.end();
  return reader.strings;
}

async function setAside(raw: AsyncIterable<Buffer>, format: EntryFormat): Promise<WaitingSheet> {
  const spool = new ByteSpool();
  const sheet = { format, spool };
  try {
    for await (const piece of raw) await spool.append(piece);
  } catch (error) {
    await spool.dispose();
    throw error;
  }
  return sheet;
}

/**
 * A row's cells up to `limit` columns, the missing ones empty, as long as its last cell with a value:
 * only the cells present are visited, so a row whose one cell stands in column XFD costs one cell.
 */
function cellsUpTo(cells: readonly string[], limit: number): string[] {
  let end = Math.min(cells.length, limit);
  while (end > 0 && cells[end - 1] === undefined) end--;
  const out = new Array<string>(end);
  for (let i = 0; i < end; i++) out[i] = cells[i] ?? "";
  return out;
}
