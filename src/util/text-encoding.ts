import { isUtf8 as isValidUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/** Text encodings that seller tools write exports in. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "big5hkscs";

/** How many leading bytes the UTF-16 NUL-pattern test looks at. */
const NUL_SAMPLE_BYTES = 64 * 1024;

const detected = new WeakMap<Buffer, TextEncoding>();

/**
 * Detects the encoding from the first bytes (up to 1 MiB): a BOM decides; without one, NUL bytes
 * concentrated on odd (LE) or even (BE) offsets mean UTF-16 — delimiters, quotes, digits and line
 * breaks are ASCII, so even a Chinese-only export has them; then strict UTF-8; else GB18030, the
 * superset of GBK that Chinese Windows tools write — unless the text reads far better as Big5 (Taiwan
 * and Hong Kong tools). Remembered per buffer: every reader's `detect` asks.
 */
export function detectEncoding(head: Buffer): TextEncoding {
  let encoding = detected.get(head);
  if (encoding === undefined) {
    encoding = detect(head);
    detected.set(head, encoding);
  }
  return encoding;
}

function detect(head: Buffer): TextEncoding {
  if (hasUtf8Bom(head)) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  const utf16 = detectUtf16ByNuls(head.subarray(0, NUL_SAMPLE_BYTES));
  if (utf16) return utf16;
  if (isUtf8(head) || isDamagedUtf8(head)) return "utf-8";
  return readsAsBig5(head.subarray(0, BIG5_SAMPLE_BYTES)) ? "big5hkscs" : "gb18030";
}

/** Enough Chinese text to tell GBK from Big5 by their frequent characters. */
const BIG5_SAMPLE_BYTES = 64 * 1024;
/** Big5 must read this many times better than GB18030: the Chinese market's encoding wins any doubt. */
const BIG5_MARGIN = 3;

/**
 * GBK bytes read as Big5 (and Big5 bytes as GBK) give rare characters and U+FFFD; the right reading
 * gives the frequent ones.
 */
function readsAsBig5(sample: Buffer): boolean {
  const big5 = scoreHan(iconv.decode(sample, "big5hkscs"));
  const gb = scoreHan(iconv.decode(sample, "gb18030"));
  return big5 > 0 && big5 > BIG5_MARGIN * Math.max(gb, 1);
}

/** Frequent characters (simplified and traditional) for telling GB18030 from Big5 when nothing declares it. */
const COMMON_HAN = new Set(
  "的一是不了在人有我他这個个们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日军軍者意无無力它与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并並物手应應战戰向头頭文体體政美相见見被利什二等产產或新己制身果加西斯月话話合回特代内內信表化老给給免费費包邮郵运運货貨价價商品".split(
    "",
  ),
);

/** How much a text reads like Chinese: frequent characters count for it, U+FFFD against it. */
export function scoreHan(text: string): number {
  let score = 0;
  for (const ch of text) {
    if (COMMON_HAN.has(ch)) score += 1;
    else if (ch === "\ufffd") score -= 5;
  }
  return score;
}

/**
 * Mostly valid UTF-8 with a few broken sequences (a truncated cell, a pasted GBK fragment) is UTF-8:
 * read as GB18030 every record would turn to mojibake, read as UTF-8 only the damaged ones are lost.
 * GBK text does form valid UTF-8 sequences by chance, but far fewer than it breaks.
 */
function isDamagedUtf8(head: Buffer): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < head.length; ) {
    const lead = head[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > head.length || !isContinuation(head, i + 1, length - 1)) {
      invalid += 1;
      i += 1;
      continue;
    }
    valid += 1;
    i += length;
  }
  return valid >= UTF8_MIN_SEQUENCES && valid >= UTF8_DAMAGE_RATIO * invalid;
}

/**
 * Valid multi-byte UTF-8 sequences needed per broken one to call the text damaged UTF-8: Chinese GBK
 * text runs at about 0.2, a short GBK line at most a little over 1.
 */
