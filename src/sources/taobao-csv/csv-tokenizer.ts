/** One record split into fields, with the physical lines it spans in the file. */
export interface CsvRecord {
  kind: "record";
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** 1-based physical line where the record ends (a quoted field may hold line breaks). */
  endLine: number;
}

/** Where splitting stopped: the record that cannot be split, and its text as far as it was read. */
export interface CsvFailure {
  reason: "unterminated-quote" | "stray-quote";
  /** 1-based physical line where the failed record starts. */
  line: number;
  /** The record's text from its first character to the end of the text written so far. */
  text: string;
}

/** Shorter slices are copies in V8 already. */
const MIN_SHARING_SLICE = 13;

/**
 * The text as a string of its own. A slice of a chunk (or a concatenation of slices) keeps the whole
 * chunk alive as long as it lives, and a field can outlive the record: a title kept by a cache would
 * hold its 64 KiB chunk, and thousands of them the file.
 */
export function detached(text: string): string {
  // Prepending makes a concatenation that slice() first flattens into a new string.
  return text.length < MIN_SHARING_SLICE ? text : ` ${text}`.slice(1);
}

/** Where complete records go (an array of records, or of records and other events). */
export interface RecordSink {
  push(record: CsvRecord): unknown;
}

const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

/** Where the scan stands between two characters (and between two chunks). */
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the next character tells a doubled quote from the closing one. */
const QUOTE_IN_QUOTED = 3;
/** After a closing quote: only a delimiter or a line break may follow. */
const CLOSED = 4;
type ScanState = 0 | 1 | 2 | 3 | 4;

/**
 * Splits decoded text into CSV records, chunk by chunk: a one-character delimiter, fields quoted with
 * `"` and a quote inside them doubled, records ended by CRLF, LF or a lone CR. Strict like csv-parse
 * without relax_quotes: a quote inside an unquoted field, or a closing quote followed by anything but
 * a delimiter or line break, stops the splitting (CsvFailure); an unclosed quote stops it at the end.
 * An empty line is a record of one empty field; the end of the text after a line break is none.
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private state: ScanState = FIELD_START;
  /** Physical line at the scan position. */
  private line: number;
  private recordLine: number;
  private fields: string[] = [];
  /** The field's characters from earlier chunks, doubled quotes already undone. */
  private field = "";
  /** The record's text from earlier chunks (for CsvFailure.text). */
  private held = "";
  /** The last chunk ended in a CR: an LF that starts the next one belongs to the same line break. */
  private afterCr = false;

  constructor(delimiter: string, line: number) {
    if (delimiter.length !== 1 || '"\r\n'.includes(delimiter))
      throw new Error(`unsupported CSV delimiter ${delimiter}`);
    this.delimiter = delimiter.charCodeAt(0);
    this.line = line;
    this.recordLine = line;
  }

  /** Characters of the unfinished record held so far. */
  get pendingLength(): number {
    return this.held.length;
  }

  /** Splits a chunk; complete records go to `out`. After a failure the tokenizer is spent. */
  write(text: string, out: RecordSink): CsvFailure | undefined {
    const delimiter = this.delimiter;
    const n = text.length;
    if (n === 0) return undefined;
    let state = this.state;
    const crBefore = this.afterCr;
    this.afterCr = false;
    // The LF of a CRLF that ended the last record: the new record starts after it.
    let i = crBefore && state === FIELD_START && text.charCodeAt(0) === LF ? 1 : 0;
    let recordStart = i;
    let fieldStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (state === QUOTED) {
        if (c === QUOTE) {
          this.field += text.slice(fieldStart, i);
          state = QUOTE_IN_QUOTED;
        } else if (c === CR || (c === LF && (i === 0 ? !crBefore : text.charCodeAt(i - 1) !== CR))) this.line++;
        i++;
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (c === QUOTE) {
          // A doubled quote stands for one: the second starts the next stretch of the field.
          fieldStart = i++;
          state = QUOTED;
          continue;
        }
        if (c !== delimiter && c !== LF && c !== CR) return this.fail("unterminated-quote", text, recordStart);
        state = CLOSED;
      }
      if (c === delimiter) {
        this.fields.push(detached(state === CLOSED ? this.field : this.field + text.slice(fieldStart, i)));
        this.field = "";
        state = FIELD_START;
        fieldStart = ++i;
      } else if (c === LF || c === CR) {
        this.fields.push(detached(state === CLOSED ? this.field : this.field + text.slice(fieldStart, i)));
        this.field = "";
        out.push({ kind: "record", fields: this.fields, line: this.recordLine, endLine: this.line });
        this.fields = [];
        this.recordLine = ++this.line;
        i++;
        if (c === CR) {
          if (i === n) this.afterCr = true;
          else if (text.charCodeAt(i) === LF) i++;
        }
        state = FIELD_START;
        recordStart = fieldStart = i;
        this.held = "";
      } else if (c === QUOTE) {
        if (state === UNQUOTED) return this.fail("stray-quote", text, recordStart);
        state = QUOTED;
        fieldStart = ++i;
      } else {
        state = UNQUOTED;
        i++;
      }
    }
    if (state === QUOTED || state === UNQUOTED) this.field += text.slice(fieldStart, n);
    if (state === QUOTED && text.charCodeAt(n - 1) === CR) this.afterCr = true;
    this.state = state;
    if (recordStart < n) this.held += text.slice(recordStart);
    return undefined;
  }

  /** Ends the text: the last record, if it has a character, goes to `out`; an open quote fails. */
  end(out: RecordSink): CsvFailure | undefined {
    const state = this.state;
    if (state === QUOTED) return this.fail("unterminated-quote", "", 0);
    if (state !== FIELD_START || this.fields.length > 0) {
      this.fields.push(detached(this.field));
      out.push({ kind: "record", fields: this.fields, line: this.recordLine, endLine: this.line });
    }
    return undefined;
  }

  /** Gives up the unfinished record (too long to hold): a failure with its text so far. */
  abandon(): CsvFailure {
    return this.fail("unterminated-quote", "", 0);
  }

  private fail(reason: CsvFailure["reason"], text: string, recordStart: number): CsvFailure {
    return { reason, line: this.recordLine, text: this.held + text.slice(recordStart) };
  }
}
