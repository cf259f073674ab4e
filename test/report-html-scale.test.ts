/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { browserMissingFor, launchChromium } from "./helpers/chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegionCatalogue } from "../src/model.js";
import { loadRegionCatalogue } from "../src/regions/load-regions.js";
import { foldRegions, describeRegionSets } from "../src/report/html/region-fold.js";
import { reportLabels } from "../src/report/report-labels.js";
import { renderLargeReport } from "./helpers/large-html-report.js";

const browserMissing = browserMissingFor("report-html-scale");

let regions: RegionCatalogue;
beforeAll(async () => {
  const loaded = await loadRegionCatalogue();
  if (!loaded.ok) throw new Error("the bundled region data did not load");
  regions = loaded.value;
});

describe("folded region lists", () => {
  const named = (codes: readonly string[]) => codes.map((code) => ({ code, name: regions.get(code)?.name ?? code }));
  const fold = (codes: readonly string[], lang: "zh" | "en") =>
    foldRegions(named(codes), describeRegionSets(regions), reportLabels(lang).html);
  const without = (...left: string[]) => regions.mainland.filter((c) => !left.includes(c));

  it.each([
    ["every mainland province", () => regions.mainland, "全部 31 个省份", "all 31 provinces"],
    [
      "all but a group word",
      () => without("310000", "320000", "330000"),
      "除江浙沪外 28 个省份",
      "28 provinces except 江浙沪",
    ],
    [
      "all but two named",
      () => without("650000", "540000"),
      "除西藏、新疆外 29 个省份",
      "29 provinces except 西藏, 新疆",
    ],
    [
      "all with Hong Kong after the fold",
      () => [...regions.mainland, "810000"],
      "全部 31 个省份、香港特别行政区",
      "all 31 provinces, 香港特别行政区",
    ],
  ])("folds %s", (_, codes, zh, en) => {
    expect(fold(codes(), "zh")).toBe(zh);
    expect(fold(codes(), "en")).toBe(en);
  });

  it.each([
    ["a short list", () => ["650000", "540000"]],
    ["a ragged list", () => regions.mainland.slice(0, 20)],
  ])("leaves %s alone", (_, codes) => {
    expect(fold(codes(), "zh")).toBeUndefined();
  });
});

describe("the html report's data", () => {
  it("is embedded once, with repeated words in the string table", () => {
    const page = renderLargeReport(300, regions);
    const data = page.slice(
      page.indexOf('id="report-listings">') + 21,
      page.indexOf("</script>", page.indexOf("report-listings")),
    );
    const listings = JSON.parse(data) as unknown[][];
    expect(listings).toHaveLength(300);
    expect(listings[7]?.[0]).toBe("L7");
    expect(page.match(/shipping\/claim-charged-region/g)?.length).toBeLessThan(5);
    expect(page).toContain("除江浙沪外 28 个省份");
    expect(renderLargeReport(10, regions, "en")).toContain("28 provinces except 江浙沪");
  });
});

