#!/usr/bin/env node
// Crawler benchmark: our crawler (../dist) against crawlee's CheerioCrawler on a generated local site of
// 2,000 product pages, served from a child process. Fixed, equal concurrency; politeness delays and
// robots.txt off for both; each run in a fresh process (for peak RSS); median of 3 runs.
//
//   npm run build && npm install --prefix bench && node bench/crawl-bench.mjs [--concurrency 8] [--runs 3]
//
// Appends its entry (`bench: "crawl"`) to bench/results.json. Not a test: the numbers depend on the machine.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PRODUCTS = 2000;
const CATEGORIES = 20;

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "8" },
    runs: { type: "string", default: "3" },
    run: { type: "string" },
    url: { type: "string" },
  },
});
const concurrency = Number(values.concurrency);

if (values.run) await runOne(values.run, values.url, concurrency);
else await main();

async function main() {
  for (const [file, hint] of [
    [path.join(HERE, "..", "dist", "sources", "crawl", "index.js"), "run `npm run build` first"],
    [path.join(HERE, "node_modules", "crawlee"), "run `npm install --prefix bench` first"],
  ]) {
    if (!existsSync(file)) {
      console.error(`crawl-bench: ${path.relative(process.cwd(), file)} is missing; ${hint}`);
      process.exit(2);
    }
  }
  const site = await mkdtemp(path.join(tmpdir(), "crawl-bench-site-"));
  await generateSite(site);
  const server = spawn(process.execPath, [path.join(HERE, "serve-site.mjs"), site], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).trim().replace(/^listening /, ""))));
  const expected = 1 + CATEGORIES + PRODUCTS;
  const results = { ours: [], crawlee: [] };
  try {
    for (let i = 0; i < Number(values.runs); i += 1) {
      for (const name of ["ours", "crawlee"]) {
        const result = await child(name, url);
        if (result.pages !== expected) throw new Error(`${name} fetched ${result.pages} pages, expected ${expected}`);
        results[name].push(result);
        console.log(`${name.padEnd(8)} run ${i + 1}: ${result.pagesPerSecond.toFixed(1)} pages/s, peak RSS ${result.peakRssMb.toFixed(1)} MB (${result.listings} listings)`);
      }
    }
  } finally {
    server.kill();
    await rm(site, { recursive: true, force: true });
  }
  const summary = (runs) => ({
    runs,
    pagesPerSecond: median(runs.map((r) => r.pagesPerSecond)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
  });
  const ours = summary(results.ours);
  const crawlee = summary(results.crawlee);
  const report = {
    bench: "crawl",
    date: new Date().toISOString(),
    node: process.version,
    pages: expected,
    concurrency,
    politeness: "off (no delay, no robots.txt) for both",
    ours,
    crawlee,
    ratio: ours.pagesPerSecond / crawlee.pagesPerSecond,
  };
  saveResults(report);
  console.log(`median: ours ${ours.pagesPerSecond.toFixed(1)} pages/s / ${ours.peakRssMb.toFixed(1)} MB; crawlee ${crawlee.pagesPerSecond.toFixed(1)} pages/s / ${crawlee.peakRssMb.toFixed(1)} MB; ratio ${report.ratio.toFixed(2)} (≥ 0.95 is a tie or better)`);
}

function child(name, url) {
  return new Promise((resolve, reject) => {
    const cwd = path.join(tmpdir(), `crawl-bench-${name}-${process.pid}`);
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), "--run", name, "--url", url, "--concurrency", String(concurrency)], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, CRAWLEE_STORAGE_DIR: cwd, CRAWLEE_LOG_LEVEL: "ERROR" },
    });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      code === 0 ? resolve(JSON.parse(line)) : reject(new Error(`${name} exited with ${code}: ${out}`));
    });
  });
}

async function runOne(name, url, concurrency) {
  const started = performance.now();
  const { pages, listings } = name === "ours" ? await crawlOurs(url, concurrency) : await crawlCrawlee(url, concurrency);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ pages, listings, seconds, pagesPerSecond: pages / seconds, peakRssMb }));
}

