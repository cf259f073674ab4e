import { Parser } from "htmlparser2";
import type { SourceItem } from "../model.js";
import { HEADER_SEARCH_ROWS } from "./column-maps/match-header.js";
import { isOle2, isZip } from "./containers.js";
import { decodeBody } from "./crawl/decode.js";
import { openText } from "./encoding.js";
import { workbookMaps, WorkbookRows } from "./sheet-rows.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";

/** The name back-ends give the HTML they write as an "Excel" export. */
const SPREADSHEET_NAME = /\.xls$/i;
/** What Excel and the back-ends that imitate it write into such HTML (a product page never does). */
const EXCEL_MARKERS =
  /application\/vnd\.ms-excel|urn:schemas-microsoft-com:office:excel|<meta[^>]+content=["']?Excel\./i;
/** Elements whose boundaries end a line inside a cell. */
const CELL_LINE_BREAKS = new Set(["br", "p", "div", "li", "tr"]);
/** Enough of the head to find the first table and the markers. */
const SNIFF_BYTES = 128 * 1024;
/** Text kept for counting lines while no row starts; the rest is counted at once (bounded memory). */
const MAX_UNCOUNTED = 1024 * 1024;
/** An unfinished tag the parser may still hold at the end of a write is shorter than this. */
const TAIL_KEPT = 64 * 1024;

function expected(): string {
  const names = workbookMaps().map((map) => map.name);
  return `an HTML table saved as an Excel export, whose header row (within its first ${HEADER_SEARCH_ROWS} non-empty rows) names a title column (built-in mappings: ${names.join(", ")}) or matches the config's \`columns:\` mapping`;
}

/** One `<tr>` of a top-level table, its cells laid out on the grid, and the line it starts on. */
interface TableRow {
  cells: string[];
  line: number;
}

/**
 * HTML tables saved as `.xls`: many seller back-ends and ERPs "export to Excel" by writing an HTML
 * table (often with an `application/vnd.ms-excel` meta), which Excel opens as a workbook. Read as
 * streamed rows: the header is the first row (of the first 10 non-empty ones) a mapping recognises,
 * and every later row of any top-level table is a record.
 */
export const htmlTableReader: SourceReader = {
  format: "html-table",
  detect(input) {
    // A real workbook's cells may hold HTML descriptions, <table> included: binary is never this format.
    if (isOle2(input.head) || isZip(input.head)) return false;
    const html = decodeBody(input.head.subarray(0, SNIFF_BYTES)).text;
    return /<table\b/i.test(html) && (SPREADSHEET_NAME.test(input.name) || EXCEL_MARKERS.test(html));
  },
  read: (input, options) => readHtmlTable(input, options),
};

async function* readHtmlTable(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  // All top-level tables of the file read as one sheet.
  const rows = new WorkbookRows(input.name, options, "html-table");
  const items: SourceItem[] = [];
  const reader = new RowReader((row) => items.push(...rows.row(row.cells, row.line)));
  // The encoding its BOM, `<meta>` or content says, as for crawled pages (and as detect read the head).
  for await (const text of openText(input, decodeBody(input.head.subarray(0, SNIFF_BYTES)).encoding)) {
    reader.write(text);
    yield* items.splice(0);
    // No header among the first rows: this is some other table, and the rest need not be read.
    if (!rows.wantsRows()) break;
  }
  reader.end();
  yield* items.splice(0);
  if (rows.sheets === 0) throw new NotAListingSourceError(input.name, expected());
}

/**
 * Turns streamed HTML into table rows: cells of top-level tables only (a table nested in a cell is
 * part of that cell's text), entities decoded, white space collapsed, line breaks kept where
 * `<br>`, `<p>` or `<div>` end a line; cells spanning columns or rows are laid out as in CellSpans.
 */
class RowReader {
  private readonly parser: Parser;
  private depth = 0;
  private cells: string[] | undefined;
  private cell: string | undefined;
  private readonly spans = new CellSpans();
  private rowLine = 1;
  /** Lines before `counted` (an index into the whole text), and the text from there on not yet counted. */
  private line = 1;
  private counted = 0;
  private uncounted = "";

  constructor(onRow: (row: TableRow) => void) {
    this.parser = new Parser(
      {
        onopentag: (name, attributes) => {
          if (name === "table" && ++this.depth === 1) this.spans.startTable();
          if (this.depth !== 1) return this.breakLine(name);
          if (name === "tr") {
            this.cells = [];
            this.rowLine = this.lineAt(this.parser.startIndex);
          } else if ((name === "td" || name === "th") && this.cells) {
            this.spans.openCell(this.cells, attributes);
            this.cell = "";
          } else this.breakLine(name);
        },
        onclosetag: (name) => {
          if (name === "table") this.depth = Math.max(0, this.depth - 1);
          if (this.depth > 1 || (this.depth === 1 && name === "table")) return this.breakLine(name);
          if ((name === "td" || name === "th") && this.cells && this.cell !== undefined) {
            this.spans.closeCell(
              this.cells,
              this.cell
                .replace(/[^\S\n]+/g, " ")
                .replace(/ ?\n[\s]*/g, "\n")
                .trim(),
            );
            this.cell = undefined;
          } else if (name === "tr" && this.cells) {
            this.spans.endRow(this.cells);
            onRow({ cells: this.cells, line: this.rowLine });
            this.cells = undefined;
          } else this.breakLine(name);
        },
        ontext: (text) => {
          if (this.cell !== undefined) this.cell += text.replace(/\s+/g, " ");
        },
      },
      { decodeEntities: true, lowerCaseTags: true },
    );
  }

  write(text: string): void {
    this.uncounted += text;
    this.parser.write(text);
    if (this.uncounted.length > MAX_UNCOUNTED) this.advance(this.counted + this.uncounted.length - TAIL_KEPT);
  }

  end(): void {
    this.parser.end();
  }

  private breakLine(name: string): void {
    if (this.cell !== undefined && CELL_LINE_BREAKS.has(name)) this.cell += "\n";
  }

  /** The 1-based line of a character index. */
  private lineAt(index: number): number {
    this.advance(index);
    return this.line;
  }

  /** Counts the lines before `index`; indexes only grow, so the text before one is counted once. */
  private advance(index: number): void {
    const upTo = index - this.counted;
    if (upTo <= 0) return;
    for (let i = this.uncounted.indexOf("\n"); i !== -1 && i < upTo; i = this.uncounted.indexOf("\n", i + 1))
      this.line++;
    this.uncounted = this.uncounted.slice(upTo);
    this.counted = index;
  }
}

/** The HTML limits on spans: more columns or rows than this are the same as this many. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;
/** Excel's last column: spans reaching past it are cut there, as Excel cuts them (bounded rows on hostile input). */
const MAX_COLUMNS = 16_384;

/**
 * Where earlier cells' `rowspan` and this row's `colspan` cover positions of a table's grid, so that
 * each cell lands under its own header: a cell's text goes in its first position and the positions it
 * covers stay empty (a merged cell in Excel). `rowspan="0"` covers the rest of the table.
 */
class CellSpans {
  /** Rows below the current one that each column is still covered for by cells of rows above. */
  private covered: number[] = [];
  /** The same for the current row's cells, set as they close. */
  private placed: number[] = [];
  private colspan = 1;
  private rowspan = 1;

  startTable(): void {
    this.covered = [];
    this.placed = [];
  }

  /** Skips the positions that cells of rows above still cover, and notes the new cell's spans. */
  openCell(cells: string[], attributes: Record<string, string>): void {
    while ((this.covered[cells.length] ?? 0) > 0 && cells.length < MAX_COLUMNS) cells.push("");
    this.colspan = readSpan(attributes.colspan, 1, MAX_COLSPAN);
    this.rowspan = readSpan(attributes.rowspan, 0, MAX_ROWSPAN);
  }

  /** Places the cell's text in its first column and covers the other columns it spans. */
  closeCell(cells: string[], text: string): void {
    const rows = (this.rowspan === 0 ? Number.POSITIVE_INFINITY : this.rowspan) - 1;
    for (let i = 0; i < this.colspan && cells.length < MAX_COLUMNS; i++) {
      if (rows > 0) this.placed[cells.length] = rows;
      cells.push(i === 0 ? text : "");
    }
  }

  /** Extends a short row to its last covered position, and moves the coverage one row down. */
  endRow(cells: string[]): void {
    while (cells.length < Math.min(this.covered.length, MAX_COLUMNS)) cells.push("");
    const next: number[] = [];
    for (let column = 0; column < this.covered.length; column++) {
      const above = this.covered[column] ?? 0;
      if (above > 1 && this.placed[column] === undefined) next[column] = above - 1;
    }
    for (const [column, rows] of this.placed.entries()) next[column] = rows;
    this.covered = next;
    this.placed = [];
  }
}

/** A span attribute as a whole number within the HTML limits; anything unreadable counts as 1. */
function readSpan(value: string | undefined, min: number, max: number): number {
  const parsed = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(parsed) || parsed < min ? 1 : Math.min(parsed, max);
}
