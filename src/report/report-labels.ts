import type { Lang, Severity, TextField } from "../model.js";

/** The words reporters put around findings, in the run's language. */
export interface ReportLabels {
  severity: Record<Severity, string>;
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
  quantityUnit: string;
  leftOut: (count: number) => string;
  notAnnotated: (count: number, limit: number) => string;
}

const ZH: ReportLabels = {
  severity: { error: "错误", warning: "警告", info: "提示" },
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
  quantityUnit: "件",
  leftOut: (count) => `另有 ${count} 条未列出（评论长度有限），完整结果请查看 HTML 或 JSON 报告。`,
  notAnnotated: (count, limit) => `另有 ${count} 条未标注（GitHub 每类最多显示 ${limit} 条）`,
};

const EN: ReportLabels = {
  severity: { error: "error", warning: "warning", info: "info" },
  fields: { title: "title", subtitle: "subtitle", sku: "SKU", description: "description", mobileDescription: "mobile description" },
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
  quantityUnit: "pcs",
  leftOut: (count) => `${count} more not shown (comment size limit); see the HTML or JSON report for all of them.`,
  notAnnotated: (count, limit) => `${count} more not annotated (GitHub shows at most ${limit} per level)`,
};

/** Labels for `lang`. */
export function reportLabels(lang: Lang): ReportLabels {
  return lang === "en" ? EN : ZH;
}
