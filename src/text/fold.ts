import { endianness } from "node:os";
import * as t2cn from "opencc-js/preset/t2cn";
import type { DictGroup, DictLike } from "opencc-js/core";

/**
 * One UTF-16 unit in, one out: the folded text has the same length as its input, so every offset
 * found in folded text is valid in the original. Surrogates (astral characters) pass through.
 */
let table: Uint16Array | undefined;

/**
 * Folds text for matching: full-width → half-width (ＡＢＣ１２３（）！？), Traditional → Simplified per
 * character (包郵 → 包邮, 臺灣 → 台湾), Latin lower-cased. Same UTF-16 length as the input; idempotent.
 */
export function foldText(text: string): string {
  table ??= buildFoldTable();
  const map = table;
  let changed = -1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (map[c] !== c) {
      changed = i;
      break;
    }
  }
  if (changed < 0) return text;
  const out = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = map[text.charCodeAt(i)] as number;
  return decodeUnits(out);
}

const LITTLE_ENDIAN = endianness() === "LE";

function decodeUnits(units: Uint16Array): string {
  // The units' bytes are UTF-16LE on little-endian machines: Node decodes them natively, about 4× faster.
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString("utf16le");
  // fromCharCode.apply has an argument-count limit; chunk to stay well under it.
  let out = "";
  for (let i = 0; i < units.length; i += 8192) {
    out += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

function buildFoldTable(): Uint16Array {
  const map = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c += 1) map[c] = c;
  // Half-width forms of full-width ASCII (U+FF01–FF5E), the ideographic space and the yen/yuan sign.
  for (let c = 0xff01; c <= 0xff5e; c += 1) map[c] = c - 0xfee0;
  map[0x3000] = 0x20;
  map[0xffe5] = 0xa5;
  const traditional = singleCharacterMap([...(t2cn.from.tw ?? []), ...(t2cn.from.hk ?? [])]);
  const simplified = singleCharacterMap(t2cn.to.cn ?? []);
  // A character that is itself a Simplified form (著 in 著名) stays as it is.
  const simplifiedForms = new Set(simplified.values());
  for (const [from] of simplified) if (simplifiedForms.has(from)) simplified.delete(from);
  for (let c = 0; c < 0x10000; c += 1) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    let ch = String.fromCharCode(map[c] as number);
    ch = traditional.get(ch) ?? ch;
    ch = simplified.get(ch) ?? ch;
    const lower = ch.toLowerCase();
    if (lower.length === 1) ch = lower;
    map[c] = ch.charCodeAt(0);
  }
  // Chains (a variant mapped to a Traditional form that itself maps on) are followed to their end, which
  // makes folding idempotent.
  for (let c = 0; c < 0x10000; c += 1) {
    let v = map[c] as number;
    for (let step = 0; step < 4 && map[v] !== v; step += 1) v = map[v] as number;
    map[c] = v;
  }
  return map;
}

/** Single-character entries of OpenCC dictionaries (first candidate), keeping only BMP → BMP pairs. */
function singleCharacterMap(groups: readonly DictGroup[]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (from: string, to: string | undefined) => {
    if (from.length === 1 && to !== undefined && to.length === 1 && !out.has(from)) out.set(from, to);
  };
  for (const group of groups) {
    for (const dict of group as readonly DictLike[]) {
      if (typeof dict === "string") {
        for (const entry of dict.split("|")) {
          const [from, to] = entry.split(" ");
          if (from !== undefined) add(from, to);
        }
      } else {
        for (const [from, to] of dict) add(from, to.split(" ")[0]);
      }
    }
  }
  return out;
}
