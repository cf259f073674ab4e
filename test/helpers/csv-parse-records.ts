import { parse, type CsvError, type Parser } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import type { Problem } from "../../src/model.js";
import type { CsvRecordEvent } from "../../src/sources/taobao-csv/csv-records.js";

/*
 * The csv-parse-based record reader the library used before its own tokenizer (issue 19), kept as the
 * oracle of test/csv-records-differential.test.ts: its broken-record recovery (restart on the next
 * line, second reading of stray-quote lines, line numbering across CRLF) is what the tokenizer must
 * reproduce, and csv-parse alone does not do that part. One deliberate change: the endLine of a
 * multi-line last record without a final line break (it was one line short).
 */

/** What a broken record becomes: its problem's code and message. */
type ProblemText = Pick<Problem, "code" | "message">;

/**
 * A record longer than this is taken as an unterminated quote that swallowed the rest of the file;
 * without the cap one stray quote would buffer the whole export in memory.
 */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const RECORD_DELIMITERS = ["\r\n", "\n", "\r"];
const STRAY_QUOTE: ProblemText = {
  code: "csv/stray-quote",
  message: "a quote stands inside an unquoted field, and another field of its line starts with a quote",
};

interface Segment {
  parser: Parser;
  /** Records completed by the latest write, with csv-parse's byte offset after the record delimiter. */
  done: { fields: string[]; bytes: number }[];
  /** Line of the segment's first byte. */
  baseLine: number;
  /** Byte offset (within the segment) after the last completed record, and the lines it ended. */
  lastBytes: number;
  lastLines: number;
  /** Bytes fed to this segment after `lastBytes`, kept so a broken record can be re-read from its second line. */
  pending: Buffer[];
  pendingBytes: number;
  /** Physical lines to drop before parsing (the version line; a broken record's first line). */
  skipLines: number;
  /** The last dropped line ended in CR at a chunk end: drop an LF that starts the next chunk. */
  skipLf: boolean;
  /** A line with a stray quote whose end has not been read yet: its bytes so far (it is read once whole). */
  strayLine?: StrayLine;
}

interface StrayLine {
  line: number;
  bytes: Buffer[];
  size: number;
  broken: ProblemText;
}

/**
 * Splits UTF-8 text into CSV records with csv-parse, streaming. Unlike csv-parse alone it survives
 * a broken record: when the parser fails (unterminated or stray quote), the record is reported as
 * broken and parsing restarts on the line after the broken record's first line, so one bad quote
 * costs one record instead of the rest of the file (a stray quote on a line without quoted fields
 * costs nothing: see readStrayLine). Field counts are not checked here.
 */
export async function* readCsvRecordsWithCsvParse(
  chunks: AsyncIterable<Buffer>,
  delimiter: string,
  skipLines = 0,
): AsyncGenerator<CsvRecordEvent> {
  let segment = openSegment(delimiter, 1 + skipLines);
  // csv-parse takes its expected field count from the first record and builds an error object for
  // every record that differs, so a one-cell version line must not be its first record.
  segment.skipLines = skipLines;
  for await (const chunk of chunks) {
    const events: CsvRecordEvent[] = [];
    segment = feedSegment(segment, chunk, delimiter, events);
    yield* events;
  }
  for (;;) {
    const events: CsvRecordEvent[] = [];
    // A stray-quote line that the file ends in is whole now.
    if (segment.strayLine) events.push(readStrayLine(segment.strayLine, delimiter));
    segment.strayLine = undefined;
    const next = await endSegment(segment, delimiter, events);
    yield* events;
    if (next === undefined) return;
    segment = next;
  }
}

function openSegment(delimiter: string, baseLine: number): Segment {
  const segment: Segment = {
    parser: undefined as unknown as Parser,
    done: [],
    baseLine,
    lastBytes: 0,
    lastLines: 0,
    pending: [],
    pendingBytes: 0,
    skipLines: 0,
    skipLf: false,
  };
  segment.parser = parse({
    delimiter,
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    // Records are collected synchronously here instead of through the readable side, so that each
    // write tells at once which records completed and whether the parser failed.
    on_record: (record: string[], context: { bytes: number }) => {
      segment.done.push({ fields: record, bytes: context.bytes });
      return null;
    },
  });
  segment.parser.on("error", () => undefined);
  segment.parser.resume();
  return segment;
}

