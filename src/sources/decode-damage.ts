import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { decodeLineWise, type TextEncoding } from "../util/text-encoding.js";

/**
 * The physical lines of an input that held bytes not valid in its encoding, as far as it was read.
 * Readers cannot tell such bytes from the text itself: decoded, they are U+FFFD, and U+FFFD (like a C1
 * control) is also valid text that an earlier tool left in a title. So the decoding marks the lines,
 * and a record is damaged only when one of its lines is marked. Lines count as csv-records counts
 * them: LF, CRLF and a lone CR each end one.
 */
export class DamagedLines {
  private readonly lines: number[] = [];
  private first = 0;

  mark(line: number): void {
    if (this.lines[this.lines.length - 1] !== line) this.lines.push(line);
  }

  /** Whether a line in [from, to] was marked. Asked in line order: lines before `from` are let go. */
  within(from: number, to: number): boolean {
    while (this.first < this.lines.length && (this.lines[this.first] as number) < from) this.first++;
    if (this.first > 1024) {
      this.lines.splice(0, this.first);
      this.first = 0;
    }
    const next = this.lines[this.first];
    return next !== undefined && next <= to;
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Counts line breaks across chunks; a CR that ends a chunk waits to see whether an LF follows. */
class LineTracker {
  line = 1;
  private pendingCr = false;

  /** Call with each code unit or byte in order; returns the line the unit stands on. */
  step(unit: number, next: number | undefined): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (unit !== LF) this.line++;
    }
    if (unit === LF) this.line++;
    else if (unit === CR) {
      if (next === undefined) this.pendingCr = true;
      else if (next !== LF) this.line++;
    }
  }

  /** The same as stepping through `bytes`, faster: only the line breaks are visited. */
  skipBytes(bytes: Uint8Array & { indexOf(value: number, from?: number): number }): void {
    if (bytes.length === 0) return;
    this.step(bytes[0] as number, bytes[1]);
    for (let i = bytes.indexOf(LF, 1); i !== -1; i = bytes.indexOf(LF, i + 1)) this.line++;
    for (let i = bytes.indexOf(CR, 1); i !== -1; i = bytes.indexOf(CR, i + 1)) this.step(CR, bytes[i + 1]);
  }

  skipText(text: string): void {
    if (text.length === 0) return;
    this.step(text.charCodeAt(0), text.length > 1 ? text.charCodeAt(1) : undefined);
    for (let i = text.indexOf("\n", 1); i !== -1; i = text.indexOf("\n", i + 1)) this.line++;
    for (let i = text.indexOf("\r", 1); i !== -1; i = text.indexOf("\r", i + 1)) {
      this.step(CR, i + 1 < text.length ? text.charCodeAt(i + 1) : undefined);
    }
  }
}

/**
 * Decodes UTF-8 chunks, each invalid sequence as U+FFFD (as Buffer#toString decodes it), and marks
 * the lines of the invalid sequences. A chunk that is valid as a whole (nearly all) costs one native
 * check and a count of its line breaks; a sequence a chunk cuts off waits for the next chunk.
 */
export async function* decodeMarkingInvalidUtf8(
  chunks: AsyncIterable<Buffer>,
  damage: DamagedLines,
): AsyncGenerator<string> {
  const lines = new LineTracker();
  let carry = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = completeLength(data);
    const body = data.subarray(0, whole);
    if (isUtf8(body)) lines.skipBytes(body);
    else markBytes(body, lines, damage);
    carry = Buffer.from(data.subarray(whole));
    if (whole > 0) yield body.toString("utf8");
  }
  // A sequence cut off by the end of the file.
  if (carry.length > 0) {
    damage.mark(lines.line);
    yield carry.toString("utf8");
  }
}

function markBytes(bytes: Buffer, lines: LineTracker, damage: DamagedLines): void {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      lines.step(lead, bytes[i + 1]);
      i += 1;
      continue;
    }
    const length = sequenceLength(lead);
    if (length > 0 && isUtf8(bytes.subarray(i, i + length))) {
      i += length;
      continue;
    }
    damage.mark(lines.line);
    i += 1;
  }
}

/** Bytes of `data` up to the start of a multi-byte sequence that the chunk cuts off. */
function completeLength(data: Buffer): number {
  for (let back = 1; back <= 3 && back <= data.length; back++) {
    const byte = data[data.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const length = sequenceLength(byte);
    return length > back ? data.length - back : data.length;
  }
  return data.length;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Marks the lines of decoded text where the decoder met invalid bytes: they come out as lone surrogates
 * (UTF-16 keeps them; see decodeMarked for the other encodings), which no valid text holds. They are
 * passed on as U+FFFD, the character a decoder shows for bytes it cannot read.
 */
export async function* replaceMarkingLoneSurrogates(
  texts: AsyncIterable<string>,
  damage: DamagedLines,
): AsyncGenerator<string> {
  const lines = new LineTracker();
  let held = "";
  for await (const chunk of texts) {
    let text = held + chunk;
    held = "";
    // A high surrogate at the end may be completed by the next chunk.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      held = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.isWellFormed()) lines.skipText(text);
    else {
      markText(text, lines, damage);
      text = text.toWellFormed();
    }
    if (text.length > 0) yield text;
  }
  if (held !== "") {
    damage.mark(lines.line);
    yield "\uFFFD";
  }
}

function markText(text: string, lines: LineTracker, damage: DamagedLines): void {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : undefined;
    if (unit >= 0xd800 && unit <= 0xdbff && next !== undefined && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdfff) damage.mark(lines.line);
    else lines.step(unit, next);
  }
}

/**
 * The mark a decoder leaves for bytes it cannot decode: a lone surrogate, which no decoded text holds
 * (UTF-16 keeps its own lone surrogates as they are), unlike U+FFFD, which a text may hold.
 */
export const INVALID_MARK = "\uDBFF";

/** Whether decoded text holds the mark of undecodable bytes (a lone surrogate). */
export function holdsUndecodable(text: string): boolean {
  // A lone surrogate is exactly what makes a string not well-formed.
  return !text.isWellFormed();
}

/** UTF-8 chunks decoded with INVALID_MARK for each invalid byte; a chunk that is valid as a whole decodes natively. */
export async function* decodeUtf8Marked(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let carry = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const whole = completeLength(data);
    carry = Buffer.from(data.subarray(whole));
    const text = decodeUtf8Bytes(data.subarray(0, whole));
    if (text.length > 0) yield text;
  }
  if (carry.length > 0) yield INVALID_MARK;
}

/** Bytes that hold whole sequences (or invalid ones), decoded with INVALID_MARK for each invalid byte. */
export function decodeUtf8Bytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  let text = "";
  let runStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    const length = lead < 0x80 ? 1 : sequenceLength(lead);
    if (length > 0 && (length === 1 || isUtf8(bytes.subarray(i, i + length)))) {
      i += length;
      continue;
    }
    text += bytes.subarray(runStart, i).toString("utf8") + INVALID_MARK;
    i += 1;
    runStart = i;
  }
  return text + bytes.subarray(runStart).toString("utf8");
}

/** A whole file's bytes decoded with INVALID_MARK for the bytes that do not decode (see openMarkedText). */
export function decodeMarkedBytes(bytes: Buffer, encoding: TextEncoding): string {
  if (encoding === "utf-8") return decodeUtf8Bytes(bytes);
  if (encoding === "gb18030" || encoding === "big5hkscs") return decodeLineWise(bytes, encoding, INVALID_MARK);
  // UTF-16 keeps lone surrogates as they are.
  return iconv.decode(bytes, encoding, { stripBOM: false });
}
