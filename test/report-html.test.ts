/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { browserMissingFor, launchChromium } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, ListingResult } from "../src/model.js";
import { escapeHtml } from "../src/report/escape-html.js";
import { createHtmlReporter } from "../src/report/html.js";
import { PAYLOADS } from "./fixtures/xss-payloads.js";
import { matchGolden } from "./golden/match-golden.js";
import { readHtmlReportData } from "./helpers/html-report-data.js";
import { allFindings, renderReport, runInfo, summary } from "./fixtures/report-result.js";

const browserMissing = browserMissingFor("report-html");

const output = renderReport(createHtmlReporter);

describe("html reporter", () => {
  it("matches the golden file", () => matchGolden("report.html", output));

  it("escapes listing text in text and attributes, and loads nothing from the network", () => {
    expect(output).not.toContain("<script>alert(1)</script>");
    expect(output).not.toContain("<img");
    // Listing text lives in the data blocks, where every < > & is a JSON escape.
    const hostile = '<script>alert(1)</script>儿童保温杯"><img src=x onerror=alert(1)>';
    expect(output).toContain(JSON.stringify(hostile).slice(1, -1).replace(/</g, "\\u003c").replace(/>/g, "\\u003e"));
    expect(output).not.toMatch(/\b(src|href)="(?!https:\/\/(shop\.example\.com|github\.com)\/)/);
    expect(output.match(/<script>/g)).toHaveLength(1);
    expect(output.match(/<script type="application\/json"/g)).toHaveLength(2);
    expect(escapeHtml(`"'<>&\``)).toBe("&quot;&#39;&lt;&gt;&amp;&#96;");
  });

  it("renders a page without findings", () => {
    const empty = renderReport(createHtmlReporter, runInfo, [], {
      ...summary,
      findings: 0,
      error: 0,
      warning: 0,
      info: 0,
      problems: 0,
    });
    expect(empty).toContain("未发现问题");
    expect(empty).not.toContain('id="filter-status"');
    expect(readHtmlReportData(empty).listings).toEqual([]);
  });
});

describe.skipIf(browserMissing)("html report in a browser", () => {
  let browser: Browser;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "listing-audit-html-"));
    const file = join(dir, "report.html");
    writeFileSync(file, output);
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openReport() {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const dialogs: string[] = [];
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(url);
    return { page, dialogs, requests, errors };
  }

  it("renders the summary, charts and every finding grouped per listing, with hostile text inert", async () => {
    const { page, dialogs, requests, errors } = await openReport();
    expect(await page.title()).toBe("商品包邮与发票宣称审计报告");
    expect(await page.locator("li.finding").count()).toBe(allFindings.length);
    expect(await page.locator("article.listing").count()).toBe(new Set(allFindings.map((f) => f.listingId)).size);
    expect(await page.locator(".charts svg").count()).toBe(3);
    expect(await page.locator("li.finding").first().locator("mark").first().textContent()).toBe("全国包邮");
    await page.screenshot({ path: join(tmpdir(), "listing-audit-report.png"), fullPage: true });
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script:not([type])").count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.getByText('"><img src=x onerror="window.__pwned=1">', { exact: false }).count()).toBeGreaterThan(
      0,
    );
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("filters by text, severity, rule and status", async () => {
    const { page } = await openReport();
    const visible = () => page.locator("li.finding").count();
    await page.fill("#filter-text", "新疆");
    expect(await visible()).toBe(3);
    await page.fill("#filter-text", "没有这样的文字");
    expect(await visible()).toBe(0);
    expect(await page.textContent("#shown-count")).toBe("0");
    expect(await page.isVisible("#no-match")).toBe(true);
    await page.fill("#filter-text", "");
    await page.selectOption("#filter-severity", "error");
    expect(await visible()).toBe(allFindings.filter((f) => f.severity === "error").length);
    await page.selectOption("#filter-severity", "");
    await page.selectOption("#filter-rule", "invoice/refusal");
    expect(await visible()).toBe(1);
    await page.selectOption("#filter-rule", "");
    await page.selectOption("#filter-status", "new");
    expect(await visible()).toBe(allFindings.filter((f) => f.baselined === false).length);
    await page.close();
  });

  it("sorts the listings worst first and back to input order", async () => {
    const { page } = await openReport();
    const ids = () => page.locator("article.listing .listing-id").allTextContents();
    const inputOrder = await ids();
    await page.selectOption("#sort", "worst");
    const worst = await page
      .locator("article.listing")
      .evaluateAll((cards) =>
        cards.map((c) => (c.querySelector("li.error") ? 0 : c.querySelector("li.warning") ? 1 : 2)),
      );
    expect(worst).toEqual([...worst].sort());
    await page.selectOption("#sort", "input");
    expect(await ids()).toEqual(inputOrder);
    await page.close();
  });

  it("keeps every payload of the XSS corpus inert while rendering and searching it", async () => {
    const file = join(dir, "xss.html");
    writeFileSync(file, renderReport(createHtmlReporter, runInfo, payloadItems(), summary));
    const page = await browser.newPage({ viewport: { width: 414, height: 900 } });
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (r.url() !== pathToFileURL(file).href) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator("article.listing").count()).toBeGreaterThan(0);
    for (const payload of PAYLOADS.slice(0, 8)) {
      await page.fill("#filter-text", payload);
      await page.fill("#filter-text", "");
    }
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator("img, iframe, script:not([type])").count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

/** One listing per XSS payload, the payload in every text the page shows. */
function payloadItems() {
  return PAYLOADS.map((payload, i) => {
    const id = `x${i}${payload}`;
    const finding: Finding = {
      ...(allFindings[0] as Finding),
      listingId: id,
      message: `标题宣称「全国包邮」${payload}`,
      fix: payload,
      templateId: payload,
      regions: [{ code: "650000", name: payload, fee: 20, quantity: 1 }],
      claim: null,
    };
    const result: ListingResult = {
      record: { listing: { id, title: payload }, source: { file: `${payload}.json`, row: i + 1 } },
      findings: [finding],
      problems: [],
    };
    return { kind: "listing" as const, result };
  });
}
