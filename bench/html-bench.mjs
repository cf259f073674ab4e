// The static HTML report at scale (docs/benchmarks.md): writes the report of a generated run of N
// listings (default 20,000; 1 to 3 findings each, every 5th with a long region list) through the built
// reporter, then opens it in Chromium and times the open (navigation to the first listings on screen,
// goal < 3 s) and filters (a text search, a severity filter, a sort; goal < 300 ms each), and prints the
// file size per listing. `--dist <dir>` measures another build (e.g. an older one) for comparison.
//
//   node bench/html-bench.mjs [--count 20000 | --scale 0.1] [--dist dir] [--json-out file]
import { mkdtempSync, rmSync, statSync, createWriteStream } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { importDist } from "./lib/dist-library.mjs";
import { largeRunListing, largeRunRuleInfo } from "./lib/large-run.mjs";

const { values } = parseArgs({
  options: {
    count: { type: "string" },
    scale: { type: "string" },
    dist: { type: "string" },
    "json-out": { type: "string" },
  },
});
/** `--scale` (from bench/run.js) shrinks the default 20,000 listings; `--count` sets them outright. */
const COUNT = Number(values.count ?? Math.max(100, Math.round(20_000 * Number(values.scale ?? 1))));
const OPEN_GOAL_MS = 3000;
const FILTER_GOAL_MS = 300;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const load = (relative) =>
  values.dist ? import(pathToFileURL(path.resolve(values.dist, relative)).href) : importDist(relative);
const { createHtmlReporter } = await load("report/html.js");
const { createFileSpools } = await load("report/file-spool.js");
const { loadRegionCatalogue } = await importDist("regions/load-regions.js");
const { describeRegionSets } = await importDist("report/html/region-fold.js");

const work = mkdtempSync(path.join(os.tmpdir(), "listing-audit-html-bench-"));
try {
  const file = path.join(work, "report.html");
  const written = await writeReport(file);
  const bytes = statSync(file).size;
  console.log(
    `report of ${COUNT} listings (${written.findings} findings): ${(bytes / 1024 / 1024).toFixed(1)} MiB, ` +
      `${Math.round(bytes / COUNT)} bytes per listing, written in ${written.ms} ms`,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const started = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 600_000 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const openMs = Math.round(performance.now() - started);
    const rendered = await page.evaluate(() => document.querySelectorAll("article.listing, #findings tbody tr").length);
    console.log(
      `open: ${openMs} ms to the first listings on screen (goal < ${OPEN_GOAL_MS} ms); ${rendered} elements rendered`,
    );
    const filters = {};
    const time = async (name, control, value) => {
      const ms = await page.evaluate(
        ([selector, next]) =>
          new Promise((done) => {
            const element = document.querySelector(selector);
            if (element === null) return done(-1);
            const t0 = performance.now();
            element.value = next;
            element.dispatchEvent(new Event("input", { bubbles: true }));
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
          }),
        [control, value],
      );
      filters[name] = Math.round(ms);
      console.log(`${name}: ${ms < 0 ? "not offered" : `${Math.round(ms)} ms`}`);
    };
    await time("first text search (one listing)", "#filter-text", `商品 ${COUNT - 1} `);
    await time("second text search (no match)", "#filter-text", "没有这样的文字");
    await time("clear the search", "#filter-text", "");
    await time("severity filter (warning)", "#filter-severity", "warning");
    await time("clear the severity", "#filter-severity", "");
    await time("sort worst first", "#sort", "worst");
    const worstFilterMs = Math.max(...Object.values(filters));
    console.log(
      `worst filter ${worstFilterMs} ms: ×${(worstFilterMs / FILTER_GOAL_MS).toFixed(2)} of the goal; ` +
        `open ×${(openMs / OPEN_GOAL_MS).toFixed(2)} of the goal`,
    );
    const result = {
      listings: COUNT,
      findings: written.findings,
      bytes,
      bytesPerListing: Math.round(bytes / COUNT),
      openMs,
      filters,
      goals: { openMs: OPEN_GOAL_MS, filterMs: FILTER_GOAL_MS },
      ratios: { open: +(openMs / OPEN_GOAL_MS).toFixed(2), filter: +(worstFilterMs / FILTER_GOAL_MS).toFixed(2) },
    };
    if (values["json-out"]) {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(values["json-out"], JSON.stringify(result, null, 2));
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Streams the report of the generated run to `file` as the CLI does: chunks, spooled to temporary files. */
async function writeReport(file) {
  const regions = await loadRegionCatalogue();
  if (!regions.ok) throw new Error("the bundled region data did not load");
  const catalogue = regions.value;
  const spools = createFileSpools();
  const out = createWriteStream(file);
  const write = async (chunk) => {
    for (const piece of typeof chunk === "string" ? [chunk] : chunk) if (!out.write(piece)) await once(out, "drain");
  };
  const started = performance.now();
  const reporter = createHtmlReporter();
  await write(
    reporter.start({
      tool: { name: "listing-auditor", version: "bench" },
      inputs: ["shop.csv"],
      rules: largeRunRuleInfo(),
      lang: "zh",
      platform: "taobao",
      failOn: "error",
      color: false,
      regionSets: describeRegionSets(catalogue),
      spool: spools.spool,
    }),
  );
  let findings = 0;
  try {
    for (let i = 0; i < COUNT; i++) {
      const result = largeRunListing(i, catalogue);
      findings += result.findings.length;
      await write(reporter.listing(result));
    }
    await write(reporter.end({ listings: COUNT, findings, error: 0, warning: 0, info: 0, problems: 0, skipped: 0 }));
    out.end();
    await once(out, "finish");
  } finally {
    spools.dispose();
  }
  return { findings, ms: Math.round(performance.now() - started) };
}
