import type { SourceItem } from "../model.js";
import { loadExportColumns } from "./column-maps/load-column-maps.js";
import { HEADER_SEARCH_ROWS, resolveHeader, type HeaderMatch } from "./column-maps/match-header.js";
import {
  NotAListingSourceError,
  type ColumnMapping,
  type ReaderOptions,
  type SourceInput,
  type SourceReader,
} from "./source.js";
import { ROW_PROBLEM_CODES } from "./record-items.js";
import { resolveTaobaoLayout } from "./taobao-csv/index.js";
import { readDelimitedListings, type DelimitedLayout } from "./taobao-csv/read-delimited.js";
import { pickDelimiter, sniffCsv, splitLine, type CsvSniff } from "./taobao-csv/sniff-csv.js";

const DELIMITED_NAME = /\.(?:csv|tsv|tab|txt)$/i;
/** Header cells are names; a longer first-line cell means the first line is data or prose. */
const MAX_HEADER_CELL = 64;

function expected(): string {
  const names = loadExportColumns().map((map) => map.name);
  return `a CSV/TSV export whose header row (within its first ${HEADER_SEARCH_ROWS} non-blank lines) names a title column (built-in mappings: ${names.join(", ")}) or matches the config's \`columns:\` mapping`;
}

/**
 * Generic CSV/TSV exports (any encoding and delimiter) mapped by the config's `columns:` or a
 * built-in mapping recognised from the header row, which may stand below a report title or export
 * date (as back-ends write them). A file counts as delimited text with a header row when a built-in
 * mapping recognises one of its first lines, or its name says CSV/TSV (or it is stdin).
 */
export const genericCsvReader: SourceReader = {
  format: "csv",
  detect(input) {
    const sniff = sniffCsv(input.head);
    if (!sniff || resolveTaobaoLayout(input.head)) return false;
    if (findHeader(sniff, undefined) !== undefined) return true;
    return (
      (DELIMITED_NAME.test(input.name) || input.name === "-") &&
      headerCandidates(sniff).some((c) => looksLikeHeader(c.cells))
    );
  },
  read: (input, options) => readGenericCsv(input, options),
};

async function* readGenericCsv(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  const sniff = sniffCsv(input.head);
  const found = sniff && findHeader(sniff, options.columns);
  if (!sniff || !found) throw new NotAListingSourceError(input.name, expected());
  for (const message of found.missing) {
    yield {
      kind: "problem",
      problem: { code: ROW_PROBLEM_CODES.csv.missingColumn, message, source: { file: input.name, line: found.line } },
      skipped: false,
    };
  }
  yield* readDelimitedListings(input, layoutOf(sniff, found));
}

/** The layout the reader reads a generic export with (the fixer writes cells back by it); undefined when none. */
export function resolveGenericLayout(head: Buffer, columns?: ColumnMapping): DelimitedLayout | undefined {
  const sniff = sniffCsv(head);
  const found = sniff && !resolveTaobaoLayout(head) ? findHeader(sniff, columns) : undefined;
  return sniff && found ? layoutOf(sniff, found) : undefined;
}

function layoutOf(sniff: CsvSniff, found: FoundHeader): DelimitedLayout {
  return {
    sniff: { ...sniff, delimiter: found.delimiter },
    headerRecords: found.records,
    header: found.cells,
    match: found.match,
    conventions: "generic",
  };
}

interface HeaderCandidate {
  cells: string[];
  delimiter: string;
  /** Position among the head's non-blank lines. */
  index: number;
  line: number;
}

interface FoundHeader extends HeaderCandidate {
  match: HeaderMatch;
  missing: string[];
  /** Records up to and including the header, as the reader will count them (all-blank ones are not). */
  records: number;
}

/** Each of the first non-blank lines split by the delimiter it holds most of. */
function headerCandidates(sniff: CsvSniff): HeaderCandidate[] {
  return sniff.lines.flatMap(({ text, line }, index) => {
    const delimiter = pickDelimiter(text);
    return delimiter === undefined ? [] : [{ cells: splitLine(text, delimiter), delimiter, index, line }];
  });
}

/** The first line the config mapping or a built-in one recognises as the header row. */
function findHeader(sniff: CsvSniff, columns: ColumnMapping | undefined): FoundHeader | undefined {
  for (const candidate of headerCandidates(sniff)) {
    const { match, missing } = resolveHeader(candidate.cells, loadExportColumns(), columns);
    if (!match) continue;
    // A line of bare delimiters above the header is no record to the reader, which skips blank ones.
    const above = sniff.lines
      .slice(0, candidate.index)
      .filter(({ text }) => splitLine(text, candidate.delimiter).some((cell) => cell.trim() !== ""));
    return { ...candidate, match, missing, records: above.length + 1 };
  }
  return undefined;
}

/** Names, not data or prose: at least two cells, none longer than a column name would be. */
function looksLikeHeader(cells: readonly string[]): boolean {
  const named = cells.filter((cell) => cell.trim() !== "");
  return named.length >= 2 && named.every((cell) => cell.length <= MAX_HEADER_CELL);
}
