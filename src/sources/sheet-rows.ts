import type { SourceItem } from "../model.js";
import type { ValueConventions } from "./column-maps/build-listing.js";
import { loadExportColumns, loadTaobaoColumns, type ColumnMap } from "./column-maps/load-column-maps.js";
import {
  HEADER_SEARCH_ROWS,
  matchHeader,
  repeatsHeader,
  resolveHeader,
  type HeaderMatch,
} from "./column-maps/match-header.js";
import type { ReaderOptions } from "./source.js";
import { ROW_PROBLEM_CODES, recordItems, type RowFormat } from "./record-items.js";
import { findSkuColumns, type SkuColumns } from "./column-maps/sku-columns.js";

/** Far wider than any export's header (淘宝助理 writes 80 columns); cells past it are not looked at for names. */
export const MAX_HEADER_COLUMNS = 1024;

interface SheetState {
  match: HeaderMatch;
  conventions: ValueConventions;
  header: string[];
  /** The header rows (a 淘宝助理 sheet has two) and the rows above them: a record repeating one is no listing. */
  headers: string[][];
  /** Whether the row after the header has been looked at (a 淘宝助理 sheet has a second, Chinese header). */
  secondChecked: boolean;
  skuColumns?: SkuColumns;
}

/** The mappings a workbook's header rows are matched against: 淘宝助理's and the other exports'. */
export function workbookMaps(): ColumnMap[] {
  return [loadTaobaoColumns(), ...loadExportColumns()];
}

/**
 * Turns the rows of a workbook's sheets (cells as the strings a CSV export would hold) into listings
 * and located problems. In each sheet the header is the first of the first 10 non-empty rows that a
 * mapping recognises (report titles above it are skipped); a 淘宝助理 export saved as a workbook keeps
 * its Chinese header row after the English one, which fills the fields the first lacks, and its SKU
 * columns. `records` counts data rows across the workbook; `line` is the row number in its sheet.
 */
export class WorkbookRows {
  records = 0;
  sheets = 0;
  private state: SheetState | undefined;
  /** The non-empty rows above the header in the current sheet (titles, group labels). */
  private preamble: string[][] = [];
  private readonly maps = workbookMaps();

  /** `format` prefixes the problem codes (`xlsx/invalid-value`). */
  constructor(
    private readonly file: string,
    private readonly options: ReaderOptions,
    private readonly format: RowFormat,
  ) {}

  startSheet(): void {
    this.state = undefined;
    this.preamble = [];
  }

  /**
   * How many leading cells of a row matter: up to the header's last named column once it is known (a
   * cell far to its right, say in column XFD, is no field), else MAX_HEADER_COLUMNS. Readers build only
   * these, so a row costs what it holds, not the position of its last cell.
   */
  columnLimit(): number {
    if (!this.state) return MAX_HEADER_COLUMNS;
    let width = this.state.header.length;
    while (width > 0 && (this.state.header[width - 1] ?? "").trim() === "") width--;
    return width;
  }

  /** False once the current sheet has shown no header among its first rows: the rest is no listings. */
  wantsRows(): boolean {
    return this.state !== undefined || this.preamble.length < HEADER_SEARCH_ROWS;
  }

  row(cells: string[], line: number): SourceItem[] {
    if (!this.wantsRows() || cells.every((cell) => cell.trim() === "")) return [];
    if (!this.state) return this.findHeader(cells, line);
    if (!this.state.secondChecked) {
      this.state.secondChecked = true;
      if (this.takeSecondHeader(cells)) return [];
    }
    // An export that repeats its header on every page (HTML tables, one per page) is read once.
    if (repeatsHeader(cells, this.state.headers)) return [];
    return this.record(this.state, cells, line);
  }

  private findHeader(cells: string[], line: number): SourceItem[] {
    const named = withNamesFromAbove(cells, this.preamble);
    const { match, missing } = resolveHeader(named, this.maps, this.options.columns);
    if (!match) {
      this.preamble.push(cells);
      return [];
    }
    this.sheets++;
    const taobao = match.mapping === loadTaobaoColumns().name;
    const skuColumns = taobao ? findSkuColumns([named]) : undefined;
    this.state = {
      match,
      conventions: taobao ? "taobao" : "generic",
      header: named,
      headers: [...this.preamble, cells],
      secondChecked: !taobao,
      ...(skuColumns ? { skuColumns } : {}),
    };
    const source = { file: this.file, line };
    return missing.map(
      (message): SourceItem => ({
        kind: "problem",
        problem: { code: ROW_PROBLEM_CODES[this.format].missingColumn, message, source },
        skipped: false,
      }),
    );
  }

  /** The Chinese header line after the English one fills the fields the first lacks; true when `cells` is one. */
  private takeSecondHeader(cells: string[]): boolean {
    const state = this.state!;
    const second = matchHeader(cells, loadTaobaoColumns());
    if (!second) return false;
    state.match = { ...state.match, indexes: { ...second.indexes, ...state.match.indexes } };
    state.headers.push(cells);
    const skuColumns = findSkuColumns([state.header, cells]);
    if (skuColumns) state.skuColumns = skuColumns;
    return true;
  }

  private record(state: SheetState, cells: string[], line: number): SourceItem[] {
    const layout = { indexes: state.match.indexes, conventions: state.conventions, skuColumns: state.skuColumns };
    return recordItems(cells, layout, { file: this.file, row: ++this.records, line }, this.format);
  }
}

/**
 * A header row whose empty cells take the nearest name above them: a grouped header's column merged
 * down over the header rows keeps its name only in the top one, as Excel stores a merged cell and as
 * HTML tables and .xls files lay out their spans (an .xlsx, streamed, lists its merges after its rows).
 */
function withNamesFromAbove(cells: string[], above: readonly (readonly string[])[]): string[] {
  if (above.length === 0) return cells;
  const width = Math.max(cells.length, ...above.map((row) => row.length));
  return Array.from({ length: width }, (_, i) => {
    const own = cells[i] ?? "";
    if (own.trim() !== "") return own;
    for (let r = above.length - 1; r >= 0; r--) {
      const name = above[r]?.[i] ?? "";
      if (name.trim() !== "") return name;
    }
    return own;
  });
}
