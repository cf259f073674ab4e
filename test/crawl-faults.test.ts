import { deflateSync, gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceItem } from "../src/model.js";
import { crawlSources, type CrawlOptions } from "../src/sources/crawl/index.js";
import {
  htmlResponse,
  rawResponse,
  startFaultServer,
  type FaultHandler,
  type FaultServer,
} from "./helpers/fault-server.js";
import { productPage } from "./helpers/local-server.js";

/**
 * Faults only: what test/crawl.test.ts already covers (429/5xx retries, a plain stall, trickle, robots) is not
 * repeated. Every server here answers or closes, so the timeout is far beyond what a loaded machine needs:
 * only the truly stalled server of its own test gets a short one.
 */
const TIGHT: CrawlOptions = {
  delayMs: 0,
  backoffMs: 5,
  timeoutMs: 20_000,
  maxRetries: 0,
  maxBodyBytes: 50_000,
  maxRedirects: 4,
  robots: false,
  sitemaps: false,
  concurrency: 16,
  perHostConcurrency: 16,
};

/** Compressed once, before any request: the server's work per request stays small and bounded. */
const GZIP_BOMB = gzipSync(Buffer.alloc(20_000_000, 0x20));

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(routes: Record<string, FaultHandler>, address?: string): Promise<FaultServer> {
  const server = await startFaultServer(routes, address);
  servers.push(server);
  return server;
}

async function crawl(urls: string[], options: CrawlOptions = {}): Promise<{ items: SourceItem[]; ms: number }> {
  const started = performance.now();
  const items: SourceItem[] = [];
  for await (const item of crawlSources(urls, { ...TIGHT, ...options })) items.push(item);
  return { items, ms: performance.now() - started };
}

const listingUrls = (items: SourceItem[]) => items.flatMap((i) => (i.kind === "listing" ? [i.record.source.url] : []));
const problemsByUrl = (items: SourceItem[]) =>
  Object.fromEntries(items.flatMap((i) => (i.kind === "problem" ? [[i.problem.source.url, i.problem.code]] : [])));

const page = (title: string, extra = "") => productPage(title, extra);
const ok =
  (title: string): FaultHandler =>
  (socket) =>
    htmlResponse(socket, page(title));
const redirect =
  (location: string): FaultHandler =>
  (socket) =>
    rawResponse(socket, ["HTTP/1.1 302 Found", `Location: ${location}`, "Content-Length: 0"]);

