// The generated run of the HTML report at scale, shared by the benchmark (bench/html-bench.mjs) and the
// report's scale tests (test/helpers/large-html-report.ts), so both measure and check the same run.

/** The three rules the run's findings cycle through, as the report's rule list describes them. */
const LARGE_RUN_RULES = [
  { id: "shipping/claim-charged-region", title: "包邮宣称与运费模板不符", severity: "error" },
  { id: "shipping/vague-exclusion", title: "不包邮地区没有写明省份", severity: "info" },
  { id: "invoice/refusal", title: "拒开发票或开票加价", severity: "warning" },
];

/** The run's rules as a reporter's `RunInfo.rules` holds them. */
export function largeRunRuleInfo() {
  return LARGE_RUN_RULES.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    defaultSeverity: r.severity,
    description: r.title,
    reference: "滥发信息",
    docsUrl: "",
  }));
}

/**
 * Listing i of the run (a ListingResult): `L<i>`, titled 「商品 i …」, with 1 + i % 3 findings cycling
 * through the three rules; every 5th listing's first finding names every mainland province except 江浙沪
 * (so it folds), the others name 新疆 and 西藏. `regions` is the bundled region catalogue.
 */
export function largeRunListing(i, regions) {
  const { outsideJiangZheHu, remote } = regionListsOf(regions);
  const id = `L${i}`;
  const title = `商品 ${i} 保温杯 全国包邮`;
  const findings = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
    ruleId: LARGE_RUN_RULES[(i + k) % LARGE_RUN_RULES.length].id,
    severity: LARGE_RUN_RULES[(i + k) % LARGE_RUN_RULES.length].severity,
    listingId: id,
    message: `标题宣称「全国包邮」，但运费模板 T${i % 7} 对部分地区收取运费（商品 ${i}）`,
    source: { field: "title", row: i + 1, file: "shop.csv" },
    claim: { text: "全国包邮", field: "title", start: title.indexOf("全国包邮"), end: title.indexOf("全国包邮") + 4 },
    relatedClaims: [],
    regions: k === 0 && i % 5 === 0 ? outsideJiangZheHu : remote,
    templateId: `T${i % 7}`,
    fix: "在标题写明不包邮的地区",
    reference: "滥发信息",
  }));
  return { record: { listing: { id, title }, source: { file: "shop.csv", row: i + 1 } }, findings, problems: [] };
}

const regionLists = new WeakMap();

/** The two region lists the findings name, built once per catalogue as the rules share theirs. */
function regionListsOf(regions) {
  let lists = regionLists.get(regions);
  if (lists === undefined) {
    const region = (code) => ({ code, name: regions.get(code)?.name ?? code, fee: 12, quantity: 1 });
    lists = {
      outsideJiangZheHu: regions.mainland.filter((c) => !["310000", "320000", "330000"].includes(c)).map(region),
      remote: [region("650000"), region("540000")],
    };
    regionLists.set(regions, lists);
  }
  return lists;
}
