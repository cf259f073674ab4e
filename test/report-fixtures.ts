import type { Finding, ListingResult, Summary } from "../src/model.js";
import { createMemorySpool } from "../src/report/memory-spool.js";
import type { RunInfo } from "../src/report/reporter.js";

export const RUN: RunInfo = {
  tool: { name: "listing-auditor", version: "0.1.0" },
  inputs: ["samples/listings.json"],
  rules: [],
  lang: "zh",
  platform: "taobao",
  failOn: "error",
  color: false,
  spool: createMemorySpool,
};

/** Everything a reporter call returned, as one string (`end` may return an iterable of chunks). */
export function joinChunks(chunk: string | Iterable<string>): string {
  return typeof chunk === "string" ? chunk : [...chunk].join("");
}

export const FINDING: Finding = {
  ruleId: "shipping/claim-charged-region",
  severity: "error",
  listingId: "1001",
  message: "标题宣称「全国包邮」，但运费模板 T1 对 西藏(¥20)、新疆(¥20) 收取运费，且未说明",
  source: { field: "title", line: 3, row: 1, file: "samples/listings.json" },
  claim: { text: "全国包邮", field: "title", start: 10, end: 14 },
  relatedClaims: [],
  regions: [
    { code: "540000", name: "西藏自治区", fee: 20, quantity: 1 },
    { code: "650000", name: "新疆维吾尔自治区", fee: 20, quantity: 1 },
  ],
  templateId: "T1",
  fix: "在宝贝卖点或标题写明「新疆西藏除外」",
  reference: "滥发信息—发布错误描述信息",
};

export const RESULT: ListingResult = {
  record: {
    listing: { id: "1001", title: "保温杯 全国包邮" },
    source: { file: "samples/listings.json", row: 1, line: 3 },
  },
  findings: [FINDING],
  problems: [],
};

export const SUMMARY: Summary = { listings: 3, findings: 1, error: 1, warning: 0, info: 0, problems: 1, skipped: 1 };
