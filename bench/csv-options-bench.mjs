// What csv-parse's options and the way records are taken cost (issue 19): the same generated 淘宝助理
// export split by csv-parse in several configurations, each run twice in turn, the lower CPU time kept.
// Prints each configuration's CPU time as a multiple of the floor's (TextDecoder strings, TAB,
// relax_quotes, relax_column_count, a `readable` loop); never asserts.
//   node bench/csv-options-bench.mjs [--count N] [--shop dense|sparse]
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { withGeneratedExport } from "./lib/export-files.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { readCount, readOptions, stopWith } from "./lib/options.mjs";

const values = readOptions("csv-options-bench", { count: { type: "string" }, shop: { type: "string" } });
const count = readCount("csv-options-bench", values, "count", 10_000);
const FLOOR = { delimiter: "\t", relax_quotes: true, relax_column_count: true };

/** The file's text as TextDecoder gives it, chunk by chunk, or as UTF-8 bytes (what the library's reader feeds). */
async function chunksOf(file, utf8) {
  const decoder = new TextDecoder("utf-16le");
  const chunks = [];
  for await (const chunk of createReadStream(file)) {
    const text = decoder.decode(chunk, { stream: true });
    chunks.push(utf8 ? Buffer.from(text, "utf8") : text);
  }
  return chunks;
}

function readableLoop(chunks, options) {
  return new Promise((resolve, reject) => {
    let records = 0;
    const parser = parse(options);
    parser.on("readable", () => {
      for (let record = parser.read(); record !== null; record = parser.read()) records++;
    });
    parser.on("end", () => resolve(records));
    parser.on("error", reject);
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
  });
}

async function forAwait(chunks, options) {
  let records = 0;
  const parser = parse(options);
  const feed = (async () => {
    for (const chunk of chunks) if (!parser.write(chunk)) await new Promise((resolve) => parser.once("drain", resolve));
    parser.end();
  })();
  for await (const _ of parser) records++;
  await feed;
  return records;
}

/** The library reader's way: records collected in on_record, written chunk by chunk. */
function onRecord(chunks, options) {
  let records = 0;
  const parser = parse({
    ...options,
    on_record: () => {
      records++;
      return null;
    },
  });
  parser.resume();
  for (const chunk of chunks) parser.write(chunk);
  return new Promise((resolve, reject) => {
    parser.on("error", reject);
    parser.on("finish", () => resolve(records));
    parser.end();
  });
}

const VARIANTS = [
  ["floor: strings, relax_quotes, readable loop", false, readableLoop, FLOOR],
  ["strings, for await", false, forAwait, FLOOR],
  ["strings, without relax_quotes", false, readableLoop, { delimiter: "\t", relax_column_count: true }],
  ["strings, info: true", false, readableLoop, { ...FLOOR, info: true }],
  ["strings, raw: true", false, readableLoop, { ...FLOOR, raw: true }],
  ["strings, cast: true", false, readableLoop, { ...FLOOR, cast: true }],
  [
    "strings, record_delimiter [CRLF, LF, CR]",
    false,
    readableLoop,
    { ...FLOOR, record_delimiter: ["\r\n", "\n", "\r"] },
  ],
  [
    "UTF-8 bytes, reader's options, on_record",
    true,
    onRecord,
    { delimiter: "\t", relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"] },
  ],
];

async function measure({ generated }) {
  console.log(`machine: ${formatMachine(describeMachine())}`);
  const inputs = { false: await chunksOf(generated.file, false), true: await chunksOf(generated.file, true) };
  const best = new Map();
  for (let run = 0; run < 2; run++) {
    for (const [name, utf8, take, options] of VARIANTS) {
      const before = process.cpuUsage();
      const records = await take(inputs[utf8], options);
      const cpu = process.cpuUsage(before);
      const seconds = (cpu.user + cpu.system) / 1e6;
      if (records !== generated.count + 3)
        console.error(`${name}: ${records} records, expected ${generated.count + 3}`);
      best.set(name, Math.min(best.get(name) ?? Infinity, seconds));
    }
  }
  const floor = best.get(VARIANTS[0][0]);
  console.log(
    `${generated.count} listings (${(generated.bytes / 2 ** 20).toFixed(0)} MiB), csv-parse CPU time, best of 2:`,
  );
  for (const [name, seconds] of best)
    console.log(`  ${name.padEnd(46)} ${seconds.toFixed(3).padStart(7)} s  ×${(seconds / floor).toFixed(2)}`);
}

await withGeneratedExport(count, measure, { shop: values.shop ?? "dense" }).catch((error) =>
  stopWith("csv-options-bench", error),
);
