import { parse } from "csv-parse/sync";
import { HEADER_SEARCH_ROWS } from "../column-maps/match-header.js";
import { decodeHead, detectEncoding, type TextEncoding } from "../../util/text-encoding.js";

/** A non-blank physical line of the head, with its 1-based line number in the file. */
export interface HeadLine {
  text: string;
  line: number;
}

/** What the first bytes of a delimited text file tell. */
export interface CsvSniff {
  encoding: TextEncoding;
  delimiter: string;
  /** The first non-blank records (header candidates), each one physical line, split into cells. */
  rows: string[][];
  /** Whether `rows[0]` is a `version 1.00` line (淘宝助理), possibly padded with delimiters. */
  versionLine: boolean;
  /** Physical lines up to and including the version line (0 without one). */
  versionLines: number;
  /** The first non-blank lines, where a generic export's header is looked for (below report titles). */
  lines: HeadLine[];
}

/** Header lines never hold multi-line cells, so a handful of physical lines covers every layout. */
const HEADER_LINES = 4;
/** Enough decoded text for the header lines of the widest (80-column) layout, many times over. */
const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = ["\t", ",", ";", "|"];
/** Binary files are full of NUL bytes; a text export may carry a stray one in a cell, which is kept. */
const MAX_NUL_SHARE = 100;
const VERSION_LINE = /^\s*version\s*\d+(?:\.\d+)*\s*$/i;

/** Sniffs encoding, delimiter and header candidates; undefined when this is not delimited text. */
export function sniffCsv(head: Buffer): CsvSniff | undefined {
  const encoding = detectEncoding(head);
  const text = decodeHead(head.subarray(0, SNIFF_BYTES), encoding);
  // NUL bytes that end a file are padding (an interrupted copy, a preallocated file), not binary content.
  const content = text.slice(0, endBeforeNuls(text));
  if (/^\s*[[{<]/.test(text) || countNuls(content) > content.length / MAX_NUL_SHARE) return undefined;
  const physical = text.split(/\r\n|\n|\r/, HEADER_SEARCH_ROWS * 4);
  const nonBlank = physical
    .flatMap((line, i) => (line.trim() === "" ? [] : [{ text: line, line: i + 1 }]))
    .slice(0, HEADER_SEARCH_ROWS);
  const lines = nonBlank.slice(0, HEADER_LINES).map((l) => l.text);
  const first = nonBlank[0];
  if (first === undefined) return undefined;
  const versionLine = isVersionLine(withoutPadding(first.text.replace(/^"|"$/g, "")));
  const versionLines = versionLine ? first.line : 0;
  const headerLine = versionLine ? lines[1] : first.text;
  if (headerLine === undefined || headerLine.includes("\u0000")) return undefined;
  // A report title above a generic export's header may hold no delimiter: the first line that does decides.
  const delimiter =
    pickDelimiter(headerLine) ??
    (versionLine ? undefined : nonBlank.map((l) => pickDelimiter(l.text)).find((d) => d !== undefined));
  if (delimiter === undefined) return undefined;
  const rows = lines.map((line) => splitLine(line, delimiter));
  return { encoding, delimiter, rows, versionLine, versionLines, lines: nonBlank };
}

/** 淘宝助理's `version 1.00` line, its padding delimiters removed (a BOM before it: exports concatenated). */
export function isVersionLine(text: string): boolean {
  return VERSION_LINE.test(text.replace(/^\uFEFF/, ""));
}

/** The delimiter that occurs most in a header line (TAB first on a tie). */
export function pickDelimiter(line: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = line.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** One header line split into cells (quotes honoured where csv-parse can). */
export function splitLine(line: string, delimiter: string): string[] {
  try {
    const records = parse(line, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
    return records[0] ?? [];
  } catch {
    // A header line csv-parse rejects is judged by its raw cells; the stream parse reports it.
    return line.split(delimiter);
  }
}

/** The line without the delimiters and quotes that pad it (a loop: /[\t,;|"]+$/ is quadratic on a long run). */
function withoutPadding(line: string): string {
  let end = line.length;
  while (end > 0 && '\t,;|"'.includes(line[end - 1] as string)) end--;
  return line.slice(0, end);
}

/** Where a trailing run of NULs starts (a loop: /\u0000+$/ is quadratic on a long run inside binary data). */
function endBeforeNuls(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end;
}

function countNuls(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\u0000"); i !== -1; i = text.indexOf("\u0000", i + 1)) count++;
  return count;
}