async function crawlOurs(url, concurrency) {
  const { crawlSources } = await import(pathToFileURL(path.join(HERE, "..", "dist", "sources", "crawl", "index.js")).href);
  let pages = 0;
  let listings = 0;
  const options = { concurrency, perHostConcurrency: concurrency, delayMs: 0, robots: false, sitemaps: false, maxPages: 10_000, maxDepth: 10 };
  for await (const item of crawlSources([url], { ...options, onEvent: (e) => void (e.type === "fetched" && (pages += 1)) })) {
    if (item.kind === "listing") listings += 1;
  }
  return { pages, listings };
}

async function crawlCrawlee(url, concurrency) {
  const { CheerioCrawler, Configuration } = await import(pathToFileURL(path.join(HERE, "node_modules", "crawlee", "index.mjs")).href);
  let pages = 0;
  let listings = 0;
  const crawler = new CheerioCrawler(
    {
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      maxRequestsPerCrawl: 10_000,
      maxRequestRetries: 3,
      async requestHandler({ $, enqueueLinks }) {
        pages += 1;
        // The same work ours does per page: read the JSON-LD product, take title and offers.
        for (const script of $('script[type="application/ld+json"]').toArray()) {
          const data = JSON.parse($(script).text());
          if (data["@type"] === "Product" && data.name && data.offers) listings += 1;
        }
        await enqueueLinks({ strategy: "same-hostname" });
      },
    },
    new Configuration({ persistStorage: false }),
  );
  await crawler.run([url]);
  return { pages, listings };
}

async function generateSite(dir) {
  await mkdir(path.join(dir, "c"), { recursive: true });
  await mkdir(path.join(dir, "p"), { recursive: true });
  const perCategory = PRODUCTS / CATEGORIES;
  const links = (hrefs) => hrefs.map((h) => `<li><a href="${h}">${h}</a></li>`).join("");
  await writeFile(path.join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>Bench shop</title></head><body><ul>${links(Array.from({ length: CATEGORIES }, (_, c) => `/c/${c}.html`))}</ul></body></html>`);
  for (let c = 0; c < CATEGORIES; c += 1) {
    const products = Array.from({ length: perCategory }, (_, i) => `/p/${c * perCategory + i}.html`);
    await writeFile(path.join(dir, "c", `${c}.html`), `<!doctype html><html><head><meta charset="utf-8"><title>Category ${c}</title></head><body><a href="/">home</a><ul>${links(products)}</ul></body></html>`);
  }
  const filler = "<p>保温杯采用316不锈钢内胆，真空断热，12小时保温。Double-walled steel keeps drinks hot.</p>".repeat(20);
  for (let n = 0; n < PRODUCTS; n += 1) {
    const jsonLd = {
      "@context": "https://schema.org",
      "@type": "Product",
      name: `保温杯 ${n} 全国包邮`,
      offers: {
        "@type": "Offer",
        price: 50 + (n % 50),
        priceCurrency: "CNY",
        shippingDetails: [
          { "@type": "OfferShippingDetails", shippingRate: { value: 0, currency: "CNY" }, shippingDestination: { addressCountry: "CN" } },
          { "@type": "OfferShippingDetails", shippingRate: { value: 15, currency: "CNY" }, shippingDestination: { addressCountry: "CN", addressRegion: ["新疆", "西藏"] } },
        ],
      },
    };
    const near = [n - 1, n + 1].filter((m) => m >= 0 && m < PRODUCTS).map((m) => `/p/${m}.html`);
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>保温杯 ${n}</title><script type="application/ld+json">${JSON.stringify(jsonLd)}</script></head><body><header><a href="/">home</a> <a href="/c/${Math.floor(n / perCategory)}.html">category</a></header><main><h1>保温杯 ${n} 全国包邮</h1>${filler}<ul>${links(near)}</ul></main></body></html>`;
    await writeFile(path.join(dir, "p", `${n}.html`), html);
  }
}

/** bench/results.json is an array shared by all benchmarks; each run appends its entry. */
function saveResults(entry) {
  const file = path.join(HERE, "results.json");
  let results = [];
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8"));
      if (Array.isArray(parsed)) results = parsed;
    } catch {
      console.error(`${file} is not valid JSON; starting it afresh`);
    }
  }
  results.push(entry);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
