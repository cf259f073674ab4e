import { createReadStream } from "node:fs";

/**
 * Splits a JSON file whose top level is an object into its members, one chunk at a time, so a baseline
 * or report of any size is read in flat memory: the text of the members asked for (`values`), and of
 * each element of the array members asked for (`arrays`), each with the line it starts on. Every other
 * member is skipped as it streams by; only its key is reported. The caller parses the pieces, so one
 * bad element is a located error, not an unreadable file.
 */
export type JsonMemberEvent =
  | { kind: "member"; key: string; line: number; text?: string }
  | { kind: "element"; key: string; index: number; line: number; text: string }
  | { kind: "error"; reason: JsonShapeError; line: number };

/** What is wrong with the file as a whole; callers word it in the user's language. */
export type JsonShapeError = "empty" | "not-an-object" | "syntax" | "truncated" | "too-long";

export interface JsonMemberWanted {
  values: readonly string[];
  arrays: readonly string[];
}

export interface JsonMemberSplitter {
  push(chunk: string): JsonMemberEvent[];
  end(): JsonMemberEvent[];
}

/** No element or value of ours comes near this; a longer one is a damaged or hostile file. */
export const MAX_PIECE_CHARS = 8 * 1024 * 1024;
const MAX_KEY_CHARS = 256;

type State =
  | "top"
  | "key"
  | "key-string"
  | "colon"
  | "value"
  | "scan"
  | "after-value"
  | "item"
  | "after-top"
  | "failed";

export function createJsonMemberSplitter(wanted: JsonMemberWanted): JsonMemberSplitter {
  let state: State = "top";
  let line = 1;
  // The value scanner, shared by elements, captured values and skipped values.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let capture = false;
  let inArray = false;
  let parts: string[] = [];
  let size = 0;
  let pieceLine = 0;
  let key = "";
  let keyText = "";
  let index = 0;
  let events: JsonMemberEvent[] = [];

  const fail = (reason: JsonShapeError, at = line): void => {
    events.push({ kind: "error", reason, line: at });
    state = "failed";
  };
  const startScan = (keep: boolean): void => {
    state = "scan";
    depth = 0;
    inString = false;
    escaped = false;
    capture = keep;
    parts = [];
    size = 0;
    pieceLine = line;
  };

  const push = (chunk: string): JsonMemberEvent[] => {
    events = [];
    let segment = state === "scan" && capture ? 0 : -1;
    for (let i = 0; i < chunk.length && state !== "failed"; i++) {
      const c = chunk.charCodeAt(i);
      if (state === "scan") {
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
        if (capture) {
          if (segment >= 0) parts.push(chunk.slice(segment, i));
          segment = -1;
          const text = parts.join("").trim();
          parts = [];
          if (inArray) events.push({ kind: "element", key, index: index++, line: pieceLine, text });
          else events.push({ kind: "member", key, line: pieceLine, text });
        }
        if (inArray) {
          if (c === 0x2c) state = "item";
          else if (c === 0x5d) {
            inArray = false;
            state = "after-value";
          } else fail("syntax");
        } else if (c === 0x2c) state = "key";
        else if (c === 0x7d) state = "after-top";
        else fail("syntax");
        continue;
      }
      if (state === "key-string") {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          key = parseKey(keyText);
          state = "colon";
          continue;
        }
        if (keyText.length < MAX_KEY_CHARS) keyText += chunk[i];
        if (c === 0x0a) line++;
        continue;
      }
      if (c === 0x0a) line++;
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) continue;
      switch (state) {
        case "top":
          if (c === 0x7b) state = "key";
          else fail("not-an-object");
          break;
        case "key":
          if (c === 0x22) {
            state = "key-string";
            keyText = "";
            escaped = false;
          } else if (c === 0x7d) state = "after-top";
          else fail("syntax");
          break;
        case "colon":
          if (c === 0x3a) state = "value";
          else fail("syntax");
          break;
        case "value":
          if (wanted.arrays.includes(key) && c === 0x5b) {
            events.push({ kind: "member", key, line });
            inArray = true;
            index = 0;
            state = "item";
          } else {
            const keep = wanted.values.includes(key) || wanted.arrays.includes(key);
            if (!keep) events.push({ kind: "member", key, line });
            startScan(keep);
            segment = i;
            i--; // rescan this character as the first of the value
          }
          break;
        case "item":
          if (c === 0x5d) {
            inArray = false;
            state = "after-value";
          } else if (c === 0x2c) fail("syntax");
          else {
            startScan(true);
            segment = i;
            i--;
          }
          break;
        case "after-value":
          if (c === 0x2c) state = "key";
          else if (c === 0x7d) state = "after-top";
          else fail("syntax");
          break;
        case "after-top":
          fail("syntax");
          break;
        default:
          break;
      }
    }
    if (state === "scan" && capture && segment >= 0) {
      parts.push(chunk.slice(segment));
      size += chunk.length - segment;
      if (size > MAX_PIECE_CHARS) fail("too-long", pieceLine);
    }
    return events;
  };

  return {
    push,
    end() {
      events = [];
      if (state === "top") fail("empty");
      else if (state !== "after-top" && state !== "failed") fail("truncated", state === "scan" ? pieceLine : line);
      return events;
    },
  };
}

/** Feeds a file through a splitter in 1 MiB chunks, handing every event to `onEvent`. */
export async function splitJsonFile(
  file: string,
  wanted: JsonMemberWanted,
  onEvent: (event: JsonMemberEvent) => boolean | undefined,
): Promise<void> {
  const splitter = createJsonMemberSplitter(wanted);
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      for (const event of splitter.push(chunk)) if (onEvent(event) === false) return;
    }
    for (const event of splitter.end()) onEvent(event);
  } finally {
    stream.destroy();
  }
}

/** The same for text already in memory. */
export function splitJsonText(
  text: string,
  wanted: JsonMemberWanted,
  onEvent: (event: JsonMemberEvent) => boolean | undefined,
): void {
  const splitter = createJsonMemberSplitter(wanted);
  for (const event of [...splitter.push(text), ...splitter.end()]) if (onEvent(event) === false) return;
}

function parseKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
