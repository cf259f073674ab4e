import type { ListingResult, RegionCatalogue } from "../../src/model.js";
import { createHtmlReporter } from "../../src/report/html.js";
import { describeRegionSets } from "../../src/report/html/region-fold.js";
import { createMemorySpool } from "../../src/report/memory-spool.js";
import type { RunInfo } from "../../src/report/reporter.js";
import { RUN } from "../report-fixtures.js";

// The benchmark's generated run, so the tests check the run bench/html-bench.mjs measures.
const { largeRunListing, largeRunRuleInfo } = (await import(
  new URL("../../bench/lib/large-run.mjs", import.meta.url).href
)) as {
  largeRunListing: (i: number, regions: RegionCatalogue) => ListingResult;
  largeRunRuleInfo: () => RunInfo["rules"];
};

/** The benchmark's generated run of `count` listings (bench/lib/large-run.mjs says what each holds). */
export function generateListings(count: number, regions: RegionCatalogue): ListingResult[] {
  return Array.from({ length: count }, (_, i) => largeRunListing(i, regions));
}

/** The HTML report of {@link generateListings}' run, in `lang`. */
export function renderLargeReport(count: number, regions: RegionCatalogue, lang: "zh" | "en" = "zh"): string {
  const run: RunInfo = {
    ...RUN,
    lang,
    rules: largeRunRuleInfo(),
    regionSets: describeRegionSets(regions),
    spool: createMemorySpool,
  };
  const reporter = createHtmlReporter();
  reporter.start(run);
  let findings = 0;
  for (const result of generateListings(count, regions)) {
    reporter.listing(result);
    findings += result.findings.length;
  }
  const end = reporter.end({ listings: count, findings, error: 0, warning: 0, info: 0, problems: 0, skipped: 0 });
  return typeof end === "string" ? end : [...end].join("");
}
