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

/** exceljs's parse-sax (same events, same batching) with one streaming UTF-8 decoder per document. */
function streamingParseSax(SaxesParser: new () => SaxesParserLike) {
  return async function* parseSax(input: AsyncIterable<Buffer | string> | Readable): AsyncGenerator<SaxEvent[]> {
    const iterable = Symbol.asyncIterator in input ? input : (input as Readable).pipe(new PassThrough());
    const parser = new SaxesParser();
    const decoder = new TextDecoder("utf-8");
    let error: unknown;
    let events: SaxEvent[] = [];
    parser.on("error", (e) => (error = e));
    for (const eventType of ["opentag", "text", "closetag"] as const) parser.on(eventType, (value) => events.push({ eventType, value }));
    const feed = function* (text: string): Generator<SaxEvent[]> {
      parser.write(text);
      if (error) throw error;
      yield events;
      events = [];
    };
    for await (const chunk of iterable as AsyncIterable<Buffer | string>) {
      yield* feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) yield* feed(rest);
  };
}
