import { decodeFileText, detectEncoding, hasUtf8Bom } from "../../util/text-encoding.js";
import type { FieldEdit } from "../plan-fixes.js";
import { patchText, type TextPatch } from "./text-patches.js";
import type { FixWriter, RecordFix, WriteOutcome } from "./writer.js";
import iconv from "iconv-lite";

/** A JSON value and where it stands in the text (UTF-16 offsets). */
type JsonNode =
  | { kind: "object"; start: number; end: number; members: { key: string; keyStart: number; value: JsonNode }[] }
  | { kind: "array"; start: number; end: number; items: JsonNode[] }
  | { kind: "scalar"; start: number; end: number };

/**
 * Writes fixes into JSON and JSONL listing files: only the changed string literals are replaced, so key
 * order, indentation and every other value stay as they were. A field the listing lacks (宝贝卖点 added by
 * a fix) is inserted after the title with the title's own spacing.
 */
export function openJsonWriter(bytes: Buffer, lines: boolean): FixWriter {
  return {
    format: lines ? "jsonl" : "json",
    writable: () => true,
    apply(fixes: readonly RecordFix[]): WriteOutcome {
      const encoding = detectEncoding(bytes);
      const text = decodeFileText(bytes);
      const records = lines ? lineRecords(text) : arrayRecords(text);
      const patched = patchText(text, fixes, (fix, edit) => {
        const record = fix.row === undefined ? undefined : records[fix.row - 1];
        return record && patchField(text, record, edit);
      });
      return { data: encodeLike(patched.text, bytes, encoding), applied: patched.applied, refused: patched.refused };
    },
  };
}

/** The decoded text of a JSON or JSONL file and its records, to find edits' places in it (SARIF `fixes`). */
export interface JsonFileIndex {
  text: string;
  records: JsonNode[];
}

export function indexJsonFile(bytes: Buffer, lines: boolean): JsonFileIndex {
  const text = decodeFileText(bytes);
  return { text, records: lines ? lineRecords(text) : arrayRecords(text) };
}

/** Where one edit of a record changes the text: the smallest stretch of its string literal; undefined when not found. */
export function locateEdit(index: JsonFileIndex, row: number, edit: FieldEdit): TextPatch | undefined {
  const record = index.records[row - 1];
  const piece = record && patchField(index.text, record, edit);
  if (piece === undefined) return undefined;
  const old = index.text.slice(piece.start, piece.end);
  let prefix = 0;
  while (prefix < old.length && prefix < piece.text.length && old[prefix] === piece.text[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < old.length - prefix &&
    suffix < piece.text.length - prefix &&
    old[old.length - 1 - suffix] === piece.text[piece.text.length - 1 - suffix]
  )
    suffix++;
  return {
    start: piece.start + prefix,
    end: piece.end - suffix,
    text: piece.text.slice(prefix, piece.text.length - suffix),
  };
}

function encodeLike(text: string, original: Buffer, encoding: string): Buffer {
  if (encoding === "utf-8")
    return Buffer.concat([
      hasUtf8Bom(original) ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
      Buffer.from(text, "utf8"),
    ]);
  const bom = original[0] === 0xff || original[0] === 0xfe ? "\uFEFF" : "";
  return iconv.encode(bom + text, encoding);
}

function patchField(text: string, record: JsonNode, edit: FieldEdit): TextPatch | undefined {
  if (record.kind !== "object") return undefined;
  const member = (node: JsonNode, key: string) =>
    node.kind === "object" ? node.members.find((m) => m.key === key) : undefined;
  let target: JsonNode | undefined;
  if (edit.field === "sku") {
    const skus = member(record, "skus")?.value;
    const sku = skus?.kind === "array" ? skus.items[edit.index ?? 0] : undefined;
    target = sku && member(sku, "name")?.value;
  } else target = member(record, edit.field)?.value;
  const literal = JSON.stringify(edit.after);
  if (target === undefined) {
    if (edit.before !== "" || edit.field === "sku") return undefined;
    const title = member(record, "title");
    if (title === undefined) return undefined;
    // Same spacing as the title member: `,\n    "subtitle": "…"` after its value.
    const lead = /[ \t]*\r?\n?[ \t]*$/.exec(text.slice(record.start + 1, title.keyStart))?.[0] ?? "";
    const colon = text.slice(title.keyStart, title.value.start).replace(/^"(?:[^"\\]|\\.)*"/, "");
    const at = title.value.end;
    return { start: at, end: at, text: `,${lead === "" ? " " : lead}${JSON.stringify(edit.field)}${colon}${literal}` };
  }
  if (target.kind !== "scalar") return undefined;
  const current: unknown = JSON.parse(text.slice(target.start, target.end));
  if (current !== edit.before) return undefined;
  return { start: target.start, end: target.end, text: literal };
}

function arrayRecords(text: string): JsonNode[] {
  const root = parseJson(text);
  if (root.kind === "array") return root.items;
  if (root.kind === "object") {
    const listings = root.members.find((m) => m.key === "listings")?.value;
    if (listings?.kind === "array") return listings.items;
  }
  return [];
}

/** Non-blank lines are records (the reader's rows), offsets into the whole text. */
function lineRecords(text: string): JsonNode[] {
  const records: JsonNode[] = [];
  let start = 0;
  for (const line of text.split("\n")) {
    if (line.trim() !== "") {
      try {
        records.push(parseJson(text, start, start + line.length));
      } catch {
        records.push({ kind: "scalar", start, end: start });
      }
    }
    start += line.length + 1;
  }
  return records;
}

/** A small JSON parser that keeps positions; the file was already read once as valid JSON. */
function parseJson(text: string, from = 0, to = text.length): JsonNode {
  let i = from;
  const space = () => {
    while (i < to && /[\s\uFEFF]/.test(text[i] as string)) i++;
  };
  const string = (): number => {
    i++;
    while (i < to && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    return ++i;
  };
  const value = (): JsonNode => {
    space();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: { key: string; keyStart: number; value: JsonNode }[] = [];
      space();
      while (i < to && text[i] !== "}") {
        space();
        const keyStart = i;
        const keyEnd = string();
        const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
        space();
        i++; // :
        members.push({ key, keyStart, value: value() });
        space();
        if (text[i] === ",") i++;
        space();
      }
      i++;
      return { kind: "object", start, end: i, members };
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      space();
      while (i < to && text[i] !== "]") {
        items.push(value());
        space();
        if (text[i] === ",") i++;
        space();
      }
      i++;
      return { kind: "array", start, end: i, items };
    }
    if (c === '"') return { kind: "scalar", start, end: string() };
    while (i < to && !/[\s,\]}]/.test(text[i] as string)) i++;
    return { kind: "scalar", start, end: i };
  };
  return value();
}
