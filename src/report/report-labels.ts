import type { Lang, Severity, TextField } from "../model.js";

/** Words only the HTML report needs. */
export interface HtmlLabels {
  title: string;
  inputs: string;
  platform: string;
  bySeverity: string;
  byRule: string;
  byRegion: string;
  search: string;
  allSeverities: string;
  allRules: string;
  allStatuses: string;
  shown: string;
  noMatch: string;
  sortBy: string;
  docs: string;
  context: string;
  noRegions: string;
  /** After the shown count: 显示 12 / 300 个商品. */
  listingsUnit: string;
  sortInput: string;
  sortWorst: string;
  sortMost: string;
  /** A folded region list's toggle that shows every region with its fee. */
  showRegions: string;
  allProvinces: (count: number) => string;
  provincesExcept: (excluded: string, count: number) => string;
  listSeparator: string;
}

/** The words reporters put around findings, in the run's language. */
export interface ReportLabels {
  severity: Record<Severity, string>;
  /** Column heading for severities. */
  level: string;
  fields: Record<TextField, string>;
  problem: string;
  problems: string;
  listing: string;
  listings: string;
  findings: string;
  rule: string;
  rules: string;
  field: string;
  claim: string;
  regions: string;
  region: string;
  template: string;
  fix: string;
  location: string;
  message: string;
  count: string;
  total: string;
  status: string;
  new: string;
  baselined: string;
  skipped: string;
  summary: string;
  noFindings: string;
  reference: string;
  /** When a region first pays at a quantity above 1, as a buyer reads it: 买 3 件时. */
  atQuantity: (quantity: number) => string;
  html: HtmlLabels;
  leftOut: (count: number) => string;
  notAnnotated: (count: number, limit: number) => string;
}

const ZH: ReportLabels = {
  severity: { error: "错误", warning: "警告", info: "提示" },
  level: "级别",
  fields: { title: "标题", subtitle: "卖点", sku: "SKU", description: "详情", mobileDescription: "无线详情" },
  problem: "输入问题",
  problems: "输入问题",
  listing: "商品",
  listings: "商品",
  findings: "问题",
  rule: "规则",
  rules: "规则",
  field: "字段",
  claim: "宣称",
  regions: "地区",
  region: "地区",
  template: "运费模板",
  fix: "修改建议",
  location: "位置",
  message: "说明",
  count: "数量",
  total: "合计",
  status: "状态",
  new: "新增",
  baselined: "已知",
  skipped: "跳过",
  summary: "汇总",
  noFindings: "未发现问题。",
  reference: "平台规则",
  atQuantity: (quantity) => `买 ${quantity} 件时`,
  html: {
    title: "商品包邮与发票宣称审计报告",
    inputs: "输入",
    platform: "平台",
    bySeverity: "按级别",
    byRule: "按规则",
    byRegion: "按地区（前 10）",
    search: "搜索商品、宣称、地区…",
    allSeverities: "全部级别",
    allRules: "全部规则",
    allStatuses: "全部状态",
    shown: "显示",
    noMatch: "没有符合筛选条件的问题。",
    sortBy: "排序",
    docs: "说明文档",
    context: "原文",
    noRegions: "—",
    listingsUnit: "个商品",
    sortInput: "按输入顺序",
    sortWorst: "最严重的在前",
    sortMost: "问题最多的在前",
    showRegions: "逐个地区",
    allProvinces: (count) => `全部 ${count} 个省份`,
    provincesExcept: (excluded, count) => `除${excluded}外 ${count} 个省份`,
    listSeparator: "、",
  },
  leftOut: (count) => `另有 ${count} 条未列出（评论长度有限），完整结果请查看 HTML 或 JSON 报告。`,
  notAnnotated: (count, limit) => `另有 ${count} 条未标注（GitHub 每类最多显示 ${limit} 条）`,
};

const EN: ReportLabels = {
  severity: { error: "error", warning: "warning", info: "info" },
  level: "severity",
  fields: {
    title: "title",
    subtitle: "subtitle",
    sku: "SKU",
    description: "description",
    mobileDescription: "mobile description",
  },
  problem: "input problem",
  problems: "input problems",
  listing: "listing",
  listings: "listings",
  findings: "findings",
  rule: "rule",
  rules: "rules",
  field: "field",
  claim: "claim",
  regions: "regions",
  region: "region",
  template: "template",
  fix: "fix",
  location: "location",
  message: "message",
  count: "count",
  total: "total",
  status: "status",
  new: "new",
  baselined: "baselined",
  skipped: "skipped",
  summary: "Summary",
  noFindings: "No findings.",
  reference: "platform rule",
  atQuantity: (quantity) => `when buying ${quantity}`,
  html: {
    title: "Listing audit: free-shipping and invoice claims",
    inputs: "Inputs",
    platform: "Platform",
    bySeverity: "By severity",
    byRule: "By rule",
    byRegion: "By region (top 10)",
    search: "Search listings, claims, regions…",
    allSeverities: "All severities",
    allRules: "All rules",
    allStatuses: "All statuses",
    shown: "Showing",
    noMatch: "No findings match the filters.",
    sortBy: "Sort",
    docs: "docs",
    context: "text",
    noRegions: "—",
    listingsUnit: "listings",
    sortInput: "Input order",
    sortWorst: "Worst first",
    sortMost: "Most findings first",
    showRegions: "each region",
    allProvinces: (count) => `all ${count} provinces`,
    provincesExcept: (excluded, count) => `${count} provinces except ${excluded}`,
    listSeparator: ", ",
  },
  leftOut: (count) => `${count} more not shown (comment size limit); see the HTML or JSON report for all of them.`,
  notAnnotated: (count, limit) => `${count} more not annotated (GitHub shows at most ${limit} per level)`,
};

/** Labels for `lang`. */
export function reportLabels(lang: Lang): ReportLabels {
  return lang === "en" ? EN : ZH;
}
