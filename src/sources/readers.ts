import { jsonlReader, jsonReader, yamlReader } from "./json-listings.js";
import type { SourceReader } from "./source.js";

/**
 * Every listing format, tried in order: the first whose `detect` accepts an input reads it. More specific
 * formats come first (JSONL before JSON, whose first character it shares).
 */
export const readers: SourceReader[] = [jsonlReader, jsonReader, yamlReader];
