import type { Finding, FindingRegion, ListingResult, RegionCatalogue, Severity } from "../../src/model.js";
import { createHtmlReporter } from "../../src/report/html.js";
import { describeRegionSets } from "../../src/report/html/region-fold.js";
import { createMemorySpool } from "../../src/report/memory-spool.js";
import type { RunInfo } from "../../src/report/reporter.js";
import { RUN } from "../report-fixtures.js";

const RULES: Array<{ id: string; title: string; severity: Severity }> = [
  { id: "shipping/claim-charged-region", title: "包邮宣称与运费模板不符", severity: "error" },
  { id: "shipping/vague-exclusion", title: "不包邮地区没有写明省份", severity: "info" },
  { id: "invoice/refusal", title: "拒开发票或开票加价", severity: "warning" },
];

/**
 * A generated run of `count` listings for the HTML report at scale: listing i is `L<i>`, titled
 * 「商品 i …」, with 1 + i % 3 findings cycling through three rules; every 5th listing's first finding
 * names every mainland province except 江浙沪 (so it folds), the others name 新疆 and 西藏.
 */
export function generateListings(count: number, regions: RegionCatalogue): ListingResult[] {
  const mainland = regions.mainland.map((code) => regions.get(code));
  const region = (code: string): FindingRegion => ({
    code,
    name: regions.get(code)?.name ?? code,
    fee: 12,
    quantity: 1,
  });
  const outsideJiangZheHu = mainland
    .filter((r) => r !== undefined && !["310000", "320000", "330000"].includes(r.code))
    .map((r) => region(r?.code ?? ""));
  return Array.from({ length: count }, (_, i) => {
    const id = `L${i}`;
    const title = `商品 ${i} 保温杯 全国包邮`;
    const findings: Finding[] = Array.from({ length: 1 + (i % 3) }, (_, k) => {
      const rule = RULES[(i + k) % RULES.length] ?? RULES[0];
      return {
        ruleId: rule?.id ?? "",
        severity: rule?.severity ?? "error",
        listingId: id,
        message: `标题宣称「全国包邮」，但运费模板 T${i % 7} 对部分地区收取运费（商品 ${i}）`,
        source: { field: "title", row: i + 1, file: "shop.csv" },
        claim: {
          text: "全国包邮",
          field: "title",
          start: title.indexOf("全国包邮"),
          end: title.indexOf("全国包邮") + 4,
        },
        relatedClaims: [],
        regions: k === 0 && i % 5 === 0 ? outsideJiangZheHu : [region("650000"), region("540000")],
        templateId: `T${i % 7}`,
        fix: "在标题写明不包邮的地区",
        reference: "滥发信息",
      };
    });
    return { record: { listing: { id, title }, source: { file: "shop.csv", row: i + 1 } }, findings, problems: [] };
  });
}

/** The HTML report of {@link generateListings}' run, in `lang`. */
export function renderLargeReport(count: number, regions: RegionCatalogue, lang: "zh" | "en" = "zh"): string {
  const run: RunInfo = {
    ...RUN,
    lang,
    rules: RULES.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      defaultSeverity: r.severity,
      description: r.title,
      reference: "滥发信息",
      docsUrl: "",
    })),
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
