import type { Readable } from "node:stream";
import iconv from "iconv-lite";
import { hasUtf8Bom, type TextEncoding } from "../util/text-encoding.js";
import type { SourceInput } from "./source.js";

/**
 * Opens the input as text in an iconv-lite encoding (a TextEncoding, or a page charset such as
 * windows-1252), BOM included: the JSON, YAML and HTML-table readers drop it themselves.
 */
export function openText(input: Pick<SourceInput, "open">, encoding: TextEncoding | string): AsyncIterable<string> {
  if (encoding === "utf-8") return input.open().setEncoding("utf8") as AsyncIterable<string>;
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
 * Opens the input as UTF-8 byte chunks (what csv-parse works on), BOM removed. UTF-8 input passes
 * through untouched; bytes that are not valid in the detected encoding become U+FFFD, which the
 * readers report per record.
 */
export function openUtf8Chunks(input: Pick<SourceInput, "open">, encoding: TextEncoding): AsyncIterable<Buffer> {
  if (encoding === "utf-8") return stripUtf8Bom(input.open());
  return encodeUtf8(decodeStream(input, encoding, true));
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

async function* encodeUtf8(texts: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const text of texts) {
    if (text.length > 0) yield Buffer.from(text, "utf8");
  }
}
