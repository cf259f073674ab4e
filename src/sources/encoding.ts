import type { Readable } from "node:stream";
import iconv from "iconv-lite";
import { hasUtf8Bom, type TextEncoding } from "../util/text-encoding.js";
import type { SourceInput } from "./source.js";

/** Opens the input as text in the given encoding, BOM included (JSON and YAML readers drop it). */
export function openText(input: Pick<SourceInput, "open">, encoding: TextEncoding): AsyncIterable<string> {
  if (encoding === "utf-8") return input.open().setEncoding("utf8") as AsyncIterable<string>;
  const decoder = iconv.decodeStream(encoding, { stripBOM: false });
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
  const decoder = iconv.decodeStream(encoding);
  const source = input.open();
  source.on("error", (error) => decoder.emit("error", error));
  return encodeUtf8(source.pipe(decoder) as unknown as Readable);
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


async function* encodeUtf8(stream: Readable): AsyncGenerator<Buffer> {
  for await (const text of stream as AsyncIterable<string>) {
    if (text.length > 0) yield Buffer.from(text, "utf8");
  }
}
