import { createRequire, Module } from "node:module";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";

type ExcelJs = typeof import("exceljs");

interface SaxEvent {
  eventType: "opentag" | "text" | "closetag";
  value: unknown;
}

interface SaxesParserLike {
  on(event: string, listener: (value: unknown) => void): void;
  write(text: string): void;
}

const require = createRequire(import.meta.url);
let loaded: ExcelJs | undefined;

/**
 * exceljs with whole characters. Its streaming reader (4.4, the latest) decodes every inflated chunk of a
 * sheet or of the shared strings on its own (`lib/utils/parse-sax.js`), so a Chinese character that
 * straddles two chunks becomes U+FFFD: about one cell in fifty on a large Chinese workbook (exceljs
 * issues #2063, #2084, #2316; the fixes are unmerged). Here exceljs is loaded with that one module
 * replaced by one that decodes the chunks as a single stream. A copy of exceljs someone else loaded
 * earlier in the process stays as it was, and so does the module cache.
 */
export function loadExcelJs(): ExcelJs {
  if (loaded) return loaded;
  const root = path.dirname(require.resolve("exceljs/package.json")) + path.sep;
  const parseSaxPath = require.resolve("exceljs/lib/utils/parse-sax.js");
  const { SaxesParser } = createRequire(parseSaxPath)("saxes") as { SaxesParser: new () => SaxesParserLike };
  const theirs = new Map<string, NodeJS.Module | undefined>();
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(root)) theirs.set(key, require.cache[key]);
  }
  for (const key of theirs.keys()) delete require.cache[key];
  const patched = new Module(parseSaxPath);
  patched.filename = parseSaxPath;
  patched.loaded = true;
  patched.exports = streamingParseSax(SaxesParser);
  require.cache[parseSaxPath] = patched;
  try {
    loaded = require("exceljs") as ExcelJs;
    return loaded;
  } finally {
    for (const key of Object.keys(require.cache)) if (key.startsWith(root)) delete require.cache[key];
    for (const [key, module] of theirs) require.cache[key] = module;
  }
}

/**
 * Cells past this column are dropped before exceljs sees them. exceljs keeps a row's cells in an array
 * indexed by column, so a row whose one cell stands in column XFD costs 16,384 slots, several times
 * over (20,000 such rows took 77 s); no export has a column this far right that matters, and the
 * readers look no further for header names either (sheet-rows.ts, MAX_HEADER_COLUMNS).
 */
export const MAX_SHEET_COLUMN = 1024;

/** Drops the events of `<c>` elements whose reference (`r="XFD2"`) lies past MAX_SHEET_COLUMN. */
class FarCellFilter {
  private skipping = false;

  filter(events: SaxEvent[]): SaxEvent[] {
    if (!this.skipping && !events.some((event) => event.eventType === "opentag" && nameOf(event.value) === "c"))
      return events;
    const kept: SaxEvent[] = [];
    for (const event of events) {
      if (this.skipping) {
        if (event.eventType === "closetag" && nameOf(event.value) === "c") this.skipping = false;
        continue;
      }
      if (event.eventType === "opentag" && nameOf(event.value) === "c" && columnOf(event.value) > MAX_SHEET_COLUMN) {
        this.skipping = true;
        continue;
      }
      kept.push(event);
    }
    return kept;
  }
}

function nameOf(node: unknown): unknown {
  return (node as { name?: unknown } | null)?.name;
}

/** The column number of a cell reference's letters (`XFD2` → 16384); 0 without a reference. */
function columnOf(node: unknown): number {
  const reference = (node as { attributes?: { r?: unknown } } | null)?.attributes?.r;
  if (typeof reference !== "string") return 0;
  let column = 0;
  for (let i = 0; i < reference.length && i < 4; i++) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

/** exceljs's parse-sax (same events, same batching) with one streaming UTF-8 decoder per document. */
function streamingParseSax(SaxesParser: new () => SaxesParserLike) {
  return async function* parseSax(input: AsyncIterable<Buffer | string> | Readable): AsyncGenerator<SaxEvent[]> {
    const iterable = Symbol.asyncIterator in input ? input : (input as Readable).pipe(new PassThrough());
    const parser = new SaxesParser();
    const decoder = new TextDecoder("utf-8");
    let error: unknown;
    let events: SaxEvent[] = [];
    parser.on("error", (e) => (error = e));
    for (const eventType of ["opentag", "text", "closetag"] as const)
      parser.on(eventType, (value) => events.push({ eventType, value }));
    const farCells = new FarCellFilter();
    const feed = function* (text: string): Generator<SaxEvent[]> {
      parser.write(text);
      if (error) throw error;
      yield farCells.filter(events);
      events = [];
    };
    for await (const chunk of iterable as AsyncIterable<Buffer | string>) {
      yield* feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) yield* feed(rest);
  };
}
