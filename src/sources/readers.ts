import { jsonlReader, jsonReader, yamlReader } from "./json-listings.js";
import { legacyWorkbookReader } from "./legacy-workbook.js";
import { genericCsvReader } from "./generic-csv.js";
import { htmlTableReader } from "./html-table.js";
import type { SourceReader } from "./source.js";
import { taobaoCsvReader } from "./taobao-csv/index.js";
import { xlsxReader } from "./xlsx.js";

/**
 * Every listing format, tried in order: the first whose `detect` accepts an input reads it. More specific
 * formats come first (HTML tables saved as Excel exports before HTML pages; JSONL before JSON, whose first
 * character it shares; 淘宝助理 CSV before generic CSV).
 */
export const readers: SourceReader[] = [
  htmlTableReader,
  jsonlReader,
  jsonReader,
  yamlReader,
  xlsxReader,
  legacyWorkbookReader,
  taobaoCsvReader,
  genericCsvReader,
];

/**
 * The formats in the order a run tries them, with the HTML page reader configured for the run: after
 * the HTML tables saved as Excel exports, which are HTML too, and before the listing formats, so the
 * index of a --save-pages folder is read as saved pages and not as JSONL listings.
 */
export function readersWith(pageReader: SourceReader): SourceReader[] {
  return [htmlTableReader, pageReader, ...readers.filter((r) => r !== htmlTableReader)];
}
