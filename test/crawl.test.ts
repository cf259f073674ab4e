import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import type { CrawlOptions } from "../src/sources/crawl/index.js";
import { problems, titles, useCrawlHarness } from "./helpers/crawl-harness.js";
import { productPage } from "./helpers/local-server.js";

const { serve, crawl } = useCrawlHarness();

describe("decoding", () => {
  it("decodes a GBK page served without a charset (sniffed) and a Big5 page declared by http-equiv", async () => {
    const server = await serve({
      "/gbk": {
        headers: { "content-type": "text/html" },
        body: iconv.encode(
          productPage("纯棉毛巾 三条装 全国包邮", "<p>新疆西藏除外</p>").replace('<meta charset="utf-8">', ""),
          "gbk",
        ),
      },
      "/big5": {
        headers: { "content-type": "text/html" },
        body: iconv.encode(
          productPage("臺灣高山茶 免運費").replace(
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Type" content="text/html; charset=big5">',
          ),
          "big5",
        ),
      },
    });
    const items = await crawl([server.url("/gbk"), server.url("/big5")], { maxDepth: 0 });
    expect(titles(items)).toEqual(["纯棉毛巾 三条装 全国包邮", "臺灣高山茶 免運費"]);
    const first = items[0];
    expect(first?.kind === "listing" && first.record.listing.description).toContain("新疆西藏除外");
  });
});

describe("robots.txt", () => {
  it("refuses disallowed URLs as problems and honours Crawl-delay between requests", async () => {
    const server = await serve({
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n",
      },
      "/": { body: `${productPage("Home")}<a href="/a">a</a><a href="/private/b">b</a>` },
      "/a": { body: productPage("A") },
      "/private/b": { body: productPage("B") },
    });
    const items = await crawl([server.url("/")]);
    expect(titles(items)).toEqual(["Home", "A"]);
    expect(problems(items)).toEqual([["crawl/robots-disallowed", server.url("/private/b")]]);
    expect(server.requests.map((r) => r.path)).toEqual(["/robots.txt", "/", "/a"]);
    const [, home, a] = server.requests;
    // 1 s between request starts. The server notes arrivals on the test's own busy event loop, so an arrival
    // can be noted late: the bound leaves 300 ms for that.
    expect((a?.at ?? 0) - (home?.at ?? 0)).toBeGreaterThanOrEqual(700);
    expect(server.requests[1]?.headers["user-agent"]).toMatch(/^listing-auditor\/\d+\.\d+\.\d+ \(\+https?:/);
  });

  it("makes a Crawl-delay beyond the cap a problem; --no-robots ignores robots.txt", async () => {
    const server = await serve({
      "/robots.txt": {
        headers: { "content-type": "text/plain" },
        body: "User-agent: *\nCrawl-delay: 3600\nDisallow: /\n",
      },
      "/p": { body: productPage("P") },
    });
    expect(problems(await crawl([server.url("/p")], { crawlDelayCapMs: 1000 }))).toEqual([
      ["crawl/crawl-delay-too-long", server.url("/p")],
    ]);
    expect(titles(await crawl([server.url("/p")], { robots: false, sitemaps: false }))).toEqual(["P"]);
  });
});

function send(
  res: ServerResponse,
  body: string | Buffer,
  type = "text/html; charset=utf-8",
  status = 200,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": type, ...headers }).end(body);
}

