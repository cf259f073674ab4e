// Benchmark 1, audit vs bare parsing (issue 6 §1, issue 3): a generated 淘宝助理 export (default 200,000
// listings, UTF-16LE, TAB) is read in this one process by
//   1. decode + csv-parse alone (iconv-lite → csv-parse, the libraries the reader uses),
//   2. the same plus visible-text extraction (htmlparser2 text nodes) of title, 宝贝卖点, 宝贝描述, 无线详情,
//   3. the library's 淘宝助理 reader (decoding, parsing, mapping to listings; for information),
//   4. the full audit: `audit()` with the JSON reporter writing to a discarding stream.
// Prints listings/s for each, the audit's time as a multiple of both baselines and the machine.
//   node bench/audit-bench.mjs [--scale 0.05] [--count N] [--audit-only] [--cpu-profile file.cpuprofile]
// (run `npm run build` first; --cpu-profile profiles the full audit phase alone and lists what dominates)
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse";
import { Parser } from "htmlparser2";
import iconv from "iconv-lite";
import { profilePhase } from "./lib/cpu-profile.mjs";
import { importDist } from "./lib/dist-library.mjs";
import { auditExport, withGeneratedExport, exportResultHeader } from "./lib/export-files.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled, stopWith } from "./lib/options.mjs";

const DEFAULT_LISTINGS = 200_000;
const GOALS = { auditVsTextBaseline: 1.5, auditVsCsvBaseline: 2 };
/** The columns a buyer reads (and the audit reads claims from). */
const TEXT_COLUMNS = ["title", "subtitle", "description", "wireless_desc"];
const CSV_OPTIONS = { delimiter: "\t", relax_column_count: true, record_delimiter: ["\r\n", "\n", "\r"], from_line: 2 };
const BLOCKS = new Set(["p", "div", "br", "li", "tr", "h1", "h2", "h3", "table", "ul", "ol", "section"]);
const HIDDEN = new Set(["script", "style", "template", "noscript"]);

const values = readOptions("audit-bench", {
  count: { type: "string" },
  dense: { type: "boolean", default: false },
  "audit-only": { type: "boolean", default: false },
  "cpu-profile": { type: "string" },
});
const requested = readCount("audit-bench", values, "count", scaled(DEFAULT_LISTINGS, values.scale));
const library = await importDist("index.js");
const machine = describeMachine();
console.log(`machine: ${formatMachine(machine)}`);

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/**
 * Runs one phase and reports its time, its rate and the CPU it used in cores (all threads of the
 * process, V8's compiler and GC threads included): a phase above one core ran on worker threads.
 */
async function timed(name, run) {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { listings, ...details } = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cores = (cpu.user + cpu.system) / 1e6 / seconds;
  const phase = {
    name,
    listings,
    seconds: Number(seconds.toFixed(3)),
    listingsPerSecond: Math.round(listings / seconds),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
    cores: Number(cores.toFixed(2)),
    ...details,
  };
  console.log(
    `${name.padEnd(52)} ${seconds.toFixed(2).padStart(8)} s ${String(phase.listingsPerSecond).padStart(8)} listings/s ${cores.toFixed(2).padStart(6)} cores`,
  );
  return phase;
}

/** Data records of the export through iconv-lite and csv-parse; `onRecord` gets each one with the column index. */
async function parseExport(file, onRecord) {
  const records = createReadStream(file).pipe(iconv.decodeStream("utf-16le")).pipe(parse(CSV_OPTIONS));
  let header;
  let headerLines = 0;
  let listings = 0;
  for await (const record of records) {
    if (headerLines < 2) {
      if (headerLines === 0) header = new Map(record.map((name, i) => [name, i]));
      headerLines++;
      continue;
    }
    listings++;
    onRecord?.(record, header);
  }
  return listings;
}

