import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { redactCredentials } from "../src/sources/crawl/url.js";
import { runCli } from "./cli-io.js";
import { problems, titles, useCrawlHarness } from "./helpers/crawl-harness.js";
import { productPage } from "./helpers/local-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin/listing-audit.js");
const { serve, crawl } = useCrawlHarness();

/** A product page whose JSON-LD nests `depth` objects deep inside an otherwise ordinary product. */
function deepJsonLdPage(title: string, depth: number): string {
  const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  return `<!doctype html><html><head><title>${title}</title><script type="application/ld+json">{"@type":"Product","name":"${title}","additionalProperty":${deep}}</script></head><body><main>${title}</main></body></html>`;
}

/** A product page with `count` offers, the cheapest one last. */
function manyOffersPage(title: string, count: number): string {
  const offers = Array.from({ length: count }, (_, i) => ({
    "@type": "Offer",
    price: count - i + 0.5,
    priceCurrency: "CNY",
  }));
  return `<!doctype html><html><head><title>${title}</title><script type="application/ld+json">${JSON.stringify({ "@type": "Product", name: title, offers })}</script></head><body><main>${title}</main></body></html>`;
}

function send(res: ServerResponse, body: string, type = "text/html; charset=utf-8"): void {
  res.writeHead(200, { "content-type": type }).end(body);
}

describe("a hostile page among good ones (red-team #2)", () => {
  // A 7 MB page of 150,000 offers: seconds of parsing on an idle machine, so a wide timeout for a loaded one.
  it("makes 6,000-deep JSON-LD that page's located problem and reads 150,000 offers with a loop; the crawl goes on", {
    timeout: 120_000,
  }, async () => {
    const offersPage = manyOffersPage("Many offers", 150_000);
    const server = await serve({
      "/": { body: '<html><body><a href="/deep">d</a><a href="/offers">o</a><a href="/good">g</a></body></html>' },
      "/deep": { body: deepJsonLdPage("Deep", 6_000) },
      "/offers": { body: offersPage },
      "/good": { body: productPage("Good") },
    });
    const items = await crawl([server.url("/")], { maxBodyBytes: 20 * 1024 * 1024 });
    expect(titles(items)).toEqual(["Many offers", "Good"]);
    const offers = items.find((i) => i.kind === "listing" && i.record.listing.title === "Many offers");
    expect(offers?.kind === "listing" && offers.record.listing.price).toBe(1.5);
    const deep = items.find((i) => i.kind === "problem" && i.problem.code === "page/too-deep");
    expect(deep).toMatchObject({
      problem: {
        source: { url: server.url("/deep") },
        message: expect.stringMatching(/JSON-LD block 1: nested more than 64 levels/),
      },
    });
  });

  it("turns a page that extraction cannot handle into page/crashed and keeps the other pages (never exit 1)", async () => {
    const server = await serve({
      "/": { body: '<html><body><a href="/bad">b</a><a href="/good">g</a></body></html>' },
      "/bad": { body: productPage("Bad") },
      "/good": { body: productPage("Good") },
    });
    // An invalid CSS selector throws inside cheerio, for the one page the rule matches.
    const items = await crawl([server.url("/")], { extractors: [{ match: `${server.origin}/bad`, title: "[[[" }] });
    expect(titles(items)).toEqual(["Good"]);
    expect(problems(items)).toContainEqual(["page/crashed", server.url("/bad")]);
  });

  it("the command line audits such a shop with exit 0 and complete reports", { timeout: 120_000 }, async () => {
    const server = await serve({
      "/": { body: '<html><body><a href="/deep">d</a><a href="/good">g</a></body></html>' },
      "/deep": { body: deepJsonLdPage("Deep", 6_000) },
      "/good": { body: productPage("Plain towel") },
    });
    const dir = await mkdtemp(path.join(tmpdir(), "crawl-trust-"));
    const report = path.join(dir, "report.json");
    const child = spawn(
      process.execPath,
      [BIN, server.url("/"), "--platform", "generic", "--delay", "0", "-f", `json=${report}`],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/internal error|Unhandled|RangeError/);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(report, "utf8")) as {
      problems: Array<{ code: string; source: { url?: string } }>;
    };
    expect(json.problems).toContainEqual(
      expect.objectContaining({ code: "page/too-deep", source: { url: server.url("/deep") } }),
    );
  });
});

