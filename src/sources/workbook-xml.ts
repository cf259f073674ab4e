import { Parser } from "htmlparser2";

/** A row of a worksheet: its number (1-based) and its cells by column (index 0 is column A), sparse. */
export interface SheetRow {
  number: number;
  cells: string[];
}

/** Takes XML text piece by piece, as a zip entry is inflated, into htmlparser2 in XML mode. */
abstract class XmlReader {
  private readonly parser: Parser;
  private readonly decoder = new TextDecoder("utf-8");
  /**
   * The namespace prefix of the root element (`x:` in `<x:worksheet>`), which some writers put on every
   * element of the document; names are compared without it.
   */
  private prefix: string | undefined;

  constructor() {
    this.parser = new Parser(
      {
        onopentag: (name, attributes) => {
          if (this.prefix === undefined) this.prefix = name.slice(0, name.indexOf(":") + 1);
          this.open(this.localName(name), attributes);
        },
        ontext: (text) => this.text(text),
        onclosetag: (name) => this.close(this.localName(name)),
      },
      { xmlMode: true },
    );
  }

  private localName(name: string): string {
    return this.prefix && name.startsWith(this.prefix) ? name.slice(this.prefix.length) : name;
  }

  /** Inflated bytes: a character split between two pieces is decoded whole. */
  write(bytes: Buffer): void {
    this.parser.write(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    const rest = this.decoder.decode();
    if (rest) this.parser.write(rest);
    this.parser.end();
  }

  protected abstract open(name: string, attributes: Record<string, string>): void;
  protected abstract text(text: string): void;
  protected abstract close(name: string): void;
}

/**
 * The text of each `<si>` of xl/sharedStrings.xml: its `<t>`, or the `<t>` of its rich-text runs
 * joined; phonetic guides (`<rPh>`, furigana over Japanese) are not part of the text.
 */
export class SharedStringsReader extends XmlReader {
  readonly strings: string[] = [];
  private current: string | undefined;
  private inText = false;
  private phonetic = 0;

  protected open(name: string): void {
    if (name === "si") this.current = "";
    else if (name === "rPh") this.phonetic++;
    else if (name === "t" && this.phonetic === 0) this.inText = true;
  }

  protected text(text: string): void {
    if (this.inText && this.current !== undefined) this.current += text;
  }

  protected close(name: string): void {
    if (name === "t") this.inText = false;
    else if (name === "rPh") this.phonetic = Math.max(0, this.phonetic - 1);
    else if (name === "si" && this.current !== undefined) {
      this.strings.push(this.current);
      this.current = undefined;
    }
  }
}

interface CellState {
  column: number;
  type: string;
  value: string | undefined;
  inline: string | undefined;
}

/**
 * The rows of a worksheet's `<sheetData>`, cells as the strings a CSV export would hold: shared and
 * inline strings as text, numbers as JavaScript writes them (dates stay serial numbers: styles are not
 * read), booleans as 1 and 0, errors as Excel shows them (#N/A), formulas as their cached result.
 * Cells past `maxColumn` are dropped as they are read, so a far cell costs nothing.
 */
export class SheetRowsReader extends XmlReader {
  private rows: SheetRow[] = [];
  private inSheetData = false;
  private row: SheetRow | undefined;
  private lastRow = 0;
  private lastColumn = 0;
  private cell: CellState | undefined;
  /** Which text is being collected: a cell's `<v>`, or a `<t>` of its inline string. */
  private capture: "value" | "inline" | undefined;
  private inInline = false;
  private phonetic = 0;

  constructor(
    private readonly strings: readonly string[],
    private readonly maxColumn: number,
  ) {
    super();
  }

  /** The rows completed since the last call. */
  take(): SheetRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  protected open(name: string, attributes: Record<string, string>): void {
    if (name === "sheetData") this.inSheetData = true;
    if (!this.inSheetData) return;
    switch (name) {
      case "row": {
        const number = Number.parseInt(attributes.r ?? "", 10);
        this.lastRow = Number.isNaN(number) ? this.lastRow + 1 : number;
        this.lastColumn = 0;
        this.row = { number: this.lastRow, cells: [] };
        break;
      }
      case "c": {
        const column = columnOf(attributes.r) || this.lastColumn + 1;
        this.lastColumn = column;
        this.cell =
          this.row && column <= this.maxColumn
            ? { column, type: attributes.t ?? "n", value: undefined, inline: undefined }
            : undefined;
        break;
      }
      case "v":
        if (this.cell) {
          this.cell.value = "";
          this.capture = "value";
        }
        break;
      case "is":
        if (this.cell) {
          this.cell.inline = "";
          this.inInline = true;
        }
        break;
      case "rPh":
        this.phonetic++;
        break;
      case "t":
        if (this.cell && this.inInline && this.phonetic === 0) this.capture = "inline";
        break;
    }
  }

  protected text(text: string): void {
    const cell = this.cell;
    if (!cell) return;
    if (this.capture === "value") cell.value = (cell.value ?? "") + text;
    else if (this.capture === "inline") cell.inline = (cell.inline ?? "") + text;
  }

  protected close(name: string): void {
    if (!this.inSheetData) return;
    switch (name) {
      case "v":
      case "t":
        this.capture = undefined;
        break;
      case "is":
        this.inInline = false;
        break;
      case "rPh":
        this.phonetic = Math.max(0, this.phonetic - 1);
        break;
      case "c": {
        const cell = this.cell;
        this.cell = undefined;
        const text = cell && cellText(cell, this.strings);
        if (cell && this.row && text !== undefined) this.row.cells[cell.column - 1] = text;
        break;
      }
      case "row":
        if (this.row) this.rows.push(this.row);
        this.row = undefined;
        break;
      case "sheetData":
        this.inSheetData = false;
        break;
    }
  }
}

/** A cell's text, or undefined for a cell that holds nothing (only a style, or a formula never calculated). */
function cellText(cell: CellState, strings: readonly string[]): string | undefined {
  const { type, value } = cell;
  if (type === "inlineStr") return cell.inline ?? value;
  if (value === undefined) return undefined;
  switch (type) {
    case "s":
      return strings[Number.parseInt(value, 10)];
    case "str":
    case "e":
    case "d":
      return value;
    case "b":
      return Number.parseInt(value, 10) !== 0 ? "1" : "0";
    default:
      return value.trim() === "" ? undefined : String(Number.parseFloat(value));
  }
}

/** The column number of a cell reference's letters (`XFD2` → 16384); 0 without a reference. */
function columnOf(reference: string | undefined): number {
  if (reference === undefined) return 0;
  let column = 0;
  for (let i = 0; i < reference.length && i < 7; i++) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}