describe.skipIf(browserMissing)("the html report at scale in a browser", () => {
  const COUNT = 3000;
  /** Listings in the page scrolled through end to end. */
  const SCROLLED = 600;
  let browser: Browser;
  let dir: string;
  let url: string;
  let urlEn: string;
  let urlScroll: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "listing-audit-html-scale-"));
    writeFileSync(join(dir, "zh.html"), renderLargeReport(COUNT, regions));
    writeFileSync(join(dir, "en.html"), renderLargeReport(50, regions, "en"));
    writeFileSync(join(dir, "scroll.html"), renderLargeReport(SCROLLED, regions));
    urlScroll = pathToFileURL(join(dir, "scroll.html")).href;
    url = pathToFileURL(join(dir, "zh.html")).href;
    urlEn = pathToFileURL(join(dir, "en.html")).href;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(width: number, target = url): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(target);
    await page.waitForSelector("article.listing");
    return { page, errors };
  }
  const renderedIds = (page: Page) => page.locator("article.listing .listing-id").allTextContents();
  /** Scrolls so that the page's top is at `y`, then waits for the script's next frame. */
  async function scrollTo(page: Page, y: number) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }

  it("renders only the listings near the viewport, grouped with their findings", async () => {
    const { page, errors } = await open(1280);
    const ids = await renderedIds(page);
    expect(ids[0]).toBe("L0");
    expect(ids.length).toBeLessThan(60);
    expect(await page.locator("article.listing").first().locator("li.finding").count()).toBe(1);
    expect(await page.locator("article.listing").nth(2).locator("li.finding").count()).toBe(3);
    expect(await page.locator("article.listing").first().locator(".rule-title").first().textContent()).toBe(
      "包邮宣称与运费模板不符",
    );
    expect(await page.locator("article.listing").first().locator("details.folded summary").textContent()).toBe(
      "除江浙沪外 28 个省份 ¥12",
    );
    expect(await page.textContent("#shown-count")).toBe(String(COUNT));
    expect(errors).toEqual([]);
    await page.close();
  });

  // Steps of two viewports: less than the viewport and the script's overscan above and below it.
  it("shows every listing, in order, to a reader who scrolls to the end, and the right rows at each place", async () => {
    const { page } = await open(1280, urlScroll);
    const seen = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      const ids = await renderedIds(page);
      // The rendered rows are always a contiguous run of listings in input order.
      const numbers = ids.map((id) => Number(id.slice(1)));
      expect(numbers).toEqual(numbers.map((_, k) => (numbers[0] ?? 0) + k));
      // Whatever the reader sees at the top of the viewport is a rendered listing (or the gap after one).
      const covered = await page.evaluate(() => {
        const list = document.getElementById("listings")?.getBoundingClientRect();
        if (list === undefined || list.top > 0 || list.bottom < window.innerHeight) return true;
        return Array.from(document.querySelectorAll("article.listing")).some((article) => {
          const box = article.getBoundingClientRect();
          return box.top <= 0 && box.bottom + 12 >= 0;
        });
      });
      expect(covered).toBe(true);
      for (const id of ids) seen.add(id);
      if (seen.has(`L${SCROLLED - 1}`)) break;
      await scrollTo(page, await page.evaluate(() => window.scrollY + window.innerHeight * 2));
    }
    expect(seen.size).toBe(SCROLLED);
    await page.close();
  }, 300_000);

  it("filters, searches and sorts the whole run, not just the rendered rows", async () => {
    const { page } = await open(1280);
    await scrollTo(page, 50_000);
    await page.fill("#filter-text", "商品 2999 ");
    await page.waitForFunction(() => document.getElementById("shown-count")?.textContent === "1");
    expect(await renderedIds(page)).toEqual(["L2999"]);
    await page.fill("#filter-text", "");
    await page.selectOption("#filter-severity", "warning");
    // Rule i cycles error, info, warning: listing i has a warning when i % 3 is 2, or i % 3 is 1 with 2 findings…
    const warnings = Array.from({ length: COUNT }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, k) => (i + k) % 3).includes(2),
    ).filter(Boolean).length;
    expect(await page.textContent("#shown-count")).toBe(String(warnings));
    await page.selectOption("#filter-severity", "");
    await page.selectOption("#filter-rule", "invoice/refusal");
    expect(await page.textContent("#shown-count")).toBe(String(warnings));
    expect(await page.locator("article.listing li.finding.error").count()).toBe(0);
    await page.selectOption("#filter-rule", "");
    await page.selectOption("#sort", "most");
    await scrollTo(page, 0);
    expect((await renderedIds(page)).slice(0, 2)).toEqual(["L2", "L5"]);
    await page.fill("#filter-text", "没有这样的文字");
    expect(await page.isVisible("#no-match")).toBe(true);
    expect(await page.locator("article.listing").count()).toBe(0);
    await page.close();
  }, 120_000);

  it("fits 414 px without horizontal overflow", async () => {
    const { page } = await open(414);
    await page.locator("details.folded summary").first().click();
    // The open fold renders its list on the toggle event, after the click returns.
    await expect.poll(() => page.locator("details.folded[open] ul.regions li").count(), { timeout: 20_000 }).toBe(28);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await page.close();
  });

  it("folds region lists in English too", async () => {
    const { page } = await open(1280, urlEn);
    expect(await page.locator("details.folded summary").first().textContent()).toBe("28 provinces except 江浙沪 ¥12");
    await page.close();
  });
});
