import type { Readable } from "node:stream";
import iconv from "iconv-lite";
import { decodeLineWise, hasUtf8Bom, type TextEncoding } from "../util/text-encoding.js";
import {
  DamagedLines,
  decodeMarkingInvalidUtf8,
  decodeUtf8Marked,
  INVALID_MARK,
  replaceMarkingLoneSurrogates,
} from "./decode-damage.js";
import type { SourceInput } from "./source.js";

/**
 * Opens the input as text in an iconv-lite encoding (a TextEncoding, or a page charset such as
 * windows-1252), BOM included: the JSON, YAML and HTML-table readers drop it themselves.
 */
export function openText(input: Pick<SourceInput, "open">, encoding: TextEncoding | string): AsyncIterable<string> {
  if (encoding === "utf-8") return input.open().setEncoding("utf8") as AsyncIterable<string>;
  if (isDoubleByte(encoding)) return unmark(decodeLineByLine(input, encoding, false));
  return decodeStream(input, encoding, false);
}

/** The input through iconv-lite's decoder; a read error of the file reaches whoever iterates. */
function decodeStream(input: Pick<SourceInput, "open">, encoding: string, stripBOM: boolean): AsyncIterable<string> {
  const decoder = iconv.decodeStream(encoding, { stripBOM });
  const source = input.open();
  source.on("error", (error) => decoder.emit("error", error));
  return source.pipe(decoder) as unknown as AsyncIterable<string>;
}

/**
 * Opens the input as text in its detected encoding, BOM included, with each byte that does not decode
 * as INVALID_MARK instead of U+FFFD: the JSON and YAML readers skip the records that hold one and keep
 * the records that hold a U+FFFD of their own.
 */
export function openMarkedText(input: Pick<SourceInput, "open">, encoding: TextEncoding): AsyncIterable<string> {
  if (encoding === "utf-8") return decodeUtf8Marked(input.open() as AsyncIterable<Buffer>);
  if (isDoubleByte(encoding)) return decodeLineByLine(input, encoding, false);
  return decodeStream(input, encoding, false);
}

/** An input as decoded text chunks, with the lines that held bytes not valid in its encoding. */
export interface CheckedText {
  chunks: AsyncIterable<string>;
  /** Filled as `chunks` is read: ask it about a record once the record has come out of the chunks. */
  damage: DamagedLines;
}

/**
 * Opens the input as decoded text chunks (what the CSV reader splits), BOM removed. Bytes that are not
 * valid in the detected encoding become U+FFFD and their lines are marked, so that a U+FFFD the text
 * itself holds is kept as the text it is.
 */
export function openCheckedText(input: Pick<SourceInput, "open">, encoding: TextEncoding): CheckedText {
  const damage = new DamagedLines();
  if (encoding === "utf-8") return { chunks: decodeMarkingInvalidUtf8(stripUtf8Bom(input.open()), damage), damage };
  const texts = isDoubleByte(encoding) ? decodeLineByLine(input, encoding, true) : decodeMarked(input, encoding);
  return { chunks: replaceMarkingLoneSurrogates(texts, damage), damage };
}

function isDoubleByte(encoding: string): encoding is "gb18030" | "big5hkscs" {
  return encoding === "gb18030" || encoding === "big5hkscs";
}

/**
 * A GB18030 (or Big5) file decoded a line at a time (decodeLineWise), so that lines of a UTF-8 export
 * appended to it are read as UTF-8. Invalid bytes come out as INVALID_MARK (see replaceMarkingLoneSurrogates).
 */
async function* decodeLineByLine(
  input: Pick<SourceInput, "open">,
  encoding: "gb18030" | "big5hkscs",
  stripBom: boolean,
): AsyncGenerator<string> {
  let carry = Buffer.alloc(0);
  let atStart = stripBom;
  const decode = (bytes: Buffer): string => {
    let text = decodeLineWise(bytes, encoding, INVALID_MARK);
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  for await (const chunk of input.open() as AsyncIterable<Buffer>) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const end = data.lastIndexOf(LF) + 1;
    // A line longer than any record is decoded as it comes, in the file's encoding.
    const cut = end > 0 ? end : data.length > MAX_HELD_LINE ? data.length : 0;
    carry = Buffer.from(data.subarray(cut));
    if (cut > 0) yield decode(data.subarray(0, cut));
  }
  if (carry.length > 0) yield decode(carry);
}

const LF = 0x0a;
const MAX_HELD_LINE = 16 * 1024 * 1024;

/** The mark, where it is no high half of a valid pair (plane 16 characters start with it too). */
const LONE_MARK = /\uDBFF(?![\uDC00-\uDFFF])/g;

/** Invalid bytes as U+FFFD again, for readers that do not locate them. */
async function* unmark(texts: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const text of texts) yield text.replace(LONE_MARK, "\uFFFD");
}

/** The input decoded, BOM removed, invalid bytes as lone surrogates (see replaceMarkingLoneSurrogates). */
async function* decodeMarked(input: Pick<SourceInput, "open">, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  // The decoder instance reads its replacement from this property (iconv-lite 0.7, dbcs and internal codecs).
  (decoder as unknown as { defaultCharUnicode: string }).defaultCharUnicode = INVALID_MARK;
  let atStart = true;
  for await (const chunk of input.open() as AsyncIterable<Buffer>) {
    let text = decoder.write(chunk);
    if (atStart && text.length > 0) {
      atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

async function* stripUtf8Bom(stream: Readable): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let stripped = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (stripped) {
      yield chunk;
      continue;
    }
    // Gather three bytes first: a BOM cut across chunks must still be seen.
    head = Buffer.concat([head, chunk]);
    if (head.length < 3) continue;
    stripped = true;
    yield hasUtf8Bom(head) ? head.subarray(3) : head;
  }
  if (!stripped && head.length > 0) yield head;
}