describe("sitemaps", () => {
  it("finds pages through robots.txt → sitemap index → gzipped sitemap, filtered by hosts and include/exclude", async () => {
    let origin = "";
    const server = await serve({
      "/robots.txt": (_, res) =>
        send(res, `User-agent: *\nAllow: /\nSitemap: ${origin}/sitemap_index.xml\n`, "text/plain"),
      "/sitemap_index.xml": (_, res) =>
        send(
          res,
          `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sitemap-items.xml.gz</loc></sitemap></sitemapindex>`,
          "application/xml",
        ),
      "/sitemap-items.xml.gz": (_, res) =>
        send(
          res,
          gzipSync(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc>${origin}/item/1</loc></url><url><loc>${origin}/item/2?color=red&amp;size=m</loc></url>
            <url><loc>${origin}/blog/x</loc></url><url><loc>https://elsewhere.example/item/9</loc></url></urlset>`),
          "application/octet-stream",
        ),
      "/": { body: "<html><body><h1>Shop</h1></body></html>" },
      "/item/1": { body: productPage("Item 1") },
      "/item/2?color=red&size=m": { body: productPage("Item 2") },
      "/blog/x": { body: productPage("Blog") },
    });
    origin = server.origin;
    const items = await crawl([server.url("/")], { exclude: ["/blog/**"] });
    expect(titles(items)).toEqual(["Item 1", "Item 2"]);
    expect(items.filter((i) => i.kind === "problem" && i.skipped)).toHaveLength(1); // the home page is not a product
    expect(server.requests.some((r) => r.path.startsWith("/blog"))).toBe(false);
  });
});

describe("redirects", () => {
  it("follows same-host redirects, refuses other hosts unless allowed, and stops loops", async () => {
    const other = await serve({ "/landing": { body: productPage("Other host") } });
    const server = await serve({
      "/old": { status: 301, headers: { location: "/new#top" } },
      "/new": { body: productPage("New") },
      "/away": { status: 302, headers: { location: other.url("/landing") } },
      "/loop-a": { status: 302, headers: { location: "/loop-b" } },
      "/loop-b": { status: 302, headers: { location: "/loop-a" } },
    });
    const urls = ["/old", "/away", "/loop-a"].map((p) => server.url(p));
    const items = await crawl(urls, { maxDepth: 0 });
    expect(titles(items)).toEqual(["New"]);
    const first = items[0];
    expect(first?.kind === "listing" && first.record.source).toEqual({ url: server.url("/new") });
    expect(problems(items)).toEqual([
      ["crawl/redirect-off-host", server.url("/away")],
      ["crawl/redirect-loop", server.url("/loop-a")],
    ]);
    expect(titles(await crawl([server.url("/away")], { maxDepth: 0, allowHosts: [other.host] }))).toEqual([
      "Other host",
    ]);
  });
});

describe("retries and failures", () => {
  it("retries 429 with a Retry-After and 500s that recover", async () => {
    let throttled = 0;
    let broken = 0;
    const server = await serve({
      "/busy": (_, res) =>
        throttled++ === 0
          ? send(res, "slow down", "text/plain", 429, { "retry-after": "0" })
          : send(res, productPage("Busy")),
      "/flaky": (_, res) => (broken++ < 2 ? send(res, "oops", "text/plain", 500) : send(res, productPage("Flaky"))),
      "/down": { status: 502, body: "" },
    });
    const items = await crawl([server.url("/busy"), server.url("/flaky"), server.url("/down")], { maxDepth: 0 });
    expect(titles(items)).toEqual(["Busy", "Flaky"]);
    expect(problems(items)).toEqual([["crawl/http-status", server.url("/down")]]);
    expect([throttled, broken]).toEqual([2, 3]);
    expect(server.requests.filter((r) => r.path === "/down")).toHaveLength(3); // maxRetries 2
  });

  it("turns a too long Retry-After, 5xx, 404, stalls, trickles, huge and non-HTML bodies into problems", async () => {
    const big = productPage("Big", "x".repeat(40_000));
    const server = await serve({
      "/later": { status: 503, headers: { "retry-after": "3600" }, body: "" },
      "/down": { status: 500, body: "" },
      "/missing": { status: 404, body: "" },
      "/stall": () => undefined,
      "/stall-body": (_, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<html><body>");
      },
      "/trickle": (_, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        const timer = setInterval(() => res.write(" "), 100);
        res.on("close", () => clearInterval(timer));
      },
      "/big": { body: big },
      "/big-chunked": (_, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.write(big.slice(0, 20_000));
        res.end(big.slice(20_000));
      },
      "/file.pdf": { headers: { "content-type": "application/pdf" }, body: "%PDF-1.4" },
    });
    const answering = ["/later", "/down", "/missing", "/big", "/big-chunked", "/file.pdf"];
    const items = await crawl(
      answering.map((p) => server.url(p)),
      { maxDepth: 0, maxRetries: 0, maxBodyBytes: 10_000, concurrency: 8, perHostConcurrency: 8 },
    );
    expect(problems(items)).toEqual([
      ["crawl/retry-after-too-long", server.url("/later")],
      ["crawl/http-status", server.url("/down")],
      ["crawl/http-status", server.url("/missing")],
      ["crawl/too-large", server.url("/big")],
      ["crawl/too-large", server.url("/big-chunked")],
      ["crawl/not-html", server.url("/file.pdf")],
    ]);
    // Truly stalled servers only (no robots.txt to wait for), so a short timeout is what is under test.
    const stalled = ["/stall", "/stall-body", "/trickle"];
    const started = Date.now();
    const stalls = await crawl(
      stalled.map((p) => server.url(p)),
      {
        maxDepth: 0,
        timeoutMs: 1500,
        maxRetries: 0,
        robots: false,
        sitemaps: false,
        concurrency: 8,
        perHostConcurrency: 8,
      },
    );
    // Hang guard only: the trickle ends at 4 × 1.5 s.
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(problems(stalls)).toEqual(stalled.map((p) => ["crawl/timeout", server.url(p)]));
    expect(server.requests.filter((r) => r.path === "/down")).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === "/missing")).toHaveLength(1);
  });

  it("reports an unreachable host and a non-http start URL, and still ends", async () => {
    const dead = await serve({});
    const url = dead.url("/p");
    await dead.close();
    const items = await crawl([url, "ftp://example.com/x"], { maxRetries: 0 });
    expect(problems(items)).toEqual([
      ["crawl/invalid-url", "ftp://example.com/x"],
      ["crawl/network-error", url],
    ]);
    const unrobotted = await crawl([url], { maxRetries: 0, robots: false, sitemaps: false });
    expect(problems(unrobotted)).toEqual([["crawl/network-error", url]]);
  });
});

