import { lstat, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlSources } from "../src/sources/crawl/index.js";
import { htmlPageReader } from "../src/sources/html-page-reader.js";
import type { SourceItem } from "../src/model.js";
import { productPage, startLocalServer, type LocalServer } from "./helpers/local-server.js";
import { collect } from "./helpers/collect.js";

const fixture = (name: string) => readFile(new URL(`fixtures/pages/${name}`, import.meta.url));

let server: LocalServer;
beforeAll(async () => {
  const [en, zh] = await Promise.all([fixture("en-free-shipping.html"), fixture("zh-baoyou.html")]);
  server = await startLocalServer({
    "/": {
      body: '<html><body><a href="/en">en</a> <a href="/zh">zh</a> <a href="/gone">gone</a> <a href="/en-alias">alias</a></body></html>',
    },
    "/en": { body: en },
    "/en-alias": { status: 301, headers: { location: "/en" } },
    "/zh": { headers: { "content-type": "text/html" }, body: zh },
  });
});
afterAll(() => server.close());

describe("--save-pages and offline audits", () => {
  it("crawls English and Chinese JSON-LD product pages, saves them, and reads them back identically", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "saved-pages-"));
    const crawled = await collect(crawlSources([server.url("/")], { delayMs: 0, savePages: dir }));

    const listings = crawled.flatMap((i) => (i.kind === "listing" ? [i.record] : []));
    expect(listings.map((r) => [r.source.url, r.country, r.template?.format])).toEqual([
      [server.url("/en"), "US", "json-ld"],
      [server.url("/zh"), "CN", "json-ld"],
    ]);
    expect(listings[1]?.template?.services[0]?.rows.find((r) => r.firstFee === 20)?.areas).toEqual([
      "540000",
      "650000",
    ]);
    expect(
      crawled.flatMap((i) => (i.kind === "problem" ? [[i.problem.code, i.problem.source.url, i.skipped]] : [])),
    ).toEqual([
      ["page/not-a-product", server.url("/"), true],
      ["crawl/http-status", server.url("/gone"), false],
      ["crawl/http-status", server.url("/cart"), false], // linked from the English page's header
    ]);

    const index = path.join(dir, "index.jsonl");
    const lines = (await readFile(index, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ format: "listing-auditor/saved-pages", version: 1 });
    expect(lines.slice(1).map((l) => [l.url, l.status])).toEqual([
      [server.url("/"), 200],
      [server.url("/en"), 200],
      [server.url("/zh"), 200],
      [server.url("/gone"), 404],
      [server.url("/en-alias"), 200],
      [server.url("/cart"), 404],
    ]);
    expect(lines[2]).toMatchObject({
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "bodies/000002.body",
    });
    expect(await readdir(path.join(dir, "bodies"))).toHaveLength(4);

    const bytes = await readFile(index);
    expect(htmlPageReader.detect({ name: index, head: bytes })).toBe(true);
    const offline = await collect(
      htmlPageReader.read({ name: index, head: bytes, open: () => Readable.from([bytes]) }, {}),
    );
    expect(offline).toEqual(crawled);
  });
});

describe("the demo shop in samples/shop-site", () => {
  it("crawls to its four product pages (one GBK), skipping the others and refusing /cart/", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["bench/serve-site.mjs", "samples/shop-site"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const origin = await new Promise<string>((resolve) =>
        child.stdout.once("data", (d: Buffer) =>
          resolve(
            String(d)
              .trim()
              .replace(/^listening /, "")
              .replace(/\/$/, ""),
          ),
        ),
      );
      const items = await collect(crawlSources([`${origin}/`], { delayMs: 0 }));
      const listings = items.flatMap((i) => (i.kind === "listing" ? [i.record] : []));
      expect(
        listings.map((r) => [r.listing.title, r.country, r.structuredDataIssues?.map((s) => s.kind) ?? []]),
      ).toEqual([
        ["316不锈钢保温杯 500ml 全国包邮", "CN", []],
        ["明前龙井 250g 江浙沪包邮", "CN", []],
        ["Trail Mug 12oz – Free Shipping*", "US", []],
        ["Desk Lamp — Ships Free", "US", ["currency-mismatch", "free-and-charged"]],
      ]);
      expect(
        items.flatMap((i) =>
          i.kind === "problem" ? [[i.problem.code, new URL(i.problem.source.url ?? "").pathname]] : [],
        ),
      ).toEqual([
        ["page/not-a-product", "/"],
        ["page/not-a-product", "/about.html"],
        ["crawl/robots-disallowed", "/cart/"],
      ]);
    } finally {
      child.kill();
    }
  });
});

