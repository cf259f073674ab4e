import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml } from "../src/report/escape-html.js";
import { createHtmlReporter } from "../src/report/html.js";
import { matchGolden } from "./golden/match-golden.js";
import { allFindings, renderReport, runInfo, summary } from "./fixtures/report-result.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing && process.env.CI === "true") {
  throw new Error(`report-html: chromium not found at ${CHROMIUM}; CI must install it (.ci/run does)`);
}
if (browserMissing)
  console.warn(`report-html: skipping the browser tests: no chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

const output = renderReport(createHtmlReporter);

describe("html reporter", () => {
  it("matches the golden file", () => matchGolden("report.html", output));

  it("escapes listing text in text and attributes, and loads nothing from the network", () => {
    expect(output).not.toContain("<script>alert(1)</script>");
    expect(output).not.toContain("<img");
    expect(output).toContain(escapeHtml('<script>alert(1)</script>儿童保温杯"><img src=x onerror=alert(1)>'));
    expect(output).not.toMatch(/\b(src|href)="(?!https:\/\/(shop\.example\.com|github\.com)\/)/);
    expect(output.match(/<script>/g)).toHaveLength(1);
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
    expect(empty).toContain('class="no-baseline"');
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
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

  it("renders the summary, charts and every finding, with hostile text inert", async () => {
    const { page, dialogs, requests, errors } = await openReport();
    expect(await page.title()).toBe("商品包邮与发票宣称审计报告");
    expect(await page.locator("#findings tbody tr").count()).toBe(allFindings.length);
    expect(await page.locator(".charts svg").count()).toBe(3);
    expect(await page.locator("#findings tbody tr").first().locator("mark").first().textContent()).toBe("全国包邮");
    await page.screenshot({ path: join(tmpdir(), "listing-audit-report.png"), fullPage: true });
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(1);
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
    const visible = () => page.locator("#findings tbody tr:visible").count();
    await page.fill("#filter-text", "新疆");
    expect(await visible()).toBe(3);
    expect(await page.textContent("#shown-count")).toBe("3");
    await page.fill("#filter-text", "没有这样的文字");
    expect(await visible()).toBe(0);
    expect(await page.isVisible("#no-match")).toBe(true);
    await page.fill("#filter-text", "");
    await page.selectOption("#filter-severity", "error");
    expect(await visible()).toBe(2);
    await page.selectOption("#filter-severity", "");
    await page.selectOption("#filter-rule", "invoice/refusal");
    expect(await visible()).toBe(1);
    await page.selectOption("#filter-rule", "");
    await page.selectOption("#filter-status", "new");
    expect(await visible()).toBe(allFindings.filter((f) => f.baselined === false).length);
    await page.close();
  });

  it("sorts by a column, both ways", async () => {
    const { page } = await openReport();
    const rules = () => page.locator("#findings tbody tr td.col-rule").allTextContents();
    await page.click("th.col-rule button");
    const ascending = await rules();
    // By what the reader sees (the rule's title, then its id), in the page language's collation.
    const lang = (await page.getAttribute("html", "lang")) ?? undefined;
    const collated = [...ascending].sort(new Intl.Collator(lang, { numeric: true }).compare);
    expect(ascending).toEqual(collated);
    expect(await page.getAttribute("th.col-rule", "aria-sort")).toBe("ascending");
    await page.click("th.col-rule button");
    expect(await rules()).toEqual([...ascending].reverse());
    await page.click("th.col-severity button");
    const severities = await page
      .locator("#findings tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-severity")));
    expect(severities).toEqual(["error", "error", "warning", "warning", "info", "info"]);
    await page.close();
  });
});
