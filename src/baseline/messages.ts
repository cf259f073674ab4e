import type { Lang } from "../model.js";
import type { JsonShapeError } from "./json-members.js";

/** What a user reads about baselines and `--compare`, in the run's language. */
export interface BaselineMessages {
  shape: Record<JsonShapeError, string>;
  notBaseline: string;
  reportAsBaseline: string;
  notReport: string;
  baselineAsReport: string;
  missingKey: (key: string) => string;
  unknownKey: (key: string) => string;
  notArray: string;
  badVersion: (version: string) => string;
  badJson: (reason: string) => string;
  tooManyErrors: string;
  cannotRead: (code: string) => string;
  cannotWrite: (code: string) => string;
  missingBaseline: (file: string) => string;
  invalidBaselineReplaced: (file: string) => string;
  wroteBaseline: (count: number, file: string) => string;
  partialRun: (problems: number, file: string) => string;
  forcedPartial: (problems: number, file: string) => string;
  compared: (file: string, counts: { new: number; fixed: number; unchanged: number }) => string;
  newFinding: string;
  fixedFinding: string;
  notListed: (count: number) => string;
  split: (fresh: number, known: number) => string;
  textOnly: string;
  fixedHeading: (file: string) => string;
}

const ZH: BaselineMessages = {
  shape: {
    empty: "文件是空的（0 字节）",
    "not-an-object": "顶层不是 JSON 对象",
    syntax: "JSON 语法错误，之后的内容无法读取",
    truncated: "文件在中途结束（下载或写入不完整）",
    "too-long": "一个条目超过 800 万字符，文件已损坏",
  },
  notBaseline: '不是基线文件（缺少 "format": "listing-auditor-baseline"）；用 --update-baseline 生成',
  reportAsBaseline: "这是 -f json 生成的 JSON 报告，不是基线文件：报告用于 --compare，基线用 --update-baseline 生成",
  notReport: '不是 -f json 生成的 JSON 报告（缺少 "format": 1 或 "findings"）',
  baselineAsReport: "这是基线文件，不是 JSON 报告：基线用 --baseline 读取，--compare 需要上次 -f json 的报告",
  missingKey: (key) => `缺少 "${key}"`,
  unknownKey: (key) => `未知的键 "${key}"`,
  notArray: "应为数组",
  badVersion: (version) => `不支持的版本 ${version}（本工具写入和读取版本 1）`,
  badJson: (reason) => `不是有效的 JSON：${reason}`,
  tooManyErrors: "错误过多，其余不再列出",
  cannotRead: (code) => `无法读取：${code}`,
  cannotWrite: (code) => `无法写入：${code}`,
  missingBaseline: (file) => `基线文件不存在：全部问题按新增处理；用 --update-baseline 生成（${file}）`,
  invalidBaselineReplaced: (file) => `基线文件 ${file} 无效，本次运行按无基线处理，并用本次结果重新生成`,
  wroteBaseline: (count, file) => `已把 ${count} 个已知问题写入基线 ${file}`,
  partialRun: (problems, file) =>
    `本次运行不完整：${problems} 个输入问题跳过了记录或页面，这些商品的已知问题会从基线中丢失。基线 ${file} 未更新；修好输入后重新运行，或加 --force 仍然写入`,
  forcedPartial: (problems, file) =>
    `本次运行不完整（${problems} 个输入问题跳过了记录或页面），按 --force 仍然写入基线 ${file}`,
  compared: (file, c) => `与 ${file} 比较：新增 ${c.new} 个，已修复 ${c.fixed} 个，未变 ${c.unchanged} 个`,
  newFinding: "新增",
  fixedFinding: "已修复",
  notListed: (count) => `另有 ${count} 个未列出（见 JSON 报告）`,
  split: (fresh, known) => `新增 ${fresh} · 已知 ${known}`,
  textOnly: "--no-templates：未加载运费模板，只审核文字",
  fixedHeading: (file) => `已修复（与 ${file} 比较）`,
};

const EN: BaselineMessages = {
  shape: {
    empty: "the file is empty (0 bytes)",
    "not-an-object": "the top level is not a JSON object",
    syntax: "JSON syntax error; nothing after it can be read",
    truncated: "the file ends early (an incomplete download or write)",
    "too-long": "an entry is longer than 8 million characters; the file is damaged",
  },
  notBaseline: 'not a baseline file (no "format": "listing-auditor-baseline"); write one with --update-baseline',
  reportAsBaseline:
    "this is a JSON report written by -f json, not a baseline: reports are for --compare; write a baseline with --update-baseline",
  notReport: 'not a JSON report written by -f json (no "format": 1 or no "findings")',
  baselineAsReport:
    "this is a baseline file, not a JSON report: read baselines with --baseline; --compare needs a previous -f json report",
  missingKey: (key) => `missing "${key}"`,
  unknownKey: (key) => `unknown key "${key}"`,
  notArray: "expected an array",
  badVersion: (version) => `unsupported version ${version} (this tool writes and reads version 1)`,
  badJson: (reason) => `not valid JSON: ${reason}`,
  tooManyErrors: "too many errors; the rest are not listed",
  cannotRead: (code) => `cannot read: ${code}`,
  cannotWrite: (code) => `cannot write: ${code}`,
  missingBaseline: (file) =>
    `baseline file not found: every finding counts as new; write it with --update-baseline (${file})`,
  invalidBaselineReplaced: (file) => `baseline file ${file} is not valid; this run has no baseline and writes it anew`,
  wroteBaseline: (count, file) => `wrote ${count} known findings to ${file}`,
  partialRun: (problems, file) =>
    `this run is incomplete: ${problems} input problems skipped records or pages, whose known findings would drop out of the baseline. ${file} was not updated; fix the inputs and run again, or add --force to write it anyway`,
  forcedPartial: (problems, file) =>
    `this run is incomplete (${problems} input problems skipped records or pages); --force: wrote ${file} anyway`,
  compared: (file, c) => `compared with ${file}: ${c.new} new, ${c.fixed} fixed, ${c.unchanged} unchanged`,
  newFinding: "new",
  fixedFinding: "fixed",
  notListed: (count) => `${count} more not listed (see the JSON report)`,
  split: (fresh, known) => `${fresh} new · ${known} known`,
  textOnly: "--no-templates: no shipping template loaded; the text only was audited",
  fixedHeading: (file) => `Fixed (compared with ${file})`,
};

export function baselineMessages(lang: Lang): BaselineMessages {
  return lang === "en" ? EN : ZH;
}
