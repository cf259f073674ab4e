import { jsonlReader, jsonReader, yamlReader } from "./json-listings.js";
import { genericCsvReader } from "./generic-csv.js";
import type { SourceReader } from "./source.js";
import { taobaoCsvReader } from "./taobao-csv/index.js";
import { xlsxReader } from "./xlsx.js";

/**
 * Every listing format, tried in order: the first whose `detect` accepts an input reads it. More specific
 * formats come first (JSONL before JSON, whose first character it shares; 淘宝助理 CSV before generic CSV).
 */
export const readers: SourceReader[] = [jsonlReader, jsonReader, yamlReader, xlsxReader, taobaoCsvReader, genericCsvReader];