/** Writes one chunk; returns the segment to continue with (a new one after a broken record). */
function feedSegment(start: Segment, chunk: Buffer, delimiter: string, events: CsvRecordEvent[]): Segment {
  let segment = start;
  let data: Buffer | undefined = chunk;
  while (data !== undefined) {
    data = skipLeadingLines(segment, data, delimiter, events);
    if (data.length === 0) break;
    segment.pending.push(data);
    segment.pendingBytes += data.length;
    segment.parser.write(data);
    data = undefined;
    const error = segment.parser.errored as CsvError | null;
    collectRecords(segment, events);
    if (error) {
      ({ segment, rest: data } = restartAfterBroken(segment, delimiter, events, brokenFromError(error)));
    } else if (segment.pendingBytes > MAX_RECORD_BYTES) {
      const broken: ProblemText = {
        code: "csv/unterminated-quote",
        message: `record longer than ${MAX_RECORD_BYTES} bytes: a quote is probably not closed`,
      };
      ({ segment, rest: data } = restartAfterBroken(segment, delimiter, events, broken));
    }
  }
  return segment;
}

async function endSegment(segment: Segment, delimiter: string, events: CsvRecordEvent[]): Promise<Segment | undefined> {
  const error = await new Promise<CsvError | undefined>((resolve) => {
    segment.parser.once("error", (e: CsvError) => resolve(e));
    segment.parser.once("finish", () => resolve(undefined));
    segment.parser.end();
  });
  collectRecords(segment, events);
  if (!error) return undefined;
  const { segment: next, rest } = restartAfterBroken(segment, delimiter, events, brokenFromError(error));
  return rest === undefined ? next : feedSegment(next, rest, delimiter, events);
}

function collectRecords(segment: Segment, events: CsvRecordEvent[]): void {
  for (const done of segment.done) {
    const line = segment.baseLine + segment.lastLines;
    // csv-parse's own line count takes a CRLF inside a quoted field for two lines, so count here.
    const { breaks, endsInBreak } = dropPending(segment, done.bytes - segment.lastBytes);
    segment.lastLines += breaks;
    // The break that ends the record is no line of it; the last record of a file may have none.
    events.push({ kind: "record", fields: done.fields, line, endLine: line + breaks - (endsInBreak ? 1 : 0) });
    segment.lastBytes = done.bytes;
  }
  segment.done.length = 0;
}

/** Drops `count` consumed bytes from the pending window: how many line breaks they held, whether they end in one. */
function dropPending(segment: Segment, count: number): { breaks: number; endsInBreak: boolean } {
  let left = count;
  let lines = 0;
  let last: number | undefined;
  while (left > 0 && segment.pending.length > 0) {
    const first = segment.pending[0] as Buffer;
    const taken = first.length <= left ? first : first.subarray(0, left);
    last = taken[taken.length - 1];
    const following = first.length <= left ? segment.pending[1]?.[0] : first[left];
    lines += countLineBreaks(taken, following);
    if (first.length <= left) segment.pending.shift();
    else segment.pending[0] = first.subarray(left);
    left -= taken.length;
  }
  segment.pendingBytes -= count;
  return { breaks: lines, endsInBreak: last === 0x0a || last === 0x0d };
}

/** LF, CRLF and a lone CR each end a line; `following` is the byte after `bytes`, if known. */
function countLineBreaks(bytes: Buffer, following: number | undefined): number {
  let lines = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) lines++;
  for (let i = bytes.indexOf(0x0d); i !== -1; i = bytes.indexOf(0x0d, i + 1)) {
    const next = i + 1 < bytes.length ? bytes[i + 1] : following;
    if (next !== 0x0a) lines++;
  }
  return lines;
}

/** csv-parse's own message counts lines from the restart point, so the wording is ours. */
function brokenFromError(error: CsvError): ProblemText {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
    case "CSV_INVALID_CLOSING_QUOTE":
      return {
        code: "csv/unterminated-quote",
        message: "a quoted field is not closed (or a quote inside it is not doubled)",
      };
    case "INVALID_OPENING_QUOTE":
      return STRAY_QUOTE;
    default:
      // Not reachable with these options; the oracle must not hide it if it happens.
      throw error;
  }
}