describe("sitemaps on other hosts (red-team #7)", () => {
  it("fetches no sitemap from a host that is not allowed, and obeys an allowed host's robots.txt", async () => {
    const foreign = await serve({
      "/sitemap.xml": { body: "<urlset/>", headers: { "content-type": "application/xml" } },
    });
    const allowed = await serve({
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: "User-agent: *\nDisallow: /private-sitemap.xml\n",
      },
      "/private-sitemap.xml": { body: "<urlset/>", headers: { "content-type": "application/xml" } },
    });
    let origin = "";
    const server = await serve({
      "/robots.txt": (_, res) =>
        send(
          res,
          `User-agent: *\nAllow: /\nSitemap: ${foreign.url("/sitemap.xml")}\nSitemap: ${origin}/index.xml\n`,
          "text/plain",
        ),
      "/index.xml": (_, res) =>
        send(
          res,
          `<?xml version="1.0"?><sitemapindex><sitemap><loc>http://127.0.0.1:9/port-scan.xml</loc></sitemap><sitemap><loc>${allowed.url("/private-sitemap.xml")}</loc></sitemap></sitemapindex>`,
          "application/xml",
        ),
      "/": { body: productPage("Home") },
    });
    origin = server.origin;
    const items = await crawl([server.url("/")], { allowHosts: [allowed.host] });
    expect(foreign.requests).toEqual([]);
    expect(allowed.requests.map((r) => r.path)).toEqual(["/robots.txt"]);
    expect(problems(items)).toEqual([
      ["crawl/sitemap-off-host", foreign.url("/sitemap.xml")],
      ["crawl/sitemap-off-host", "http://127.0.0.1:9/port-scan.xml"],
      ["crawl/robots-disallowed", allowed.url("/private-sitemap.xml")],
    ]);
    expect(titles(items)).toEqual(["Home"]);
  });
});

describe("the crawl's deadline and bounded retries (red-team #14)", () => {
  it("stops at --max-time and reports the URL in flight and every queued one as crawl/max-time", async () => {
    const server = await serve({
      "/stall": () => undefined,
      "/stall-body": (_, res) => res.writeHead(200, { "content-type": "text/html" }).write("<html>"),
      "/queued": { body: productPage("Queued") },
    });
    const urls = ["/stall", "/stall-body", "/queued"].map((p) => server.url(p));
    const started = Date.now();
    const items = await crawl(urls, {
      robots: false,
      maxTimeMs: 1_000,
      timeoutMs: 60_000,
      concurrency: 1,
      perHostConcurrency: 1,
    });
    // Hang guard only: without the deadline the stalls alone would take 2 × 240 s.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(problems(items)).toEqual(urls.map((u) => ["crawl/max-time", u]));
    expect(items.every((i) => i.kind === "problem" && i.skipped)).toBe(true);
  });

  it("gives one URL one budget of 4 × timeout for all its attempts: a body that never ends is not retried", async () => {
    const server = await serve({
      "/trickle": (_, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => res.write(" "), 50);
        res.on("close", () => clearInterval(timer));
      },
    });
    const items = await crawl([server.url("/trickle")], { robots: false, timeoutMs: 2000, maxRetries: 3 });
    expect(problems(items)).toEqual([["crawl/timeout", server.url("/trickle")]]);
    expect(server.requests.filter((r) => r.path === "/trickle")).toHaveLength(1);
  });
});

describe("--max-time on the command line", () => {
  it("ends a crawl of a stalled shop and does not pass it: the unfetched page is a problem, no record, exit 2", async () => {
    const server = await serve({ "/robots.txt": { status: 404 }, "/stall": () => undefined });
    const dir = await mkdtemp(path.join(tmpdir(), "crawl-max-time-"));
    const run = await runCli([server.url("/stall"), "--platform", "generic", "--max-time", "1", "-f", "json=r.json"], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/输入里没有一条可审核的记录/);
    expect(run.stderr).toMatch(/crawl\/max-time/);
  });
});

