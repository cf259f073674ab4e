import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseRobots } from "../src/sources/crawl/robots-rules.js";
import { decodeBody } from "../src/sources/crawl/decode.js";
import { backoffDelay, parseRetryAfter } from "../src/sources/crawl/retry.js";
import { parseSitemap } from "../src/sources/crawl/sitemap.js";
import { compileUrlFilter, normaliseUrl } from "../src/sources/crawl/url.js";

describe("decodeBody", () => {
  const zh = "<html><body><p>全国包邮，新疆西藏除外。这是一个商品的详细说明。</p></body></html>";
  const tw = "<html><body><p>全館免運費，離島地區除外。這是一個商品的詳細說明。</p></body></html>";
  it.each([
    [
      "header wins over meta",
      iconv.encode(zh.replace("<html>", '<html><meta charset="big5">'), "gbk"),
      "text/html; charset=GBK",
      "gb18030",
      "header",
    ],
    [
      "BOM",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(zh)]),
      "text/html; charset=gbk",
      "utf-8",
      "bom",
    ],
    [
      "meta charset",
      iconv.encode(zh.replace("<html>", '<html><head><meta charset="gb2312"></head>'), "gbk"),
      undefined,
      "gb18030",
      "meta",
    ],
    ["sniffed GBK", iconv.encode(zh, "gbk"), "text/html", "gb18030", "sniff"],
    ["sniffed Big5", iconv.encode(tw, "big5"), undefined, "big5hkscs", "sniff"],
    ["plain UTF-8", Buffer.from(zh), undefined, "utf-8", "sniff"],
  ])("%s", (_, bytes, type, encoding, from) => {
    const decoded = decodeBody(bytes, type);
    expect([decoded.encoding, decoded.from]).toEqual([encoding, from]);
    expect(decoded.text).toContain(encoding === "big5hkscs" ? "全館免運費" : "全国包邮");
  });
});

describe("URLs", () => {
  it("normalises: http(s) only, fragment and credentials dropped, host lower-cased, default port dropped, query order kept", () => {
    expect(normaliseUrl("HTTP://User:pw@Shop.Example:80/a/../b?z=1&a=2#frag")?.href).toBe(
      "http://shop.example/b?z=1&a=2",
    );
    expect(normaliseUrl("https://shop.example:443/")?.href).toBe("https://shop.example/");
    expect(normaliseUrl("javascript:void(0)")).toBeUndefined();
    expect(normaliseUrl("mailto:a@b.c")).toBeUndefined();
    expect(normaliseUrl("/p?id=1", "https://shop.example/x/")?.href).toBe("https://shop.example/p?id=1");
  });

  it("filters with globs over the path, or the whole URL when the pattern has a scheme", () => {
    const accepts = compileUrlFilter(["/item/**", "https://shop.example/promo/*"], ["**/*.pdf"]);
    const u = (s: string) => new URL(s);
    expect(accepts(u("https://shop.example/item/1?x=2"))).toBe(true);
    expect(accepts(u("https://shop.example/promo/a"))).toBe(true);
    expect(accepts(u("https://shop.example/blog/a"))).toBe(false);
    expect(accepts(u("https://shop.example/item/manual.pdf"))).toBe(false);
  });
});

describe("retry timing", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
  it("backs off exponentially with jitter", () => {
    expect(backoffDelay(0, 100, () => 0)).toBe(100);
    expect(backoffDelay(3, 100, () => 0.5)).toBe(1200);
  });
});

describe("parseSitemap", () => {
  it("reads urlsets and sitemap indexes, plain or gzipped, with namespaces and entities", () => {
    const urlset =
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://a.example/p?x=1&amp;y=2 </loc><lastmod>2024-01-01</lastmod></url></urlset>';
    expect(parseSitemap(gzipSync(urlset))).toEqual({ pages: ["https://a.example/p?x=1&y=2"], sitemaps: [] });
    const index =
      '<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://a.example/s1.xml.gz</sm:loc></sm:sitemap></sm:sitemapindex>';
    expect(parseSitemap(Buffer.from(index))).toEqual({ pages: [], sitemaps: ["https://a.example/s1.xml.gz"] });
  });
});

describe("parseRobots (RFC 9309)", () => {
  const robots = parseRobots(
    [
      "Disallow: /before-any-group",
      "User-agent: *",
      "Disallow: /",
      "",
      "User-agent: Other",
      "User-agent: listing-auditor",
      "Disallow: /private/",
      "Allow: /private/open",
      "Disallow: /*.pdf$",
      "Disallow: /search*q=",
      "Disallow: /%e4%b8%ad",
      "Disallow: /文/",
      "Allow: /same",
      "Disallow: /same",
      "Crawl-delay: 2",
      "# a comment line",
      "user-agent: LISTING-AUDITOR",
      "disallow: /merged # comment",
      "Sitemap: https://shop.example/sitemap.xml",
    ].join("\n"),
    "listing-auditor/0.1.0 (+https://www.npmjs.com/package/listing-auditor)",
  );

  it.each([
    ["/", true],
    ["/before-any-group", true],
    ["/private/x", false],
    ["/private/open/1", true],
    ["/docs/a.pdf", false],
    ["/docs/a.pdf?x=1", true],
    ["/search?page=2&q=towel", false],
    ["/search?page=2", true],
    ["/%E4%B8%AD/1", false],
    ["/%E6%96%87/1", false],
    ["/same", true],
    ["/merged/1", false],
  ])("%s → allowed %s", (path, allowed) => {
    expect(robots.isAllowed(path)).toBe(allowed);
  });

  it("takes the agent's own groups (merged), their Crawl-delay, the sitemaps, and * for other agents", () => {
    expect(robots.crawlDelay).toBe(2);
    expect(robots.sitemaps).toEqual(["https://shop.example/sitemap.xml"]);
    expect(parseRobots("User-agent: *\nDisallow: /\n\nUser-agent: x\nAllow: /\n", "someone-else").isAllowed("/a")).toBe(
      false,
    );
  });

  // Pattern × URL per rule (robots-parser's matcher) would take about a second per URL here: 50 URLs pass the test timeout.
  it("matches half a megabyte of wildcard rules against long URLs without blocking (hang guard: the test timeout)", () => {
    const lines = ["User-agent: *"];
    for (let i = 0, size = 0; size < 500 * 1024; i += 1) {
      const line = `Disallow: /*a*b*c*d*e*f*g*h*${i}x`;
      lines.push(line);
      size += line.length + 1;
    }
    const big = parseRobots(lines.join("\n"), "listing-auditor");
    for (let k = 0; k < 50; k += 1) expect(big.isAllowed(`/item/${"abcdefgh".repeat(250)}-${k}.html`)).toBe(true);
    expect(big.isAllowed("/item/abcdefgh7x")).toBe(false);
  });
});
