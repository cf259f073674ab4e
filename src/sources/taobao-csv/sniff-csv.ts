import { parse } from "csv-parse/sync";
import { decodeHead, detectEncoding, type TextEncoding } from "../encoding.js";

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
  if (/^\s*[[{<]/.test(text) || countNuls(text) > text.length / MAX_NUL_SHARE) return undefined;
  const physical = text.split(/\r\n|\n|\r/, HEADER_LINES * 4);
  const lines = physical.filter((line) => line.trim() !== "").slice(0, HEADER_LINES);
  const first = lines[0];
  if (first === undefined) return undefined;
  const versionLine = VERSION_LINE.test(first.replace(/^"|"$/g, "").replace(/[\t,;|"]+$/, ""));
  const versionLines = versionLine ? physical.indexOf(first) + 1 : 0;
  const headerLine = versionLine ? lines[1] : first;
  if (headerLine === undefined || headerLine.includes("\u0000")) return undefined;
  const delimiter = pickDelimiter(headerLine);
  if (delimiter === undefined) return undefined;
  const rows = lines.map((line) => splitLine(line, delimiter));
  return { encoding, delimiter, rows, versionLine, versionLines };
}

/** The delimiter that occurs most in the header line (TAB first on a tie). */
function pickDelimiter(line: string): string | undefined {
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

function splitLine(line: string, delimiter: string): string[] {
  try {
    const records = parse(line, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
    return records[0] ?? [];
  } catch {
    // A header line csv-parse rejects is judged by its raw cells; the stream parse reports it.
    return line.split(delimiter);
  }
}

function countNuls(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\u0000"); i !== -1; i = text.indexOf("\u0000", i + 1)) count++;
  return count;
}
