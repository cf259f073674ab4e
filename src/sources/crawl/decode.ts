import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { scoreHan } from "../../util/text-encoding.js";

/** Decoded page text and the encoding that was used. */
export interface DecodedText {
  text: string;
  encoding: string;
  /** How the encoding was found. */
  from: "bom" | "header" | "meta" | "sniff" | "default";
}

/** WHATWG maps these legacy labels to supersets; iconv-lite knows the supersets by these names. */
const SUPERSETS: Record<string, string> = {
  gb2312: "gb18030",
  gbk: "gb18030",
  "x-gbk": "gb18030",
  gb_2312: "gb18030",
  "gb_2312-80": "gb18030",
  chinese: "gb18030",
  csgb2312: "gb18030",
  "iso-ir-58": "gb18030",
  big5: "big5hkscs",
  "big5-hkscs": "big5hkscs",
  "x-x-big5": "big5hkscs",
  "cn-big5": "big5hkscs",
  csbig5: "big5hkscs",
  "iso-8859-1": "windows-1252",
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  latin1: "windows-1252",
};

/** Decodes an HTML (or XML) body: BOM, then the Content-Type charset, then `<meta>`, then sniffing. */
export function decodeBody(bytes: Uint8Array, contentType?: string): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = encodingFromBom(buffer);
  if (bom) return { text: iconv.decode(buffer, bom), encoding: bom, from: "bom" };
  const declared = supportedEncoding(charsetOf(contentType));
  if (declared) return { text: iconv.decode(buffer, declared), encoding: declared, from: "header" };
  const meta = supportedEncoding(charsetFromMeta(buffer));
  if (meta) return { text: iconv.decode(buffer, meta), encoding: meta, from: "meta" };
  return sniffEncoding(buffer);
}

function encodingFromBom(buffer: Buffer): string | undefined {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return "utf-8";
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return "utf-16le";
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return "utf-16be";
  return undefined;
}

/** The `charset` parameter of a Content-Type value. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = contentType?.match(/;\s*charset\s*=\s*"?([^";\s]+)/i);
  return match?.[1];
}

function supportedEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const key = label.trim().toLowerCase();
  const name = SUPERSETS[key] ?? key;
  // A page served as UTF-16 but declaring it in ASCII <meta> is a contradiction; WHATWG reads utf-8.
  if (name.startsWith("utf-16")) return "utf-8";
  return iconv.encodingExists(name) ? name : undefined;
}

/** The WHATWG prescan, simplified: the first `<meta charset>` or `http-equiv` content charset in the first 4 KiB. */
function charsetFromMeta(buffer: Buffer): string | undefined {
  const head = buffer.subarray(0, 4096).toString("latin1");
  for (const tag of head.matchAll(/<meta\b[^>]*>/gi)) {
    const text = tag[0];
    const direct = text.match(/\bcharset\s*=\s*["']?\s*([\w.:-]+)/i);
    if (direct?.[1]) return direct[1];
  }
  const xml = head.match(/^<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)/i);
  return xml?.[1];
}

/** Valid UTF-8 wins; otherwise the Chinese legacy encoding whose decoding yields more common characters. */
function sniffEncoding(buffer: Buffer): DecodedText {
  if (isUtf8(buffer))
    return {
      text: buffer.toString("utf8"),
      encoding: "utf-8",
      from: buffer.some((b) => b >= 0x80) ? "sniff" : "default",
    };
  let best: DecodedText | undefined;
  let bestScore = -Infinity;
  for (const encoding of ["gb18030", "big5hkscs"]) {
    const text = iconv.decode(buffer, encoding);
    const score = scoreHan(text);
    if (score > bestScore) {
      best = { text, encoding, from: "sniff" };
      bestScore = score;
    }
  }
  return best ?? { text: iconv.decode(buffer, "windows-1252"), encoding: "windows-1252", from: "default" };
}