describe("politeness and credentials", () => {
  it("never has more requests in flight on a host than --per-host-concurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = (title: string) => (_: unknown, res: ServerResponse) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        send(res, productPage(title));
      }, 40);
    };
    const routes = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/s/${i}`, slow(`S${i}`)]));
    const server = await serve(routes);
    const items = await crawl(
      Object.keys(routes).map((p) => server.url(p)),
      { maxDepth: 0, concurrency: 8, perHostConcurrency: 2, robots: false, sitemaps: false },
    );
    expect(titles(items)).toEqual(["S0", "S1", "S2", "S3", "S4", "S5"]);
    expect(peak).toBe(2);
  });

  it("sends start-URL credentials to their origin only, and no cookies", async () => {
    const other = await serve({
      "/x": { body: productPage("X"), headers: { "content-type": "text/html", "set-cookie": "sid=1" } },
    });
    const server = await serve({
      "/private": { status: 302, headers: { location: other.url("/x"), "set-cookie": "sid=2" } },
    });
    const start = server.url("/private").replace("http://", "http://demo:s%40cret@");
    const items = await crawl([start], { maxDepth: 0, allowHosts: [other.host], robots: false, sitemaps: false });
    expect(titles(items)).toEqual(["X"]);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from("demo:s@cret").toString("base64")}`);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    expect(other.requests[0]?.headers.cookie).toBeUndefined();
    const listing = items[0];
    expect(listing?.kind === "listing" && JSON.stringify(listing.record)).not.toContain("cret");
  });
});

describe("link following", () => {
  it("follows links breadth-first within the host, de-duplicates, honours depth and max pages, in a stable order", async () => {
    const server = await serve({
      "/": {
        body: '<html><body><a href="/p/1#x">1</a><a href="/p/2">2</a><a href="/p/1">again</a><a href="mailto:a@b">m</a><a href="https://elsewhere.example/">e</a></body></html>',
      },
      "/p/1": { body: productPage("P1", '<a href="/p/3">3</a><a href="/">home</a>') },
      "/p/2": { body: productPage("P2", '<a href="/p/4" rel="nofollow">4</a>') },
      "/p/3": { body: productPage("P3", '<a href="/p/5">5</a>') },
      "/p/5": { body: productPage("P5") },
    });
    const options: CrawlOptions = { robots: false, sitemaps: false, concurrency: 3 };
    expect(titles(await crawl([server.url("/")], options))).toEqual(["P1", "P2", "P3", "P5"]);
    expect(titles(await crawl([server.url("/")], { ...options, maxDepth: 2 }))).toEqual(["P1", "P2", "P3"]);
    expect(titles(await crawl([server.url("/")], { ...options, maxPages: 3 }))).toEqual(["P1", "P2"]);
    expect(titles(await crawl([server.url("/p/1")], { ...options, maxPages: 1 }))).toEqual(["P1"]);
    // Start URLs are fetched whatever the patterns say; discovered links must match them.
    expect(titles(await crawl([server.url("/p/2"), server.url("/p/1")], { ...options, include: ["/p/3"] }))).toEqual([
      "P2",
      "P1",
      "P3",
    ]);
  });

  it("rejects nonsensical options with a TypeError naming the option", async () => {
    await expect(crawl(["http://127.0.0.1:9/"], { concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});