describe("number options a timer cannot hold (red-team #25)", () => {
  it("refuses --timeout, --delay, --max-time and --max-pages out of range with exit 2 and the option's bounds", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--timeout", "536870912"], /--timeout 须在 1 到 536870911 之间/],
      [["--delay", "2147483648"], /--delay 须在 0 到 2147483647 之间/],
      [["--max-time", "2147484"], /--max-time 须在 1 到 2147483 之间/],
      [["--max-pages", "100001", "--lang", "en"], /--max-pages must be from 1 to 100000 \(got 100001\)/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(["http://127.0.0.1:9/", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("refuses the same through the library with a TypeError naming the option", async () => {
    await expect(crawl(["http://127.0.0.1:9/"], { timeoutMs: 536_870_912 })).rejects.toThrow(
      /timeoutMs must be a number from 1 to 536870911/,
    );
    await expect(crawl(["http://127.0.0.1:9/"], { delayMs: 2 ** 31 })).rejects.toThrow(/delayMs/);
    await expect(crawl(["http://127.0.0.1:9/"], { maxTimeMs: 0 })).rejects.toThrow(/maxTimeMs/);
  });
});

describe("credentials in start URLs (red-team #12)", () => {
  it("are sent as Basic auth but appear in no report (HTML 输入, JSON, SARIF, text) and not on stderr", async () => {
    const server = await serve({ "/": { body: productPage("Towel") } });
    const start = server.url("/").replace("http://", "http://alice:s3cr3tP%40ss@");
    const invalid = "http://bob:hunter2@/";
    const dir = await mkdtemp(path.join(tmpdir(), "crawl-creds-"));
    const run = await runCli(
      [
        start,
        invalid,
        "--platform",
        "generic",
        "--delay",
        "0",
        "--max-problems",
        "5",
        "-f",
        "html=r.html",
        "-f",
        "json=r.json",
        "-f",
        "sarif=r.sarif",
        "-f",
        "text",
      ],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("alice:s3cr3tP@ss").toString("base64")}`,
    );
    const html = await readFile(path.join(dir, "r.html"), "utf8");
    expect(html).toContain(`${server.url("/")}, http:///`);
    for (const text of [
      html,
      await readFile(path.join(dir, "r.json"), "utf8"),
      await readFile(path.join(dir, "r.sarif"), "utf8"),
      run.stdout,
      run.stderr,
    ]) {
      expect(text).not.toMatch(/alice|s3cr3t|bob|hunter2/);
    }
  });

  it("are removed from every URL in a text by one linear function", () => {
    expect(redactCredentials("输入: http://alice:s3cr3tP%40ss@127.0.0.1:18080/a, HTTPS://u@x.example?q=a@b")).toBe(
      "输入: http://127.0.0.1:18080/a, HTTPS://x.example?q=a@b",
    );
    expect(redactCredentials("mailto:a@b.example http://x.example/a@b")).toBe(
      "mailto:a@b.example http://x.example/a@b",
    );
    expect(redactCredentials(`http://${"a".repeat(200_000)}`)).toHaveLength(200_007);
  });
});

describe("a robots.txt larger than the cap (red-team #20)", () => {
  it("still applies its first 500 KiB: a leading Disallow: / refuses every page, and the rest is not read", async () => {
    const filler = `# ${"x".repeat(97)}\n`.repeat(60_000); // 6 MB, more than any body cap
    const server = await serve({
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: `User-agent: *\nDisallow: /\n${filler}Allow: /\n`,
      },
      "/item/1": { body: productPage("One") },
    });
    const items = await crawl([server.url("/item/1")]);
    expect(problems(items)).toEqual([["crawl/robots-disallowed", server.url("/item/1")]]);
    expect(server.requests.map((r) => r.path)).toEqual(["/robots.txt"]);
  });
});