describe("a shop whose pages fail in every way", () => {
  it("finishes within its limits, reports each failure with its URL and audits every page that loaded", {
    timeout: 120_000,
  }, async () => {
    const faults: Record<string, FaultHandler> = {
      "/ok/1": ok("好 1"),
      "/ok/2": ok("好 2"),
      "/reset-before-headers": (socket) => socket.resetAndDestroy(),
      "/reset-in-headers": (socket) => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/ht");
        setTimeout(() => socket.resetAndDestroy(), 20);
      },
      "/reset-in-body": (socket) => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html><body>");
        setTimeout(() => socket.resetAndDestroy(), 20);
      },
      "/endless": (socket) => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n");
        const chunk = Buffer.from("<p>包邮</p>".repeat(500));
        const pump = () => {
          while (
            !socket.destroyed &&
            socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString("latin1")}\r\n`, "latin1")
          );
          if (!socket.destroyed) socket.once("drain", pump);
        };
        pump();
      },
      "/huge-declared": (socket) =>
        rawResponse(socket, ["HTTP/1.1 200 OK", "Content-Type: text/html", "Content-Length: 1000000000000"], "<html>"),
      "/length-short": (socket) => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4000\r\n\r\n${page("短")}`);
        setTimeout(() => socket.end(), 20);
      },
      "/length-long": (socket) => {
        const body = Buffer.from(page("长"));
        socket.end(
          Buffer.concat([
            Buffer.from("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n"),
            body,
          ]),
        );
      },
      "/gzip-bomb": (socket) => htmlResponse(socket, GZIP_BOMB, "text/html", ["Content-Encoding: gzip"]),
      "/deflate-garbage": (socket) =>
        htmlResponse(socket, Buffer.from("not deflate at all"), "text/html", ["Content-Encoding: deflate"]),
      "/deflate-ok": (socket) =>
        htmlResponse(socket, deflateSync(page("压缩")), "text/html", ["Content-Encoding: deflate"]),
      "/charset-lie": (socket) =>
        htmlResponse(
          socket,
          iconv.encode(page("纯棉毛巾 全国包邮").replace('<meta charset="utf-8">', ""), "gbk"),
          "text/html; charset=utf-8",
        ),
      "/charset-bogus": (socket) => htmlResponse(socket, page("毛巾 包邮"), "text/html; charset=x-no-such-charset"),
      "/charset-meta-lie": (socket) =>
        htmlResponse(
          socket,
          Buffer.from(page("浴巾 包邮").replace('<meta charset="utf-8">', '<meta charset="big5">')),
          "text/html",
        ),
      "/garbage-status": (socket) => socket.end("HTTP/1.1 abc Whatever\r\n\r\n"),
      "/not-http": (socket) => socket.end("SSH-2.0-OpenSSH_9.0\r\n"),
      "/loop-1": redirect("/loop-2"),
      "/loop-2": redirect("/loop-3"),
      "/loop-3": redirect("/loop-1"),
      "/self": redirect("/self"),
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/chain-${i}`, redirect(`/chain-${i + 1}`)])),
      "/to-javascript": redirect("javascript:alert(document.cookie)"),
      "/to-file": redirect("file:///etc/passwd"),
      "/to-data": redirect("data:text/html,<script>alert(1)</script>"),
      "/to-ftp": redirect("ftp://127.0.0.1/x"),
      "/empty-location": (socket) => rawResponse(socket, ["HTTP/1.1 302 Found", "Location: ", "Content-Length: 0"]),
    };
    const server = await serve({
      ...faults,
      "/": (socket) =>
        htmlResponse(
          socket,
          `<html><body>${Object.keys(faults)
            .map((p) => `<a href="${p}">x</a>`)
            .join("")}</body></html>`,
        ),
    });
    const { items, ms } = await crawl([server.url("/")], { maxDepth: 1 });
    // Hang guard only: every fault ends by itself (a cap, a close, a reset), none by the timeout.
    expect(ms).toBeLessThan(60_000);

    const audited = new Set(listingUrls(items));
    for (const path of ["/ok/1", "/ok/2", "/deflate-ok", "/charset-lie", "/charset-bogus", "/charset-meta-lie"])
      expect(audited, path).toContain(server.url(path));
    const problems = problemsByUrl(items);
    const expected: Record<string, string | RegExp> = {
      "/": "page/not-a-product",
      "/reset-before-headers": "crawl/network-error",
      "/reset-in-headers": "crawl/network-error",
      "/reset-in-body": "crawl/network-error",
      "/endless": "crawl/too-large",
      "/huge-declared": "crawl/too-large",
      "/length-short": /^crawl\/(network-error|timeout)$/,
      "/gzip-bomb": "crawl/too-large",
      "/deflate-garbage": "crawl/network-error",
      "/garbage-status": /^crawl\/(network-error|timeout)$/,
      "/not-http": "crawl/network-error",
      "/loop-1": "crawl/redirect-loop",
      "/loop-2": "crawl/redirect-loop",
      "/loop-3": "crawl/redirect-loop",
      "/self": "crawl/redirect-loop",
      "/chain-0": "crawl/too-many-redirects",
      "/to-javascript": "crawl/redirect-unsupported",
      "/to-file": "crawl/redirect-unsupported",
      "/to-data": "crawl/redirect-unsupported",
      "/to-ftp": "crawl/redirect-unsupported",
    };
    for (const [path, code] of Object.entries(expected)) expect(problems[server.url(path)], path).toMatch(code);
    // Every URL that was fetched is either audited or a problem: nothing disappears.
    const fetched = new Set(server.requests.map((r) => r.path));
    for (const path of fetched)
      expect(
        audited.has(server.url(path)) ||
          problems[server.url(path)] !== undefined ||
          path.startsWith("/chain-") ||
          path.startsWith("/loop-"),
        path,
      ).toBe(true);
  });
});

describe("a server that stops in the middle of its headers", () => {
  it("is a crawl/timeout after --timeout; the server is truly stalled, so a short timeout cannot flake", async () => {
    const server = await serve({ "/stall-headers-midway": (socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Ty") });
    const { items } = await crawl([server.url("/stall-headers-midway")], { timeoutMs: 2000 });
    expect(problemsByUrl(items)).toEqual({ [server.url("/stall-headers-midway")]: "crawl/timeout" });
  });
});

describe("hosts, schemes and credentials", () => {
  it("never follows non-http(s) links and never leaves the allowed hosts", async () => {
    const other = await serve({ "/p": ok("别家") }, await secondAddress());
    const server = await serve({
      "/": (socket) =>
        htmlResponse(
          socket,
          `<html><body>${[
            "javascript:fetch('/leak')",
            "file:///etc/passwd",
            "data:text/html,<a href=/x>",
            "ftp://127.0.0.1/p",
            "mailto:a@b.c",
            "blob:http://127.0.0.1/x",
            `//${other.host}/p`,
            other.url("/p"),
            `http://user:pw@${other.host}/p`,
            "/ok",
          ]
            .map((href) => `<a href="${href.replace(/"/g, "&quot;")}">x</a>`)
            .join("")}<area href="jaVaScRiPt:alert(1)"></body></html>`,
        ),
      "/ok": ok("本店"),
      "/leak": ok("泄漏"),
    });
    const { items } = await crawl([server.url("/")], { maxDepth: 2 });
    expect(listingUrls(items)).toEqual([server.url("/ok")]);
    expect(server.requests.map((r) => r.path).sort()).toEqual(["/", "/ok"]);
    expect(other.requests).toEqual([]);
  });

  it("sends no cookie back, and start-URL credentials only to their own origin even across allowed redirects", async () => {
    const other = await serve({ "/landing": ok("落地") }, await secondAddress());
    const server = await serve({
      "/": (socket) =>
        htmlResponse(
          socket,
          page("首页", `<a href="/second">2</a><a href="${other.url("/landing")}">o</a>`),
          "text/html; charset=utf-8",
          ["Set-Cookie: sid=secret; Path=/"],
        ),
      "/second": (socket) =>
        rawResponse(socket, [
          "HTTP/1.1 302 Found",
          `Location: ${other.url("/landing")}`,
          "Set-Cookie: sid2=secret",
          "Content-Length: 0",
        ]),
    });
    const start = server.url("/").replace("http://", "http://shop:pa%3Ass@");
    const { items } = await crawl([start], { maxDepth: 1, allowHosts: [other.host] });
    expect(listingUrls(items)).toEqual([server.url("/"), other.url("/landing")]);
    for (const request of [...server.requests, ...other.requests]) expect(request.headers.cookie).toBeUndefined();
    expect(
      server.requests.every((r) => r.headers.authorization === `Basic ${Buffer.from("shop:pa:ss").toString("base64")}`),
    ).toBe(true);
    // Linked and redirected to in the same level, the landing page may be fetched twice: never with the credentials.
    expect(other.requests.length).toBeGreaterThan(0);
    expect(other.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });
});

/** 127.0.0.2 where the system routes the whole 127/8 to loopback (Linux), else 127.0.0.1 on another port. */
async function secondAddress(): Promise<string> {
  try {
    const probe = await startFaultServer({}, "127.0.0.2");
    await probe.close();
    return "127.0.0.2";
  } catch {
    return "127.0.0.1";
  }
}