const UTF8_DAMAGE_RATIO = 4;
const UTF8_MIN_SEQUENCES = 16;

function isContinuation(bytes: Buffer, from: number, count: number): boolean {
  for (let k = from; k < from + count; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) return false;
  return true;
}

function detectUtf16ByNuls(sample: Buffer): TextEncoding | undefined {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  const pairs = Math.floor(sample.length / 2);
  // CJK code points occasionally have a zero byte too, so demand a clear majority on one side.
  const threshold = Math.max(1, pairs * 0.02);
  if (odd >= threshold && odd > 4 * even) return "utf-16le";
  if (even >= threshold && even > 4 * odd) return "utf-16be";
  return undefined;
}

function isUtf8(head: Buffer): boolean {
  try {
    // `stream: true` keeps a character cut at the end of the sample from counting as invalid.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Decodes the sniffing sample (BOM removed); a character cut at the end may decode to U+FFFD. */
export function decodeHead(head: Buffer, encoding: TextEncoding): string {
  if (encoding === "gb18030" || encoding === "big5hkscs")
    return decodeLineWise(head, encoding, "\uFFFD").replace(/^\uFEFF/, "");
  return iconv.decode(head, encoding);
}

const LF = 0x0a;

/**
 * GB18030 (or Big5) text decoded line by line, where each line that reads as Chinese UTF-8 is decoded
 * as UTF-8: a GBK export with a UTF-8 export appended (two downloads joined) is sniffed as GB18030,
 * and would otherwise turn the UTF-8 half into mojibake without a word. LF bytes split lines safely: no
 * GB18030 or Big5 sequence holds one. Bytes that do not decode become `invalid`. Consecutive lines of
 * one kind are decoded at once.
 */
export function decodeLineWise(bytes: Buffer, encoding: "gb18030" | "big5hkscs", invalid: string): string {
  let text = "";
  let runStart = 0;
  let runUtf8 = false;
  for (let start = 0; start < bytes.length; ) {
    const next = bytes.indexOf(LF, start);
    const end = next === -1 ? bytes.length : next + 1;
    const utf8 = readsAsUtf8(bytes.subarray(start, end));
    if (utf8 !== runUtf8 && start > runStart) {
      text += decodeRun(bytes.subarray(runStart, start), runUtf8, encoding, invalid);
      runStart = start;
    }
    runUtf8 = utf8;
    start = end;
  }
  return text + decodeRun(bytes.subarray(runStart), runUtf8, encoding, invalid);
}

function decodeRun(bytes: Buffer, utf8: boolean, encoding: string, invalid: string): string {
  if (bytes.length === 0) return "";
  if (utf8) return bytes.toString("utf8");
  const decoder = iconv.getDecoder(encoding, { stripBOM: false });
  // The decoder instance reads its replacement from this property (iconv-lite 0.7's double-byte codec).
  (decoder as unknown as { defaultCharUnicode: string }).defaultCharUnicode = invalid;
  return decoder.write(bytes) + (decoder.end() ?? "");
}

/**
 * Valid UTF-8 holding at least two CJK characters (lead bytes E4–E9, U+4E00–U+9FFF): GBK text forms
 * valid UTF-8 only by chance, and two such characters in a line of otherwise valid UTF-8 hardly ever.
 */
function readsAsUtf8(line: Buffer): boolean {
  let han = 0;
  for (let i = 0; i < line.length && han < 2; i++) {
    const byte = line[i] as number;
    if (byte >= 0xe4 && byte <= 0xe9) han++;
  }
  return han >= 2 && isValidUtf8(line);
}

/**
 * A whole file's text, decoded as exports are (see detectEncoding): config and template files written
 * on Windows come as UTF-16 (PowerShell) or GBK (Notepad's ANSI) as often as UTF-8. BOM removed.
 */
export function decodeFileText(bytes: Buffer): string {
  return decodeHead(bytes, detectEncoding(bytes)).replace(/^\uFEFF/, "");
}

export function hasUtf8Bom(bytes: Buffer): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
