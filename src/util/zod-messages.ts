import type { z } from "zod";

/**
 * The Chinese wording of schema issues (`--lang zh`), in one place. zod's own messages stay the English
 * ones. A schema's own English message (`.min(0, "must not be negative")`) is worded here too; one not
 * listed falls back to the wording of its issue code, which says the same from the issue's data.
 */
const CUSTOM_ZH: Readonly<Record<string, string>> = {
  "must not be empty": "不能为空",
  "id must not be empty": "id 不能为空",
  "must be one character": "必须是一个字符",
  "must be a number": "必须是数字",
  "expected a number": "应为数字",
  "expected a finite number": "应为有限的数字",
  "must not be negative": "不能为负数",
  "must be greater than 0": "必须大于 0",
  "must be a non-empty string": "必须是非空文本",
  "must be a region name, alias, group or code": "必须是地区名称、别名、地区组或行政区划代码",
  "must name at least one region": "至少要写一个地区",
  "must be 0, 1 (buyer pays), 2 or 3 (seller pays)": "必须是 0、1（买家承担运费）、2 或 3（卖家承担运费）",
  "must be 0 (piece), 1 (weight) or 3 (volume)": "必须是 0（按件数）、1（按重量）或 3（按体积）",
  "a pattern is at most 256 characters": "一个模式最多 256 个字符",
  "expected an ISO 3166-1 alpha-2 code such as CN or US": "应为 ISO 3166-1 两字母国家代码，如 CN 或 US",
  "expected an ISO 3166-1 alpha-2 code such as US": "应为 ISO 3166-1 两字母国家代码，如 US",
  "expected 32 lower-case hex digits": "应为 32 位小写十六进制数字",
  "expected an http(s) URL": "应为 http(s) 网址",
  "a promotion needs minAmount or minQuantity": "促销需要 minAmount 或 minQuantity",
  "match needs platform, category or id": "match 需要 platform、category 或 id",
};

/** describeOutOfRange's wording (src/util/number-limits.ts): the value, the bounds and the unit. */
const OUT_OF_RANGE = /^(\S+) is out of range \((\S+) to (\S+) (\S+)\)$/;
const UNIT_ZH: Readonly<Record<string, string>> = {
  yuan: "元",
  kg: "千克",
  "m³": "立方米",
  units: "单位",
  items: "件",
};

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: "文本",
  number: "数字",
  int: "整数",
  boolean: "true 或 false",
  array: "列表",
  object: "键值表",
  record: "键值表",
  null: "空值(null)",
  undefined: "空",
  bigint: "整数",
};

/** The issue in Chinese; `received` is the value found at the issue's path, for "实际为…". */
export function describeIssueZh(issue: z.core.$ZodIssue, received: unknown): string {
  const custom = CUSTOM_ZH[issue.message];
  if (custom !== undefined) return custom;
  const range = OUT_OF_RANGE.exec(issue.message);
  if (range) return `${range[1]} 超出范围（${range[2]} 到 ${range[3]} ${UNIT_ZH[range[4] as string] ?? range[4]}）`;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_ZH[issue.expected] ?? issue.expected;
      return received === undefined
        ? `缺少此项（应为${expected}）`
        : `应为${expected}，实际为${describeValueZh(received)}`;
    }
    case "invalid_value":
      return `应为 ${issue.values.map((v) => JSON.stringify(v)).join("、")} 之一，实际为${describeValueZh(received)}`;
    case "too_small":
      return describeBound(issue.origin, Number(issue.minimum), issue.inclusive === true, "min");
    case "too_big":
      return describeBound(issue.origin, Number(issue.maximum), issue.inclusive === true, "max");
    case "invalid_format":
      return issue.format === "regex"
        ? `格式不对（应符合 ${issue.pattern ?? "规定的格式"}）`
        : `格式不对（应为 ${issue.format}）`;
    case "not_multiple_of":
      return `必须是 ${String(issue.divisor)} 的倍数`;
    case "unrecognized_keys":
      return `未知的键 ${issue.keys.map((k) => `"${k}"`).join("、")}`;
    case "invalid_union":
      return received === undefined ? "缺少此项" : `类型不对：实际为${describeValueZh(received)}`;
    case "invalid_key":
      return "键无效";
    case "invalid_element":
      return "含有无效的值";
    default:
      return "值无效";
  }
}

function describeBound(origin: string, bound: number, inclusive: boolean, side: "min" | "max"): string {
  if (origin === "string") {
    if (side === "min") return bound <= 1 ? "不能为空" : `至少 ${bound} 个字符`;
    return `最多 ${bound} 个字符`;
  }
  if (origin === "array" || origin === "set") return side === "min" ? `至少要有 ${bound} 项` : `最多 ${bound} 项`;
  if (side === "min") return inclusive ? `不能小于 ${bound}` : `必须大于 ${bound}`;
  return inclusive ? `不能大于 ${bound}` : `必须小于 ${bound}`;
}

function describeValueZh(value: unknown): string {
  if (value === undefined) return "空";
  if (value === null) return "空值(null)";
  if (Array.isArray(value)) return "列表";
  if (typeof value === "object") return "键值表";
  const text = JSON.stringify(value);
  return ` ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
}
