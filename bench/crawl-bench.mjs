#!/usr/bin/env node
// Benchmark 3, crawl (issue 4, issue 6 §3): our crawler (../dist) against crawlee's CheerioCrawler on a
// generated local site of 2,000 product pages (plus an index and 20 category pages), served from a child
// process. Fixed, equal concurrency; politeness delays and robots.txt off for both; each run in a fresh
// process (so peak RSS is the crawler's own); median of 3 runs. A ratio ≥ 0.95 counts as a tie.
//   node bench/crawl-bench.mjs [--scale 0.1] [--concurrency 8] [--runs 3]
// (run `npm run build` first; crawlee comes from bench/package.json: `node bench/run.js crawl` installs it)
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BENCH_MODULES, missingPackages } from "./lib/bench-dependencies.mjs";
import { importDist } from "./lib/dist-library.mjs";
import { describeMachine, formatMachine } from "./lib/machine.mjs";
import { handOver, readCount, readOptions, scaled } from "./lib/options.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_PRODUCTS = 2000;
const CATEGORIES = 20;
const TIE = 0.95;

const values = readOptions("crawl-bench", {
  concurrency: { type: "string" },
  runs: { type: "string" },
  run: { type: "string" },
  url: { type: "string" },
});
const concurrency = readCount("crawl-bench", values, "concurrency", 8);
const runs = readCount("crawl-bench", values, "runs", 3);
const products = scaled(DEFAULT_PRODUCTS, values.scale, CATEGORIES);

if (values.run) await runOne(values.run, values.url, concurrency);
else await main();

async function main() {
  await importDist("sources/crawl/index.js");
  if (missingPackages(["crawlee"]).length > 0) {
    console.error(
      "crawl-bench: crawlee is not installed in bench/node_modules; `node bench/run.js crawl` installs it (npm ci --prefix bench)",
    );
    process.exit(2);
  }
  const machine = describeMachine();
  console.log(`machine: ${formatMachine(machine)}`);
  const site = await mkdtemp(path.join(tmpdir(), "crawl-bench-site-"));
  await generateSite(site);
  const server = spawn(process.execPath, [path.join(HERE, "serve-site.mjs"), site], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve) =>
    server.stdout.once("data", (d) =>
      resolve(
        String(d)
          .trim()
          .replace(/^listening /, ""),
      ),
    ),
  );
  const expected = 1 + CATEGORIES + products;
  console.log(
    `site: ${expected} pages (${products} product pages with JSON-LD), served from a child process at ${url}; concurrency ${concurrency} for both`,
  );
  const results = { ours: [], crawlee: [] };
  try {
    for (let i = 0; i < runs; i += 1) {
      for (const name of ["ours", "crawlee"]) {
        const result = await child(name, url);
        if (result.pages !== expected) throw new Error(`${name} fetched ${result.pages} pages, expected ${expected}`);
        results[name].push(result);
        console.log(
          `${name.padEnd(8)} run ${i + 1}: ${result.pagesPerSecond.toFixed(1)} pages/s, peak RSS ${result.peakRssMb.toFixed(1)} MB (${result.listings} listings)`,
        );
      }
    }
  } finally {
    server.kill();
    await rm(site, { recursive: true, force: true });
  }
  const summary = (list) => ({
    runs: list,
    pagesPerSecond: Number(median(list.map((r) => r.pagesPerSecond)).toFixed(1)),
    peakRssMb: Number(median(list.map((r) => r.peakRssMb)).toFixed(1)),
  });
  const ours = summary(results.ours);
  const crawlee = summary(results.crawlee);
  const ratio = Number((ours.pagesPerSecond / crawlee.pagesPerSecond).toFixed(2));
  const verdict = ratio >= 1 ? "ours is faster" : ratio >= TIE ? "a tie (≥ 0.95)" : "ours is slower (goal: ≥ 0.95)";
  console.log(
    `median of ${runs}: ours ${ours.pagesPerSecond} pages/s, peak RSS ${ours.peakRssMb} MB; crawlee ${crawlee.pagesPerSecond} pages/s, peak RSS ${crawlee.peakRssMb} MB`,
  );
  console.log(`ratio ours / crawlee pages/s: ×${ratio} — ${verdict}`);
  handOver(values, {
    bench: "crawl",
    date: new Date().toISOString(),
    machine,
    scale: values.scale,
    pages: expected,
    concurrency,
    politeness: "off (no delay, no robots.txt) for both",
    ours,
    crawlee,
    ratio,
    tieAt: TIE,
  });
}

