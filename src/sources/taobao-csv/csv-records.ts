import type { Problem, ProblemCode } from "../../model.js";
import { CR, type CsvFailure, type CsvRecord, CsvTokenizer, detached, LF } from "./csv-tokenizer.js";

export type { CsvRecord } from "./csv-tokenizer.js";

/** What a broken record becomes: its problem's code and message. */
type ProblemText = Pick<Problem, "code" | "message">;

/** A stretch of text that could not be split (stray or unterminated quote). */
export interface BrokenCsvRecord {
  kind: "broken";
  code: ProblemCode;
  message: string;
  /** 1-based physical line where the broken record starts. */
  line: number;
}

export type CsvRecordEvent = CsvRecord | BrokenCsvRecord;

/**
 * A record longer than this many characters (UTF-16 code units) is taken as an unterminated quote that
 * swallowed the rest of the file; without the cap one stray quote would hold the whole export in memory.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

const STRAY_QUOTE: ProblemText = {
  code: "csv/stray-quote",
  message: "a quote stands inside an unquoted field, and another field of its line starts with a quote",
};
const UNTERMINATED_QUOTE: ProblemText = {
  code: "csv/unterminated-quote",
  message: "a quoted field is not closed (or a quote inside it is not doubled)",
};
const TOO_LONG: ProblemText = {
  code: "csv/unterminated-quote",
  message: `record longer than ${MAX_RECORD_CHARS} characters: a quote is probably not closed`,
};

/** A line with a stray quote whose end has not been read yet: its text so far (it is read once whole). */
interface StrayLine {
  line: number;
  text: string;
  broken: ProblemText;
}

/**
 * Splits decoded text into CSV records, streaming. Unlike a plain CSV parser it survives a broken
 * record: when splitting fails (unterminated or stray quote), the record is reported as broken and
 * splitting restarts on the line after the broken record's first line, so one bad quote costs one
 * record instead of the rest of the file (a stray quote on a line without quoted fields costs
 * nothing: see readStrayLine). Field counts are not checked here.
 */
export async function* readCsvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
  skipLines = 0,
): AsyncGenerator<CsvRecordEvent> {
  const reader = new RecordReader(delimiter, skipLines);
  for await (const chunk of chunks) yield* reader.write(chunk);
  yield* reader.end();
}

class RecordReader {
  private tokenizer: CsvTokenizer;
  /** Physical lines to drop before splitting (the version line; the rest of a broken record's first line). */
  private skipLines: number;
  /** The last dropped line ended in CR at a chunk end: drop an LF that starts the next chunk. */
  private skipLf = false;
  private strayLine: StrayLine | undefined;
  private events: CsvRecordEvent[] = [];

  constructor(
    private readonly delimiter: string,
    skipLines: number,
  ) {
    this.tokenizer = new CsvTokenizer(delimiter, 1 + skipLines);
    this.skipLines = skipLines;
  }

  write(chunk: string): CsvRecordEvent[] {
    this.feed(chunk);
    return this.take();
  }

  end(): CsvRecordEvent[] {
    for (;;) {
      // A stray-quote line that the file ends in is whole now.
      if (this.strayLine) this.events.push(readStrayLine(this.strayLine, this.delimiter));
      this.strayLine = undefined;
      const failure = this.tokenizer.end(this.events);
      if (failure === undefined) return this.take();
      const rest = this.restartAfter(failure, problemOf(failure));
      if (rest !== undefined) this.feed(rest);
    }
  }

  private take(): CsvRecordEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  private feed(chunk: string): void {
    let text: string | undefined = chunk;
    while (text !== undefined) {
      text = this.skipLeadingLines(text);
      if (text.length === 0) return;
      const failure = this.tokenizer.write(text, this.events);
      text = undefined;
      if (failure) text = this.restartAfter(failure, problemOf(failure));
      else if (this.tokenizer.pendingLength > MAX_RECORD_CHARS)
        text = this.restartAfter(this.tokenizer.abandon(), TOO_LONG);
    }
  }

  /**
   * Reports the failed record as broken and starts a new tokenizer on its second line; returns the text
   * after the first line. A stray quote first gets a second reading of its line (see readStrayLine),
   * once the line is whole.
   */
  private restartAfter(failure: CsvFailure, broken: ProblemText): string | undefined {
    const { line, text } = failure;
    const lineEnd = findLineEnd(text);
    this.tokenizer = new CsvTokenizer(this.delimiter, line + 1);
    const first = text.slice(0, lineEnd ?? text.length);
    const stray = broken === STRAY_QUOTE ? { line, text: first, broken } : undefined;
    if (stray && lineEnd === undefined) this.strayLine = stray;
    else this.events.push(stray ? readStrayLine(stray, this.delimiter) : { kind: "broken", ...broken, line });
    if (lineEnd === undefined) this.skipLines = 1;
    else if (lineEnd === text.length && text.charCodeAt(lineEnd - 1) === CR) this.skipLf = true;
    return lineEnd === undefined || lineEnd >= text.length ? undefined : text.slice(lineEnd);
  }

  private skipLeadingLines(chunk: string): string {
    let text = chunk;
    if (this.skipLf && text.length > 0) {
      this.skipLf = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    while (this.skipLines > 0) {
      const lineEnd = findLineEnd(text);
      const stray = this.strayLine;
      if (stray) {
        stray.text += text.slice(0, lineEnd ?? text.length);
        // A line this long is no record a second reading could save (and must not be held).
        if (stray.text.length > MAX_RECORD_CHARS) {
          this.events.push({ kind: "broken", ...stray.broken, line: stray.line });
          this.strayLine = undefined;
        }
      }
      if (lineEnd === undefined) return "";
      this.skipLines--;
      this.skipLf = lineEnd === text.length && text.charCodeAt(lineEnd - 1) === CR;
      text = text.slice(lineEnd);
      if (this.strayLine) this.events.push(readStrayLine(this.strayLine, this.delimiter));
      this.strayLine = undefined;
    }
    return text;
  }
}

function problemOf(failure: CsvFailure): ProblemText {
  return failure.reason === "stray-quote" ? STRAY_QUOTE : UNTERMINATED_QUOTE;
}

/**
 * A line on which a quote stands inside an unquoted field (27"显示器, from exporters that quote nothing)
 * is read as Excel reads it, the quote as a character, when none of its fields starts with a quote: then
 * no field was meant to be quoted, and splitting at the delimiters is the whole reading. Otherwise the
 * record stays broken.
 */
function readStrayLine(stray: StrayLine, delimiter: string): CsvRecordEvent {
  const line = stray.text;
  const end = line.length - (line.charCodeAt(line.length - 1) === LF ? 1 : 0);
  const text = detached(line.slice(0, end - (line.charCodeAt(end - 1) === CR ? 1 : 0)));
  const fields = text.split(delimiter);
  if (text === "" || fields.some((field) => field.startsWith('"')))
    return { kind: "broken", ...stray.broken, line: stray.line };
  return { kind: "record", fields, line: stray.line, endLine: stray.line };
}

/** Offset just after the first line break (CRLF, LF or CR), or undefined when there is none. */
function findLineEnd(text: string): number | undefined {
  const lf = text.indexOf("\n");
  const cr = text.indexOf("\r");
  if (cr !== -1 && (lf === -1 || cr < lf)) return text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
  return lf === -1 ? undefined : lf + 1;
}
