import type { SourceItem } from "../model.js";
import { loadExportColumns } from "./column-maps/load-column-maps.js";
import { bestHeaderMatch, resolveHeader } from "./column-maps/match-header.js";
import { NotAListingSourceError, type ReaderOptions, type SourceInput, type SourceReader } from "./source.js";
import { resolveTaobaoLayout } from "./taobao-csv/index.js";
import { readDelimitedListings } from "./taobao-csv/read-delimited.js";
import { sniffCsv } from "./taobao-csv/sniff-csv.js";

const DELIMITED_NAME = /\.(?:csv|tsv|tab|txt)$/i;
/** Header cells are names; a longer first-line cell means the first line is data or prose. */
const MAX_HEADER_CELL = 64;

function expected(): string {
  const names = loadExportColumns().map((map) => map.name);
  return `a CSV/TSV export whose header row names a title column (built-in mappings: ${names.join(", ")}) or matches the config's \`columns:\` mapping`;
}

/**
 * Generic CSV/TSV exports (any encoding and delimiter) mapped by the config's `columns:` or a
 * built-in mapping recognised from the header row. A file counts as delimited text with a header
 * row when a built-in mapping recognises the header, or its name says CSV/TSV (or it is stdin).
 */
export const genericCsvReader: SourceReader = {
  format: "csv",
  detect(input) {
    const sniff = sniffCsv(input.head);
    const header = sniff?.rows[0];
    if (!header || resolveTaobaoLayout(input.head)) return false;
    const cells = header.filter((cell) => cell.trim() !== "");
    if (cells.length < 2 || cells.some((cell) => cell.length > MAX_HEADER_CELL)) return false;
    return bestHeaderMatch(header, loadExportColumns()) !== undefined || DELIMITED_NAME.test(input.name) || input.name === "-";
  },
  read: (input, options) => readGenericCsv(input, options),
};

async function* readGenericCsv(input: SourceInput, options: ReaderOptions): AsyncGenerator<SourceItem> {
  const sniff = sniffCsv(input.head);
  const header = sniff?.rows[0];
  if (!sniff || !header) throw new NotAListingSourceError(input.name, expected());
  const { match, missing } = resolveHeader(header, loadExportColumns(), options.columns);
  if (!match) throw new NotAListingSourceError(input.name, expected());
  for (const message of missing) {
    yield { kind: "problem", problem: { code: "csv/missing-column", message, source: { file: input.name, line: 1 } }, skipped: false };
  }
  yield* readDelimitedListings(input, { sniff, headerRecords: 1, header, match, conventions: "generic" });
}
