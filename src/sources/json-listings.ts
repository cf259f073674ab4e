import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { isMap, isSeq, LineCounter, type Node } from "yaml";
import type { ProblemCode, SourceItem, SourceLocation } from "../model.js";
import { createAliasMeter, MAX_ALIAS_COUNT, MAX_ALIAS_EXPANSION, parseYamlText } from "../util/yaml-document.js";
import { FileTooLargeError, readStreamCapped } from "../util/capped-read.js";
import { decodeHead, detectEncoding, type TextEncoding } from "../util/text-encoding.js";
import { decodeMarkedBytes, holdsUndecodable } from "./decode-damage.js";
import { openMarkedText } from "./encoding.js";
import { splitJsonListings } from "./json-splitter.js";
import { checkListing } from "./listing-schema.js";
import { NotAListingSourceError, type SourceInput, type SourceReader } from "./source.js";

const EXPECTED = "a JSON array of listings or an object with a `listings` array";

/** `[ {...}, ... ]` or `{ "listings": [ ... ] }`, streamed element by element. */
export const jsonReader: SourceReader = {
  format: "json",
  detect: (input) => {
    if (/\.ya?ml$/i.test(input.name)) return false;
    const text = headText(input.head);
    const first = firstSignificantChar(text);
    if (first === "[") return true;
    if (first !== "{") return false;
    // An object is a listing source only with a `listings` array; a broken one still is, to report where.
    if (input.head.length < HEAD_LIMIT) {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && Array.isArray((value as { listings?: unknown }).listings);
      } catch {
        return /"listings"\s*:/.test(text);
      }
    }
    return /"listings"\s*:/.test(text);
  },
  async *read(input) {
    let row = 0;
    for await (const event of splitJsonListings(decodeChunks(input))) {
      if (event.kind === "element") {
        row++;
        yield* parseRecord(event.text, { file: input.name, row, line: event.line }, "json", encodingOf(input));
      } else if (event.kind === "error") {
        yield problem(
          "json/syntax-error",
          `${event.message}; the rest of the file is not read`,
          { file: input.name, line: event.line },
          false,
        );
      } else if (!event.listings) {
        throw new NotAListingSourceError(input.name, `${EXPECTED}, found ${event.shape}`);
      }
    }
  },
};

/** One JSON object per line; blank lines are ignored. Read line by line. */
export const jsonlReader: SourceReader = {
  format: "jsonl",
  detect: (input) => {
    if (/\.(jsonl|ndjson)$/i.test(input.name)) return true;
    const lines = headText(input.head).split("\n");
    const nonBlank = lines.filter((l) => l.trim() !== "");
    const first = nonBlank[0]?.trim();
    if (!first?.startsWith("{")) return false;
    // Without the extension, the first line must be a record itself (not a one-line wrapper object).
    const isLastInHead = nonBlank.length === 1 && !headText(input.head).endsWith("\n");
    if (isLastInHead && input.head.length >= HEAD_LIMIT) return false;
    try {
      const value: unknown = JSON.parse(first);
      return (
        typeof value === "object" && value !== null && !Array.isArray(value) && ("id" in value || "title" in value)
      );
    } catch {
      return false;
    }
  },
  async *read(input) {
    const lines = createInterface({ input: Readable.from(decodeChunks(input)), crlfDelay: Infinity });
    let line = 0;
    let row = 0;
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (text.trim() === "") continue;
      row++;
      yield* parseRecord(text, { file: input.name, row, line }, "jsonl", encodingOf(input));
    }
  },
};