/** Bare visible text: text nodes outside script/style, a line break at block boundaries. */
function visibleTextLength(html) {
  let length = 0;
  let hidden = 0;
  const parser = new Parser(
    {
      onopentagname: (name) => void (HIDDEN.has(name) && hidden++),
      onclosetag: (name) => {
        if (HIDDEN.has(name)) hidden--;
        else if (BLOCKS.has(name)) length++;
      },
      ontext: (text) => {
        if (hidden === 0) length += text.trim().length;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return length;
}

async function readThroughReader(file) {
  const reader = library.readers.find((r) => r.format === "taobao-csv");
  if (!reader) throw new Error("the built library has no taobao-csv reader");
  const handle = await open(file);
  const head = Buffer.alloc(1024 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  await handle.close();
  const input = { name: path.basename(file), head: head.subarray(0, bytesRead), open: () => createReadStream(file) };
  if (!reader.detect(input)) throw new Error("the taobao-csv reader does not recognise the generated export");
  let listings = 0;
  let problems = 0;
  for await (const item of reader.read(input, {})) {
    if (item.kind === "listing") listings++;
    else problems++;
  }
  return { listings, problems };
}

// Every phase first runs once over a small export, untimed, so that no phase pays for compiling the
// code the others then reuse (the first phase would otherwise look slower at small scales).
const WARM_UP_LISTINGS = 500;

const entry = await withGeneratedExport(requested, measure, {
  warmUpCount: WARM_UP_LISTINGS,
  dense: values.dense,
}).catch((error) => stopWith("audit-bench", error));
handOver(values, entry);

async function measure({ generated, templates, warmUp }) {
  const file = generated.file;
  const phases = {};
  let visibleChars = 0;
  const withVisibleText = (record, header) => {
    for (const column of TEXT_COLUMNS) visibleChars += visibleTextLength(record[header.get(column)] ?? "");
  };
  const fullAudit = (exportFile) => auditExport(library, exportFile, templates);
  if (!values["audit-only"]) {
    await parseExport(warmUp.file, withVisibleText);
    await readThroughReader(warmUp.file);
  }
  await fullAudit(warmUp.file);
  visibleChars = 0;

  if (!values["audit-only"]) {
    phases.csv = await timed("baseline: decode + csv-parse", async () => ({ listings: await parseExport(file) }));
    phases.text = await timed("baseline: decode + csv-parse + visible text", async () => ({
      listings: await parseExport(file, withVisibleText),
      visibleChars,
    }));
    phases.reader = await timed("library reader (taobao-csv)", () => readThroughReader(file));
  }
  const profile = values["cpu-profile"];
  phases.audit = await timed(
    "full audit (audit() + JSON reporter)",
    profile ? () => profilePhase(profile, () => fullAudit(file)) : () => fullAudit(file),
  );
  if (!values["audit-only"]) {
    // The baselines again after the audit: a machine whose speed drifts during the run (shared cores)
    // moves both sides of a ratio alike when each baseline is the mean of a run before and one after.
    phases.csvAfter = await timed("baseline: decode + csv-parse (again)", async () => ({
      listings: await parseExport(file),
    }));
    visibleChars = 0;
    phases.textAfter = await timed("baseline: decode + csv-parse + visible text (again)", async () => ({
      listings: await parseExport(file, withVisibleText),
      visibleChars,
    }));
  }

  for (const phase of Object.values(phases)) {
    if (phase.listings !== generated.count)
      console.error(`${phase.name}: ${phase.listings} listings, expected ${generated.count}`);
  }
  const mean = (a, b) => (a.seconds + b.seconds) / 2;
  const ratios = values["audit-only"]
    ? {}
    : {
        auditVsTextBaseline: Number((phases.audit.seconds / mean(phases.text, phases.textAfter)).toFixed(2)),
        auditVsCsvBaseline: Number((phases.audit.seconds / mean(phases.csv, phases.csvAfter)).toFixed(2)),
        readerVsCsvBaseline: Number((phases.reader.seconds / mean(phases.csv, phases.csvAfter)).toFixed(2)),
        auditCpuVsTextBaselineCpu: Number(
          (phases.audit.cpuSeconds / ((phases.text.cpuSeconds + phases.textAfter.cpuSeconds) / 2)).toFixed(2),
        ),
      };
  const verdict = (ratio, goal) => (ratio <= goal ? "meets" : "misses");
  console.log(
    `findings ${phases.audit.findings}, problems ${phases.audit.problems}, JSON report ${(phases.audit.reportBytes / 2 ** 20).toFixed(1)} MiB (discarded)`,
  );
  if (!values["audit-only"]) {
    console.log(
      `ratio full audit / (decode + csv-parse + visible text): ×${ratios.auditVsTextBaseline} — ${verdict(ratios.auditVsTextBaseline, GOALS.auditVsTextBaseline)} the goal ≤ ×${GOALS.auditVsTextBaseline} (issue 6)`,
    );
    console.log(
      `ratio full audit / (decode + csv-parse):                ×${ratios.auditVsCsvBaseline} — ${verdict(ratios.auditVsCsvBaseline, GOALS.auditVsCsvBaseline)} the goal ≤ ×${GOALS.auditVsCsvBaseline} (issue 3)`,
    );
    // The work itself, whatever the cores: the wall-time ratios are about this over the cores the audit kept busy.
    console.log(
      `CPU time full audit / (decode + csv-parse + visible text): ×${ratios.auditCpuVsTextBaselineCpu} (for information)`,
    );
  }
  console.log(`peak RSS of this process (all phases): ${peakRssMB()} MB`);
  return {
    ...exportResultHeader("audit", { machine, scale: values.scale, requested, generated }),
    titles: generated.titles,
    phases: Object.values(phases),
    ratios,
    goals: GOALS,
    peakRssMB: peakRssMB(),
  };
}