/**
 * Reports the record at the failure point as broken and opens a new segment on its second line. A
 * stray quote first gets a second reading of its line (see readStrayLine), once the line is whole.
 */
function restartAfterBroken(
  segment: Segment,
  delimiter: string,
  events: CsvRecordEvent[],
  broken: ProblemText,
): { segment: Segment; rest: Buffer | undefined } {
  const line = segment.baseLine + segment.lastLines;
  segment.parser.destroy();
  const text = Buffer.concat(segment.pending);
  const lineEnd = findLineEnd(text);
  const next = openSegment(delimiter, line + 1);
  const first = text.subarray(0, lineEnd ?? text.length);
  const stray = broken.code === STRAY_QUOTE.code ? { line, bytes: [first], size: first.length, broken } : undefined;
  if (stray && lineEnd === undefined) next.strayLine = stray;
  else events.push(stray ? readStrayLine(stray, delimiter) : { kind: "broken", ...broken, line });
  if (lineEnd === undefined) next.skipLines = 1;
  else if (lineEnd === text.length && text[lineEnd - 1] === 0x0d) next.skipLf = true;
  return { segment: next, rest: lineEnd === undefined || lineEnd >= text.length ? undefined : text.subarray(lineEnd) };
}

/**
 * A line on which a quote stands inside an unquoted field (27"显示器, from exporters that quote nothing)
 * is read as Excel reads it, the quote as a character, when none of its fields starts with a quote: then
 * no field was meant to be quoted, and splitting at the delimiters is the whole reading. Otherwise the
 * record stays broken.
 */
function readStrayLine(stray: StrayLine, delimiter: string): CsvRecordEvent {
  const line = Buffer.concat(stray.bytes);
  const end = line.length - (line[line.length - 1] === 0x0a ? 1 : 0);
  const text = line.subarray(0, end - (line[end - 1] === 0x0d ? 1 : 0));
  const [fields] = parseSync(text, {
    delimiter,
    quote: false,
    relax_column_count: true,
    record_delimiter: RECORD_DELIMITERS,
  }) as string[][];
  if (fields === undefined || fields.some((field) => field.startsWith('"')))
    return { kind: "broken", ...stray.broken, line: stray.line };
  return { kind: "record", fields, line: stray.line, endLine: stray.line };
}

function skipLeadingLines(segment: Segment, chunk: Buffer, delimiter: string, events: CsvRecordEvent[]): Buffer {
  let data = chunk;
  if (segment.skipLf && data.length > 0) {
    segment.skipLf = false;
    if (data[0] === 0x0a) data = data.subarray(1);
  }
  while (segment.skipLines > 0) {
    const lineEnd = findLineEnd(data);
    const stray = segment.strayLine;
    if (stray) {
      stray.bytes.push(data.subarray(0, lineEnd ?? data.length));
      stray.size += lineEnd ?? data.length;
      // A line this long is no record a second reading could save (and must not be held).
      if (stray.size > MAX_RECORD_BYTES) {
        events.push({ kind: "broken", ...stray.broken, line: stray.line });
        segment.strayLine = undefined;
      }
    }
    if (lineEnd === undefined) return data.subarray(data.length);
    segment.skipLines--;
    segment.skipLf = lineEnd === data.length && data[lineEnd - 1] === 0x0d;
    data = data.subarray(lineEnd);
    if (segment.strayLine) events.push(readStrayLine(segment.strayLine, delimiter));
    segment.strayLine = undefined;
  }
  return data;
}

/** Offset just after the first line break (CRLF, LF or CR), or undefined when there is none. */
function findLineEnd(text: Buffer): number | undefined {
  const lf = text.indexOf(0x0a);
  const cr = text.indexOf(0x0d);
  if (cr !== -1 && (lf === -1 || cr < lf)) return text[cr + 1] === 0x0a ? cr + 2 : cr + 1;
  return lf === -1 ? undefined : lf + 1;
}