describe("--save-pages into a folder that already holds something (red-team #22)", () => {
  const titlesOf = (items: SourceItem[]) =>
    items.flatMap((i) => (i.kind === "listing" ? [i.record.listing.title] : []));
  const offline = async (dir: string) => {
    const index = path.join(dir, "index.jsonl");
    const bytes = await readFile(index);
    return collect(htmlPageReader.read({ name: index, head: bytes, open: () => Readable.from([bytes]) }, {}));
  };

  it("merges into the previous crawl: new entries first, older pages kept, replaced bodies deleted", async () => {
    let version = 1;
    const site = await startLocalServer({
      "/a": { body: productPage("A") },
      "/b": (_, res) => res.writeHead(200, { "content-type": "text/html" }).end(productPage(`B${version}`)),
      "/c": { body: productPage("C") },
    });
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "saved-merge-"));
      await collect(crawlSources([site.url("/a"), site.url("/b")], { delayMs: 0, savePages: dir, sitemaps: false }));
      version = 2;
      await collect(crawlSources([site.url("/b"), site.url("/c")], { delayMs: 0, savePages: dir, sitemaps: false }));
      expect(titlesOf(await offline(dir))).toEqual(["B2", "C", "A"]);
      const lines = (await readFile(path.join(dir, "index.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => JSON.parse(l) as { url: string; body: string });
      expect(lines.map((l) => [new URL(l.url).pathname, l.body])).toEqual([
        ["/b", "bodies/000003.body"],
        ["/c", "bodies/000004.body"],
        ["/a", "bodies/000001.body"],
      ]);
      expect((await readdir(path.join(dir, "bodies"))).sort()).toEqual(["000001.body", "000003.body", "000004.body"]);
    } finally {
      await site.close();
    }
  });

  it("never writes through a planted symbolic link: a linked body is replaced, a linked bodies/ folder refused", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "saved-outside-"));
    const victim = path.join(outside, "victim.txt");
    await writeFile(victim, "keep me");

    const dir = await mkdtemp(path.join(tmpdir(), "saved-link-"));
    await mkdir(path.join(dir, "bodies"));
    await symlink(victim, path.join(dir, "bodies", "000001.body"));
    await collect(crawlSources([server.url("/en")], { delayMs: 0, savePages: dir, maxDepth: 0 }));
    expect(await readFile(victim, "utf8")).toBe("keep me");
    expect((await lstat(path.join(dir, "bodies", "000001.body"))).isSymbolicLink()).toBe(false);

    const linked = await mkdtemp(path.join(tmpdir(), "saved-linked-dir-"));
    await symlink(outside, path.join(linked, "bodies"));
    const before = server.requests.length;
    const items = await collect(crawlSources([server.url("/en")], { delayMs: 0, savePages: linked, maxDepth: 0 }));
    expect(items).toMatchObject([
      {
        kind: "problem",
        skipped: true,
        problem: {
          code: "saved-pages/unwritable",
          source: { file: linked },
          message: expect.stringMatching(/symbolic link/),
        },
      },
    ]);
    expect(server.requests.length).toBe(before);
    expect(await readdir(outside)).toEqual(["victim.txt"]);
  });

  it("refuses a folder whose index.jsonl is something else, and a file given as the folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "saved-foreign-"));
    await writeFile(path.join(dir, "index.jsonl"), '{"id":"1","title":"my listings"}\n');
    const items = await collect(crawlSources([server.url("/en")], { delayMs: 0, savePages: dir, maxDepth: 0 }));
    expect(items).toMatchObject([
      {
        kind: "problem",
        problem: { code: "saved-pages/unwritable", message: expect.stringMatching(/not a saved-pages index/) },
      },
    ]);
    expect(await readFile(path.join(dir, "index.jsonl"), "utf8")).toBe('{"id":"1","title":"my listings"}\n');

    const file = path.join(dir, "index.jsonl");
    const onFile = await collect(crawlSources([server.url("/en")], { delayMs: 0, savePages: file, maxDepth: 0 }));
    expect(onFile).toMatchObject([
      {
        kind: "problem",
        problem: { code: "saved-pages/unwritable", message: expect.stringMatching(/name a folder, not a file/) },
      },
    ]);
  });
});
