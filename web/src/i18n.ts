import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Lang = "zh" | "en";

/** Every word the app shows, in Chinese (the default) and English. */
const TEXTS = {
  appName: ["listing-audit 工作台", "listing-audit workbench"],
  navCheck: ["发布前检查", "Pre-launch check"],
  navShop: ["店铺自查", "Shop audit"],
  navHistory: ["历史", "History"],
  navTemplates: ["模板", "Templates"],
  navRules: ["规则", "Rules"],
  switchLang: ["English", "中文"],
  title: ["标题", "Title"],
  subtitle: ["宝贝卖点", "Selling point"],
  skus: ["SKU 名称（每行一个）", "SKU names (one per line)"],
  description: ["详情描述（HTML 或文字）", "Description (HTML or text)"],
  price: ["价格（元）", "Price (yuan)"],
  platform: ["平台", "Platform"],
  platformTaobao: ["淘宝", "Taobao"],
  platformTmall: ["天猫", "Tmall"],
  platformPinduoduo: ["拼多多", "Pinduoduo"],
  platformGeneric: ["独立站及其他", "Other shops"],
  template: ["运费模板", "Shipping template"],
  templateNone: ["不用模板", "No template"],
  templatePasted: ["粘贴模板", "Paste a template"],
  templateText: ["模板内容（YAML 或 JSON）", "Template text (YAML or JSON)"],
  templateId: ["商品使用的模板 ID", "Template id the listing uses"],
  checking: ["检查中…", "Checking…"],
  noFindings: ["未发现问题", "No findings"],
  findings: ["问题", "Findings"],
  marks: ["读出的宣称与说明", "Claims and disclosures read"],
  claim: ["宣称", "claim"],
  fieldTitle: ["标题", "title"],
  fieldSubtitle: ["宝贝卖点", "selling point"],
  fieldSku: ["SKU 名称", "SKU name"],
  fieldDescription: ["详情描述", "description"],
  fieldMobileDescription: ["无线详情", "mobile description"],
  disclosure: ["说明", "disclosure"],
  region: ["地区", "Region"],
  fee: ["运费", "Fee"],
  quantity: ["件数", "Quantity"],
  fix: ["修改建议", "Fix"],
  oneClickFix: ["一键修正", "Apply fix"],
  fixRefused: ["无法一键修正：{reason}", "No one-click fix: {reason}"],
  error: ["错误", "Error"],
  warning: ["警告", "Warning"],
  info: ["提示", "Info"],
  shop: ["店铺名称", "Shop name"],
  exports: ["商品导出文件（淘宝助理 CSV、Excel、JSON）", "Listing exports (淘宝助理 CSV, Excel, JSON)"],
  templateFiles: ["运费模板文件（YAML、JSON）", "Template files (YAML, JSON)"],
  dropHere: ["把文件拖到这里，或点击选择", "Drop files here, or click to choose"],
  startAudit: ["开始自查", "Start the audit"],
  uploading: ["上传中", "Uploading"],
  auditing: ["审核中：已审核 {n} 个商品", "Auditing: {n} listings audited"],
  runFailed: ["审核失败：", "The run failed: "],
  listings: ["商品", "Listings"],
  byListing: ["按商品", "By listing"],
  findingList: ["问题列表", "Findings"],
  passed: ["通过的商品", "Passed listings"],
  allSeverities: ["全部级别", "All severities"],
  allRules: ["全部规则", "All rules"],
  allRegions: ["全部地区", "All regions"],
  allStatus: ["新增与已知", "New and known"],
  statusNew: ["新增", "New"],
  statusKnown: ["已知", "Known"],
  search: ["搜索", "Search"],
  exportCsv: ["导出筛选结果（CSV，可用 Excel 打开）", "Export the filtered rows (CSV, opens in Excel)"],
  downloads: ["下载报告", "Download a report"],
  fixedExport: ["下载修正后的导出文件", "Download a corrected export"],
  more: ["加载更多", "Load more"],
  sort: ["排序", "Sort"],
  sortSeverity: ["问题最多在前", "Worst first"],
  sortInput: ["按导入顺序", "Input order"],
  listingId: ["商品 ID", "Listing id"],
  rule: ["规则", "Rule"],
  runs: ["运行记录", "Runs"],
  compare: ["比较", "Compare"],
  from: ["从", "From"],
  to: ["到", "To"],
  fixedFindings: ["已修复", "Fixed"],
  newFindings: ["新增", "New"],
  unchanged: ["未变", "Unchanged"],
  noRuns: ["这个店铺还没有运行记录", "This shop has no runs yet"],
  show: ["查看", "Show"],
  trend: ["趋势", "Trend"],
  name: ["名称", "Name"],
  save: ["保存", "Save"],
  remove: ["删除", "Delete"],
  storedTemplates: ["已保存的模板", "Stored templates"],
  newTemplate: ["新模板", "New template"],
  feeTable: ["各省运费（1 件）", "Fee per province (1 unit)"],
  free: ["包邮", "free"],
  undeliverable: ["不配送", "no delivery"],
  unknown: ["未知", "unknown"],
  docs: ["文档", "Docs"],
  severity: ["级别", "Severity"],
  status: ["状态", "Status"],
  date: ["时间", "Date"],
  problems: ["输入问题", "Input problems"],
  runDone: ["完成", "done"],
  runRunning: ["进行中", "running"],
  runFailedShort: ["失败", "failed"],
  runQueued: ["排队中", "queued"],
  queued: [
    "排队中：第 {n} 位，前面的审核结束后自动开始",
    "Queued: number {n} in line; starts when the runs ahead finish",
  ],
  shopSettingsOf: ["店铺设置：{shop}", "Shop settings: {shop}"],
  shopSettingsHint: [
    "这个店铺每次自查和带店铺名的发布前检查都会用这些设置；上传时另选的平台或模板文件优先。",
    "Every audit of this shop, and every check that names it, uses these settings; a platform or template files given with an upload win.",
  ],
  notSet: ["不设置（淘宝）", "Not set (Taobao)"],
  defaultTemplates: ["默认运费模板（上传时没有模板文件时使用）", "Default templates (used when an upload brings none)"],
  noStoredTemplates: [
    "还没有保存的模板：先在“模板”页保存",
    "No stored templates yet: store some on the Templates page",
  ],
  ruleSeverities: ["规则级别", "Rule severities"],
  ruleDefault: ["默认", "Default"],
  ruleOff: ["关闭", "Off"],
  remoteRegions: [
    "偏远地区（每行一个地区名或行政区划代码；留空用内置的）",
    "Remote regions (one region name or code per line; empty: the built-in set)",
  ],
  allowListings: [
    "不审核的商品 ID（每行一个，可用 * 通配）",
    "Listing ids not to audit (one per line, * matches anything)",
  ],
  allowPhrases: [
    "已知没问题的说法（宣称里含这些文字的问题不再报告；每行一个）",
    "Phrases known to be fine (findings whose claim contains one are dropped; one per line)",
  ],
  saveSettings: ["保存店铺设置", "Save the shop settings"],
  settingsSaved: ["已保存", "Saved"],
  appliedSettings: ["本次使用的店铺设置：", "Shop settings this run used:"],
} as const;

export type TextKey = keyof typeof TEXTS;

export type Translate = (key: TextKey, values?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, values) => {
    const text: string = TEXTS[key][lang === "zh" ? 0 : 1];
    return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? "")) : text;
  };
}

export const LangContext = createContext<{ lang: Lang; t: Translate }>({ lang: "zh", t: translator("zh") });

export function useT(): { lang: Lang; t: Translate } {
  return useContext(LangContext);
}
