import type { FixData } from "../engine/fix-data.js";
import type { TextField } from "../model.js";

/** Bytes as the seller centre counts them: ASCII 1, any other character 2 (30 Chinese characters = 60 bytes). */
export function platformBytes(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += char.charCodeAt(0) < 0x80 ? 1 : 2;
  return bytes;
}

/** The limit a text breaks in its field, as words for a refusal; undefined when it fits. */
export function brokenLimit(text: string, field: TextField, data: FixData): string | undefined {
  const limit = data.limits[field];
  if (limit === undefined) return undefined;
  if ([...text].length > limit.chars) return `${limit.chars} chars`;
  if (limit.bytes !== undefined && platformBytes(text) > limit.bytes) return `${limit.bytes} bytes`;
  return undefined;
}