function child(name, url) {
  return new Promise((resolve, reject) => {
    const storage = path.join(tmpdir(), `crawl-bench-${name}-${process.pid}`);
    const args = [
      fileURLToPath(import.meta.url),
      "--run",
      name,
      "--url",
      url,
      "--concurrency",
      String(concurrency),
      "--scale",
      String(values.scale),
    ];
    const proc = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, CRAWLEE_STORAGE_DIR: storage, CRAWLEE_LOG_LEVEL: "ERROR" },
    });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.on("error", reject);
    proc.on("exit", async (code) => {
      await rm(storage, { recursive: true, force: true });
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0) return reject(new Error(`${name} exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${name} printed no figures: ${out}`));
      }
    });
  });
}

async function runOne(name, url, concurrency) {
  // Modules load before the clock starts: the figure is crawling speed, not start-up time.
  const crawl = name === "ours" ? await loadOurs() : await loadCrawlee();
  const started = performance.now();
  const { pages, listings } = await crawl(url, concurrency);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ pages, listings, seconds, pagesPerSecond: pages / seconds, peakRssMb }));
}

async function loadOurs() {
  const { crawlSources } = await importDist("sources/crawl/index.js");
  return (url, concurrency) => crawlOurs(crawlSources, url, concurrency);
}

async function crawlOurs(crawlSources, url, concurrency) {
  let pages = 0;
  let listings = 0;
  const options = {
    concurrency,
    perHostConcurrency: concurrency,
    delayMs: 0,
    robots: false,
    sitemaps: false,
    maxPages: 10_000,
    maxDepth: 10,
  };
  for await (const item of crawlSources([url], {
    ...options,
    onEvent: (e) => {
      if (e.type === "fetched") pages += 1;
    },
  })) {
    if (item.kind === "listing") listings += 1;
  }
  return { pages, listings };
}

async function loadCrawlee() {
  const crawlee = await import(pathToFileURL(path.join(BENCH_MODULES, "crawlee", "index.mjs")).href);
  return (url, concurrency) => crawlCrawlee(crawlee, url, concurrency);
}

async function crawlCrawlee({ CheerioCrawler, Configuration }, url, concurrency) {
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
  const perCategory = Math.ceil(products / CATEGORIES);
  const links = (hrefs) => hrefs.map((h) => `<li><a href="${h}">${h}</a></li>`).join("");
  await writeFile(
    path.join(dir, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><title>Bench shop</title></head><body><ul>${links(Array.from({ length: CATEGORIES }, (_, c) => `/c/${c}.html`))}</ul></body></html>`,
  );
  for (let c = 0; c < CATEGORIES; c += 1) {
    const listed = Array.from({ length: perCategory }, (_, i) => c * perCategory + i).filter((n) => n < products);
    await writeFile(
      path.join(dir, "c", `${c}.html`),
      `<!doctype html><html><head><meta charset="utf-8"><title>Category ${c}</title></head><body><a href="/">home</a><ul>${links(listed.map((n) => `/p/${n}.html`))}</ul></body></html>`,
    );
  }
  const filler = "<p>保温杯采用316不锈钢内胆，真空断热，12小时保温。Double-walled steel keeps drinks hot.</p>".repeat(
    20,
  );
  for (let n = 0; n < products; n += 1) {
    const jsonLd = {
      "@context": "https://schema.org",
      "@type": "Product",
      name: `保温杯 ${n} 全国包邮`,
      offers: {
        "@type": "Offer",
        price: 50 + (n % 50),
        priceCurrency: "CNY",
        shippingDetails: [
          {
            "@type": "OfferShippingDetails",
            shippingRate: { value: 0, currency: "CNY" },
            shippingDestination: { addressCountry: "CN" },
          },
          {
            "@type": "OfferShippingDetails",
            shippingRate: { value: 15, currency: "CNY" },
            shippingDestination: { addressCountry: "CN", addressRegion: ["新疆", "西藏"] },
          },
        ],
      },
    };
    const near = [n - 1, n + 1].filter((m) => m >= 0 && m < products).map((m) => `/p/${m}.html`);
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>保温杯 ${n}</title><script type="application/ld+json">${JSON.stringify(jsonLd)}</script></head><body><header><a href="/">home</a> <a href="/c/${Math.floor(n / perCategory)}.html">category</a></header><main><h1>保温杯 ${n} 全国包邮</h1>${filler}<ul>${links(near)}</ul></main></body></html>`;
    await writeFile(path.join(dir, "p", `${n}.html`), html);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
