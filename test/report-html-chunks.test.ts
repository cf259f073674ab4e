import { describe, expect, it } from "vitest";
import { SPOOL_CHUNK_LENGTH } from "../src/report/memory-spool.js";
import { createHtmlReporter } from "../src/report/html.js";
import { readHtmlReportData } from "./helpers/html-report-data.js";
import { FINDING, RESULT, RUN, SUMMARY } from "./report-fixtures.js";

// Red-team #30: a page of 140,000 listings with findings would pass V8's limit on one string's length,
// so the page must be written as a sequence of chunks, its rows read back from the run's spool.
describe("html reporter on a large run", () => {
  const ROWS = 30_000;

  function render(): string[] {
    const reporter = createHtmlReporter();
    reporter.start(RUN);
    for (let i = 0; i < ROWS; i++) {
      const id = `L${i}`;
      reporter.listing({
        ...RESULT,
        record: { ...RESULT.record, listing: { id, title: `保温杯 ${i} 全国包邮` } },
        findings: [{ ...FINDING, listingId: id }],
      });
      if (i % 100 === 0)
        reporter.problem({
          code: "listing/missing-title",
          message: `第 ${i} 行缺少标题`,
          source: { file: "x.json", row: i },
        });
    }
    const end = reporter.end({ ...SUMMARY, listings: ROWS, findings: ROWS, error: ROWS });
    expect(typeof end).not.toBe("string");
    return [...(end as Iterable<string>)];
  }

  it("is written in several chunks, none longer than a spool chunk plus the page's frame, that join to one page", () => {
    const chunks = render();
    const page = chunks.join("");
    expect(page.length).toBeGreaterThan(3 * SPOOL_CHUNK_LENGTH);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(SPOOL_CHUNK_LENGTH + 256 * 1024);
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page.endsWith("</html>\n")).toBe(true);
    // Every listing once, in order, and the counts match.
    const { listings } = readHtmlReportData(page);
    expect(listings.map((l) => l[0])).toEqual(Array.from({ length: ROWS }, (_, i) => `L${i}`));
    expect(page).toContain(`<span id="shown-count">${ROWS}</span> / ${ROWS} 个商品</span>`);
    expect(page).toMatch(/<h2>输入问题 \(300\)<\/h2>/);
    expect(page.match(/listing\/missing-title/g)).toHaveLength(300);
  });
});
