import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecordEvent, readCsvRecords } from "../src/sources/taobao-csv/csv-records.js";
import { readCsvRecordsWithCsvParse } from "./helpers/csv-parse-records.js";

// Fixed seed: a failure reproduces on every machine; fast-check prints the shrunk counterexample.
const SEED = 20261207;

/** Pieces that exercise every path: quotes (doubled, stray, unclosed), every line break, wide characters. */
const piece = fc.constantFrom("a", "中", "𠀀", "\t", ",", '"', '""', "\r", "\n", "\r\n", " ", "version 1.00");
const csvText = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(""));

/** Cut points as fractions, so one generated list splits any text. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

function split<T extends string | Buffer>(whole: T, at: number[]): T[] {
  const offsets = [...new Set(at.map((f) => Math.floor(f * whole.length)))].sort((a, b) => a - b);
  const parts: T[] = [];
  let start = 0;
  for (const offset of [...offsets, whole.length]) {
    parts.push(whole.slice(start, offset) as T);
    start = offset;
  }
  return parts;
}

async function* chunksOf<T>(parts: T[]): AsyncGenerator<T> {
  yield* parts;
}

async function collect(events: AsyncIterable<CsvRecordEvent>): Promise<CsvRecordEvent[]> {
  const out: CsvRecordEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function both(text: string, delimiter: string, skipLines: number, textCuts: number[], byteCuts: number[]) {
  const actual = await collect(readCsvRecords(chunksOf(split(text, textCuts)), delimiter, skipLines));
  const bytes = split(Buffer.from(text), byteCuts);
  const expected = await collect(readCsvRecordsWithCsvParse(chunksOf(bytes), delimiter, skipLines));
  return { actual, expected };
}

describe("readCsvRecords splits as the csv-parse reader did", () => {
  it("on generated text, whatever the chunks (quotes, CR/LF pairs and surrogate pairs cut)", async () => {
    await fc.assert(
      fc.asyncProperty(
        csvText,
        fc.constantFrom("\t", ","),
        fc.integer({ min: 0, max: 2 }),
        cuts,
        cuts,
        async (text, delimiter, skipLines, textCuts, byteCuts) => {
          const { actual, expected } = await both(text, delimiter, skipLines, textCuts, byteCuts);
          expect(actual).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it.each([
    ["empty lines are records of one empty field; the end after a line break is none", "a\n\n\r\n\rb\n"],
    ["a last line without a line break", 'a\tb\n"c"'],
    ["a quoted empty last field", 'a\t""'],
    ["a delimiter at the end of the file", "a\t"],
    ["a quoted multi-line last record without a line break", 'x\t"a\r\nb\rc\nd"'],
    ["a stray quote on a line that quotes nothing", 'a"b\tc\nd\n'],
    ["a stray quote on a line with a quoted field", '"q"\ta"b\nd\n'],
    ["a stray quote on the second line of a record", '"multi\nline"\tx"y\nz\n'],
    ["a closing quote followed by text", '"a"b\nc\n'],
    ["a quote never closed", 'a\n"b\nc\td\n'],
    ["a doubled quote at the end of the file", '"a""'],
    ["a BOM stays in the first field", "\uFEFFa\tb\n"],
    ["a version line skipped, then CRLF", "version 1.00\r\nh1\th2\r\n1\t2\r\n"],
  ])("%s", async (_name, text) => {
    for (const skipLines of [0, 1]) {
      for (let at = 0; at <= text.length; at++) {
        const fraction = text.length === 0 ? 0 : at / text.length;
        const { actual, expected } = await both(text, "\t", skipLines, [fraction], [fraction]);
        expect(actual, `cut at ${at}`).toEqual(expected);
      }
    }
  });
});
