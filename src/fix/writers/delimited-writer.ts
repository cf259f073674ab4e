import iconv from "iconv-lite";
import type { ColumnField } from "../../sources/column-maps/load-column-maps.js";
import { resolveGenericLayout } from "../../sources/generic-csv.js";
import { resolveTaobaoLayout } from "../../sources/taobao-csv/index.js";
import type { DelimitedLayout } from "../../sources/taobao-csv/read-delimited.js";
import type { TextEncoding } from "../../util/text-encoding.js";
import type { FixWriter, RecordFix, WriteOutcome } from "./writer.js";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Writes fixes back into a delimited export (淘宝助理 CSV 数据包) byte for byte: records are found in the
 * file's own bytes (the delimiter, quote and line breaks are ASCII, which never occur inside a GBK, Big5 or
 * GB18030 character, and are whole code units in UTF-16), and only the changed cells of changed records are
 * re-encoded. Everything else — BOM, version line, both header lines, line endings, untouched records — is
 * copied as it was.
 */
export function openDelimitedWriter(bytes: Buffer, layout: DelimitedLayout | undefined): FixWriter | undefined {
  const head = bytes.subarray(0, 1024 * 1024);
  const found = layout ?? resolveTaobaoLayout(head) ?? resolveGenericLayout(head);
  if (found === undefined) return undefined;
  // 淘宝助理 quotes every text cell; other exporters quote where needed, and a quoted cell stays quoted.
  const quoteAll = found.conventions === "taobao";
  const codec = codecOf(found.sniff.encoding);
  const indexes = found.match.indexes;
  const columnOf = (field: string): number | undefined =>
    field === "sku" ? undefined : indexes[field as ColumnField & ("title" | "subtitle" | "description")];
  return {
    format: found.conventions === "taobao" ? "taobao-csv" : "csv",
    writable: (field) => columnOf(field) !== undefined,
    apply(fixes: readonly RecordFix[]): WriteOutcome {
      const records = splitRecords(bytes, codec, found.sniff.delimiter.charCodeAt(0));
      const byLine = new Map(records.map((r) => [r.line, r]));
      const pieces: { start: number; end: number; bytes: Buffer }[] = [];
      const refused: WriteOutcome["refused"] = [];
      let applied = 0;
      for (const fix of fixes) {
        const record = fix.line === undefined ? undefined : byLine.get(fix.line);
        for (const edit of fix.edits) {
          const column = columnOf(edit.field);
          const cell = column === undefined ? undefined : record?.cells[column];
          if (cell === undefined) {
            refused.push({ fix, edit, reason: "field-not-writable" });
            continue;
          }
          const value = unquote(codec.decode(bytes.subarray(cell.start, cell.end)));
          // The reader trims the title; the rest of the cell's white space stays as it was.
          const at = value.indexOf(edit.before);
          if (edit.before === "" ? value.trim() !== "" : at === -1 || value.trim() !== edit.before.trim()) {
            refused.push({ fix, edit, reason: "text-moved" });
            continue;
          }
          const next =
            edit.before === "" ? edit.after : value.slice(0, at) + edit.after + value.slice(at + edit.before.length);
          const raw = codec.decode(bytes.subarray(cell.start, cell.end));
          const written = quoteCell(next, found.sniff.delimiter, quoteAll || raw.startsWith('"'));
          const encoded = codec.encode(written);
          if (codec.decode(encoded) !== written) {
            refused.push({ fix, edit, reason: "not-encodable", encoding: found.sniff.encoding });
            continue;
          }
          pieces.push({ start: cell.start, end: cell.end, bytes: encoded });
          applied++;
        }
      }
      pieces.sort((a, b) => a.start - b.start);
      const out: Buffer[] = [];
      let at = 0;
      for (const piece of pieces) {
        out.push(bytes.subarray(at, piece.start), piece.bytes);
        at = piece.end;
      }
      out.push(bytes.subarray(at));
      return { data: Buffer.concat(out), applied, refused };
    },
  };
}

/** Quotes doubled inside; quoted always when asked, else where a delimiter, quote or line break needs it. */
function quoteCell(value: string, delimiter: string, always: boolean): string {
  const needs = always || value.includes(delimiter) || /["\r\n]/.test(value);
  return needs ? `"${value.replaceAll('"', '""')}"` : value;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1).replaceAll('""', '"');
  return raw;
}

interface Codec {
  unit: 1 | 2;
  bigEndian: boolean;
  decode(bytes: Buffer): string;
  encode(text: string): Buffer;
}

function codecOf(encoding: TextEncoding): Codec {
  switch (encoding) {
    case "utf-16le":
      return {
        unit: 2,
        bigEndian: false,
        decode: (b) => b.toString("utf16le"),
        encode: (t) => Buffer.from(t, "utf16le"),
      };
    case "utf-16be":
      return {
        unit: 2,
        bigEndian: true,
        decode: (b) => iconv.decode(b, "utf-16be"),
        encode: (t) => iconv.encode(t, "utf-16be"),
      };
    case "utf-8":
      return {
        unit: 1,
        bigEndian: false,
        decode: (b) => b.toString("utf8"),
        encode: (t) => Buffer.from(t, "utf8"),
      };
    default:
      return {
        unit: 1,
        bigEndian: false,
        decode: (b) => iconv.decode(b, encoding),
        encode: (t) => iconv.encode(t, encoding),
      };
  }
}

interface CellSpan {
  start: number;
  end: number;
}

interface RecordSpan {
  /** 1-based physical line where the record starts, as the readers count it. */
  line: number;
  cells: CellSpan[];
}

/** Records and their cells as byte spans, split as the reader splits them (csv-tokenizer: quotes, CRLF/LF/CR). */
function splitRecords(bytes: Buffer, codec: Codec, delimiter: number): RecordSpan[] {
  const { unit } = codec;
  const unitAt = (i: number): number =>
    unit === 1 ? (bytes[i] as number) : codec.bigEndian ? bytes.readUInt16BE(i) : bytes.readUInt16LE(i);
  const hasBom =
    unit === 2
      ? bytes.length >= 2 && unitAt(0) === 0xfeff
      : bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const records: RecordSpan[] = [];
  let line = 1;
  let i = hasBom ? (unit === 2 ? 2 : 3) : 0;
  let cells: CellSpan[] = [];
  let cellStart = i;
  let recordLine = 1;
  let quoted = false;
  const end = bytes.length - (bytes.length % unit);
  const endRecord = (at: number) => {
    cells.push({ start: cellStart, end: at });
    records.push({ line: recordLine, cells });
    cells = [];
  };
  while (i < end) {
    const c = unitAt(i);
    if (quoted) {
      if (c === QUOTE) {
        if (i + unit < end && unitAt(i + unit) === QUOTE) i += unit;
        else quoted = false;
      } else if (c === LF || (c === CR && !(i + unit < end && unitAt(i + unit) === LF))) line++;
      i += unit;
      continue;
    }
    if (c === QUOTE && i === cellStart) quoted = true;
    else if (c === delimiter) {
      cells.push({ start: cellStart, end: i });
      cellStart = i + unit;
    } else if (c === LF || c === CR) {
      endRecord(i);
      if (c === CR && i + unit < end && unitAt(i + unit) === LF) i += unit;
      line++;
      recordLine = line;
      cellStart = i + unit;
    }
    i += unit;
  }
  if (cellStart < end || cells.length > 0) endRecord(end);
  return records;
}