/** A YAML sequence of listings or `listings: [...]`. YAML cannot be streamed, so the file is read whole. */
export const yamlReader: SourceReader = {
  format: "yaml",
  detect: (input) => {
    if (/\.ya?ml$/i.test(input.name)) return input.head.length >= HEAD_LIMIT || hasListingShape(headText(input.head));
    const first = headText(input.head)
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "" && !l.startsWith("#") && l !== "---");
    return first !== undefined && (first.startsWith("- ") || first === "-" || /^listings\s*:/.test(first));
  },
  async *read(input) {
    let text: string;
    try {
      text = decodeMarkedBytes(await readStreamCapped(input.open(), MAX_YAML_BYTES), encodingOf(input)).replace(
        /^\uFEFF/,
        "",
      );
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      const message = `the file is ${error.message}, the most a YAML listing file may hold (YAML is read whole); write the listings as JSON or JSONL, which are streamed`;
      yield problem("yaml/too-large", message, { file: input.name }, true);
      return;
    }
    const lineCounter = new LineCounter();
    const parsed = parseYamlText(text, { lineCounter, uniqueKeys: false });
    const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
    if (!parsed.ok) {
      yield problem(
        "yaml/too-deep",
        `${parsed.message}; the file is not read`,
        { file: input.name, line: lineAt(parsed.offset) },
        true,
      );
      return;
    }
    const doc = parsed.doc;
    const errorLines = doc.errors.map((e) => lineAt(e.pos[0]));
    for (const [i, e] of doc.errors.entries()) {
      yield problem(
        "yaml/syntax-error",
        e.message.split("\n")[0] ?? e.message,
        { file: input.name, line: errorLines[i] },
        true,
      );
    }
    const root = doc.contents;
    let seq: unknown = root;
    if (isMap(root)) seq = root.get("listings", true);
    if (!isSeq(seq)) {
      if (doc.errors.length > 0) return;
      const found = isMap(root) ? "a mapping without a `listings` sequence" : "no sequence";
      throw new NotAListingSourceError(
        input.name,
        `a YAML sequence of listings or a mapping with \`listings\`, found ${found}`,
      );
    }
    const aliasCost = createAliasMeter(doc);
    let expanded = 0;
    let row = 0;
    for (const item of seq.items) {
      row++;
      const node = item as Node | null;
      const range = node?.range;
      const source: SourceLocation = { file: input.name, row, ...(range ? { line: lineAt(range[0]) } : {}) };
      // An item that a syntax error falls inside was already reported with that error.
      if (range && doc.errors.some((e) => e.pos[0] >= range[0] && e.pos[0] <= range[2])) continue;
      if (range && holdsUndecodable(text.slice(range[0], range[2]))) {
        yield problem("yaml/undecodable", undecodableMessage(encodingOf(input)), source, true);
        continue;
      }
      const cost = node === null ? 0 : aliasCost(node);
      if (expanded + cost > MAX_ALIAS_EXPANSION) {
        const message = `the file's aliases would expand to more than ${MAX_ALIAS_EXPANSION} characters with this record's (an alias bomb); the record is skipped: write the values out`;
        yield problem("yaml/too-many-aliases", message, source, true);
        continue;
      }
      expanded += cost;
      let value: unknown;
      try {
        value = node === null ? null : node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        yield problem("yaml/syntax-error", (error as Error).message, source, true);
        continue;
      }
      yield* checked(value, source);
    }
  },
};

const HEAD_LIMIT = 1024 * 1024;
/** YAML cannot be streamed: parsing holds ~35 bytes of memory per byte of text (113 MB took 4 GB). */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;

/** A whole YAML text is a listing source if it is a sequence or has `listings`; broken YAML is, to report where. */
function hasListingShape(text: string): boolean {
  const parsed = parseYamlText(text, { uniqueKeys: false });
  if (!parsed.ok || parsed.doc.errors.length > 0) return true;
  const doc = parsed.doc;
  const root = doc.contents;
  return isSeq(root) || (isMap(root) && isSeq(root.get("listings", true)));
}

/** The problem codes of a JSON or JSONL record, written out so that a search for a code finds where it is made. */
const RECORD_PROBLEM_CODES = {
  json: { syntax: "json/syntax-error", undecodable: "json/undecodable" },
  jsonl: { syntax: "jsonl/syntax-error", undecodable: "jsonl/undecodable" },
} as const satisfies Record<string, { syntax: ProblemCode; undecodable: ProblemCode }>;

function* parseRecord(
  text: string,
  source: SourceLocation,
  format: keyof typeof RECORD_PROBLEM_CODES,
  encoding: TextEncoding,
): Generator<SourceItem> {
  const codes = RECORD_PROBLEM_CODES[format];
  if (holdsUndecodable(text)) {
    yield problem(codes.undecodable, undecodableMessage(encoding), source, true);
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const offsetLines = position === undefined ? 0 : countNewlines(text, Number(position));
    yield problem(codes.syntax, message, { ...source, line: (source.line ?? 1) + offsetLines }, true);
    return;
  }
  yield* checked(value, source);
}

function* checked(value: unknown, source: SourceLocation): Generator<SourceItem> {
  const check = checkListing(value, source);
  if (check.ok) yield { kind: "listing", record: { listing: check.listing, source } };
  else yield { kind: "problem", problem: check.problem, skipped: true };
}

/** Only bytes that did not decode: a U+FFFD or C1 control the text holds is text like any other. */
function undecodableMessage(encoding: TextEncoding): string {
  return `the record holds bytes that are not valid ${encoding}; the record is skipped`;
}

function encodingOf(input: SourceInput): TextEncoding {
  return detectEncoding(input.head);
}

function problem(code: ProblemCode, message: string, source: SourceLocation, skipped: boolean): SourceItem {
  return { kind: "problem", problem: { code, message, source }, skipped };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < text.length; i++) if (text.charCodeAt(i) === 0x0a) n++;
  return n;
}

const headTexts = new WeakMap<Buffer, string>();

/**
 * The head as text, decoded as exports are (encoding.ts): JSON and YAML written on Windows come as UTF-16
 * (PowerShell) or GBK (Notepad's ANSI), and UTF-16 bytes must not pass for ASCII (宝 in UTF-16BE is "[").
 */
function headText(head: Buffer): string {
  let text = headTexts.get(head);
  if (text === undefined) {
    text = decodeHead(head, detectEncoding(head)).replace(/^\uFEFF/, "");
    headTexts.set(head, text);
  }
  return text;
}

function firstSignificantChar(text: string): string | undefined {
  return /\S/.exec(text)?.[0];
}

function decodeChunks(input: SourceInput): AsyncIterable<string> {
  return openMarkedText(input, detectEncoding(input.head));
}
