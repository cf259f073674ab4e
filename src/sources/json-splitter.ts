/**
 * Splits a JSON listing file — a top-level array, or an object whose `listings` key holds one — into the
 * text of each element and the line it starts on, one chunk at a time, so that a file of any size is read
 * in flat memory and every record keeps its line. Elements are parsed by the caller: a broken element is
 * one bad record, not a broken file.
 */
export type JsonSplitEvent =
  | { kind: "element"; text: string; line: number }
  /** The file's structure is broken at `line`; nothing after it can be read. */
  | { kind: "error"; message: string; line: number }
  /** The end of the file. `listings` is false when the top level was neither an array nor `{listings: [...]}`. */
  | { kind: "end"; listings: boolean; shape: string };

type State =
  | "top"
  | "obj-key"
  | "obj-key-string"
  | "obj-colon"
  | "obj-value"
  | "obj-skip"
  | "obj-after-value"
  | "arr-item"
  | "arr-element"
  | "after-top"
  | "failed";

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xfeff]);

export async function* splitJsonListings(chunks: AsyncIterable<string>): AsyncGenerator<JsonSplitEvent> {
  let state: State = "top";
  let line = 1;
  /** True once an array of records (top level or `listings`) was entered. */
  let listings = false;
  let shape = "empty file";
  let topIsArray = false;
  // Shared by the value scanners (elements and skipped values).
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let elementLine = 0;
  let key = "";
  let pendingError: JsonSplitEvent | undefined;
  const fail = (): State => {
    pendingError = { kind: "error", message: "unexpected character", line };
    return "failed";
  };

  for await (const chunk of chunks) {
    // Where the current element's text starts in this chunk (-1: no element being collected).
    let segmentStart = state === "arr-element" ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (state === "failed") break;

      if (state === "arr-element" || state === "obj-skip") {
        let ended = false;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (depth > 0 && (c === 0x7d || c === 0x5d)) depth--;
        else if (depth === 0 && (c === 0x2c || c === 0x5d || c === 0x7d)) ended = true;
        if (!ended) {
          if (c === 0x0a) line++;
          continue;
        }
        if (state === "arr-element") {
          if (segmentStart >= 0) parts.push(chunk.slice(segmentStart, i));
          segmentStart = -1;
          yield { kind: "element", text: parts.join(""), line: elementLine };
          parts = [];
          if (c === 0x2c) state = "arr-item";
          else if (c === 0x5d) state = topIsArray ? "after-top" : "obj-after-value";
          else {
            yield { kind: "error", message: "unexpected '}' in an array", line };
            state = "failed";
          }
        } else {
          if (c === 0x2c) state = "obj-key";
          else if (c === 0x7d) state = "after-top";
          else {
            yield { kind: "error", message: "unexpected ']' in an object", line };
            state = "failed";
          }
        }
        continue;
      }

      if (state === "obj-key-string") {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          key = parseKey(parts.join(""));
          parts = [];
          state = "obj-colon";
          continue;
        }
        parts.push(chunk[i]!);
        if (c === 0x0a) line++;
        continue;
      }

      if (c === 0x0a) line++;
      if (WHITESPACE.has(c)) continue;

      switch (state) {
        case "top":
          if (c === 0x5b) {
            state = "arr-item";
            topIsArray = true;
            listings = true;
            shape = "array";
          } else if (c === 0x7b) {
            state = "obj-key";
            shape = "object without a listings array";
          } else {
            shape = "not an array or object";
            state = "failed";
          }
          break;
        case "obj-key":
          if (c === 0x22) {
            state = "obj-key-string";
            parts = [];
          } else if (c === 0x7d) state = "after-top";
          else if (c !== 0x2c) state = fail();
          break;
        case "obj-colon":
          state = c === 0x3a ? "obj-value" : fail();
          break;
        case "obj-value":
          if (key === "listings" && c === 0x5b && !listings) {
            listings = true;
            shape = "object with listings";
            state = "arr-item";
          } else {
            state = "obj-skip";
            depth = 0;
            inString = false;
            escaped = false;
            i--; // rescan this character as the first of the skipped value
          }
          break;
        case "obj-after-value":
          if (c === 0x2c) state = "obj-key";
          else if (c === 0x7d) state = "after-top";
          else state = fail();
          break;
        case "arr-item":
          if (c === 0x5d) state = topIsArray ? "after-top" : "obj-after-value";
          else if (c === 0x2c) state = fail();
          else {
            state = "arr-element";
            depth = 0;
            inString = false;
            escaped = false;
            parts = [];
            elementLine = line;
            segmentStart = i;
            i--; // rescan this character as the first of the element
          }
          break;
        case "after-top":
          state = fail();
          break;
        default:
          break;
      }
      if (state === "failed" && pendingError) {
        yield pendingError;
        pendingError = undefined;
      }
    }
    if (state === "arr-element" && segmentStart >= 0) parts.push(chunk.slice(segmentStart));
  }
  if (state !== "after-top" && state !== "failed") {
    const where = state === "arr-element" ? elementLine : line;
    if (state !== "top") yield { kind: "error", message: "unexpected end of file", line: where };
  }
  yield { kind: "end", listings, shape };
}

function parseKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
