/**
 * The parts shipping statements are composed of (docs/reading.md), and every composition of them with the
 * reading it must get, computed from the parts. The generated suite (test/generated-reading.test.ts) runs
 * them all through the parser.
 */

/** Province short names and their GB/T 2260 codes. */
const PROVINCE = {
  新疆: "650000",
  西藏: "540000",
  青海: "630000",
  宁夏: "640000",
  甘肃: "620000",
  内蒙古: "150000",
  海南: "460000",
} as const;
type Province = keyof typeof PROVINCE;

/** The configured remote set an open list (…等) also stands for. */
export const REMOTE = ["150000", "540000", "620000", "630000", "640000", "650000"];

export interface Expected {
  kind: "exclusion" | "no-delivery" | "surcharge";
  regions: string[];
  fee: number | null;
  vague: boolean;
  /** Provinces named only through their places (湛江市), when the case says. */
  partial?: string[];
}

export interface GeneratedCase {
  production: string;
  text: string;
  /** The one disclosure the text must read, or none (a near miss). */
  disclosure: Expected | null;
  /** When the text holds a claim: the regions it must exclude (its disclosure's). */
  claimExcluded?: string[];
  /** A condition the claim must read. */
  condition?: { minAmount?: number; minQuantity?: number };
}

interface RegionList {
  text: string;
  codes: string[];
  vague: boolean;
}

const NAME_SETS: Province[][] = [
  ["新疆"],
  ["新疆", "西藏"],
  ["青海", "宁夏", "甘肃"],
  ["内蒙古", "新疆", "西藏", "海南"],
];
const SEPARATORS = ["、", "，", " ", "和", "/", ""];
/** How a list ends: closed, or open (…等) so that it also stands for the remote set. */
const CLOSINGS: Array<{ text: string; open: boolean }> = [
  { text: "", open: false },
  { text: "地区", open: false },
  { text: "等", open: true },
  { text: "等地区", open: true },
];

/** Every region-list shape: name set × separator × closing. */
export function regionLists(): RegionList[] {
  const lists: RegionList[] = [];
  for (const names of NAME_SETS) {
    for (const separator of SEPARATORS) {
      if (names.length === 1 && separator !== "") continue;
      for (const closing of CLOSINGS) {
        const codes = names.map((n) => PROVINCE[n]);
        lists.push({
          text: names.join(separator) + closing.text,
          codes: sorted(closing.open ? [...codes, ...REMOTE] : codes),
          vague: closing.open,
        });
      }
    }
  }
  return lists;
}

function sorted(codes: readonly string[]): string[] {
  return [...new Set(codes)].sort();
}

/** Markers that follow their regions, with the glue that may stand between. */
const POSTFIX_MARKERS: Array<{ marker: string; kind: Expected["kind"]; glue: string[] }> = [
  { marker: "除外", kind: "exclusion", glue: [""] },
  { marker: "不包邮", kind: "exclusion", glue: ["", "均", "暂", "都"] },
  { marker: "不参与包邮", kind: "exclusion", glue: ["", "暂"] },
  { marker: "不发货", kind: "no-delivery", glue: ["", "暂", "均", "一律"] },
  { marker: "不配送", kind: "no-delivery", glue: ["", "暂"] },
  { marker: "无法到达", kind: "no-delivery", glue: [""] },
  { marker: "邮费自理", kind: "exclusion", glue: ["", "需"] },
];

/** Copulas and the noun markers they join to a list (青海、宁夏为非包邮区). */
const COPULAS = ["为", "是", "属于", "均为"];
const NOUN_MARKERS = ["非包邮区", "不包邮地区", "不包邮的"];

/** Verb markers that take their regions after them (不发青海; 不发往新疆). */
const VERB_MARKERS = ["不发", "不发货", "不配送", "不发往", "无法到达", "暂不支持寄往", "不支持配送"];

/** A marker, list-head glue and a colon, then the list (不包邮的地区：新疆 西藏). */
const LIST_HEADS: Array<{ head: string; kind: Expected["kind"] }> = [
  { head: "不包邮地区：", kind: "exclusion" },
  { head: "不包邮的地区：", kind: "exclusion" },
  { head: "不包邮地区: ", kind: "exclusion" },
  { head: "不发货地区：", kind: "no-delivery" },
  { head: "不包邮地区有", kind: "exclusion" },
];

/** Surcharge markers and amounts as sellers write them. */
const SURCHARGES = ["补运费", "需补差价", "补差价", "加收运费", "需补邮费", "➕"];
const AMOUNTS: Array<{ text: string; value: number }> = [
  { text: "8元", value: 8 },
  { text: "10元", value: 10 },
  { text: "¥15", value: 15 },
];

/** How a claim may stand before a disclosure in the same text. */
type Context = { before: string; after: string };
const ALONE: Context = { before: "", after: "" };
const AFTER_CLAIM: Context = { before: "全国包邮，", after: "" };
const CLAIM_CONTEXTS: Context[] = [
  ALONE,
  AFTER_CLAIM,
  { before: "全场包邮 ", after: "" },
  { before: "包邮（", after: "）" },
];

export function generateCases(): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  const lists = regionLists();
  const push = (production: string, context: Context, body: string, disclosure: Expected) => {
    const claimed = context.before !== "";
    cases.push({
      production,
      text: context.before + body + context.after,
      disclosure,
      ...(claimed ? { claimExcluded: disclosure.regions } : {}),
    });
  };
  for (const list of lists) {
    for (const [i, context] of CLAIM_CONTEXTS.entries()) {
      for (const { marker, kind, glue } of POSTFIX_MARKERS) {
        const g = glue[i % glue.length] as string;
        push("regions glue marker", context, list.text + g + marker, {
          kind,
          regions: list.codes,
          fee: null,
          vague: list.vague,
        });
      }
    }
    for (const copula of COPULAS) {
      for (const noun of NOUN_MARKERS) {
        push("regions copula noun-marker", AFTER_CLAIM, list.text + copula + noun, {
          kind: "exclusion",
          regions: list.codes,
          fee: null,
          vague: list.vague,
        });
      }
    }
    for (const verb of VERB_MARKERS) {
      for (const context of [ALONE, AFTER_CLAIM]) {
        push("verb regions", context, verb + list.text, {
          kind: "no-delivery",
          regions: list.codes,
          fee: null,
          vague: list.vague,
        });
      }
    }
    for (const { head, kind } of LIST_HEADS) {
      push("marker head regions", ALONE, head + list.text, { kind, regions: list.codes, fee: null, vague: list.vague });
    }
    for (const marker of SURCHARGES) {
      for (const amount of AMOUNTS) {
        push("regions surcharge amount", AFTER_CLAIM, list.text + marker + amount.text, {
          kind: "surcharge",
          regions: list.codes,
          fee: amount.value,
          vague: list.vague,
        });
      }
    }
    if (!list.vague) {
      push("prefix regions closer", { before: "全国包邮（", after: "）" }, `除${list.text}外`, {
        kind: "exclusion",
        regions: list.codes,
        fee: null,
        vague: false,
      });
      push("prefix regions", { before: "全国包邮（", after: "）" }, `不含${list.text}`, {
        kind: "exclusion",
        regions: list.codes,
        fee: null,
        vague: false,
      });
    }
  }
  cases.push(...placeCases(), ...conditionCases(), ...nearMisses());
  return cases;
}

/** Places below province level — known (酒泉市, 湛江市) or not (云龙镇) — never break a list. */
const PLACE_LISTS: Array<{ names: string[]; codes: string[]; partial: string[] }> = [
  { names: ["青海", "甘肃", "酒泉市", "嘉峪关市"], codes: ["620000", "630000"], partial: [] },
  { names: ["内蒙古", "呼伦贝尔市", "宁夏"], codes: ["150000", "640000"], partial: [] },
  { names: ["新疆", "湛江市"], codes: ["440000", "650000"], partial: ["440000"] },
  { names: ["西藏", "云龙镇", "青海"], codes: ["540000", "630000"], partial: [] },
  { names: ["乌鲁木齐市", "拉萨市"], codes: ["540000", "650000"], partial: ["540000", "650000"] },
  { names: ["西藏", "海淀区", "门头沟"], codes: ["110000", "540000"], partial: ["110000"] },
];

function placeCases(): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  for (const list of PLACE_LISTS) {
    for (const separator of ["、", "，", " "]) {
      const text = list.names.join(separator);
      for (const { marker, kind } of POSTFIX_MARKERS) {
        for (const context of CLAIM_CONTEXTS) {
          const disclosure: Expected = { kind, regions: list.codes, fee: null, vague: false, partial: list.partial };
          cases.push({
            production: "places in a list",
            text: context.before + text + marker + context.after,
            disclosure,
            ...(context.before === "" ? {} : { claimExcluded: list.codes }),
          });
        }
      }
    }
  }
  return cases;
}

/** 满3件或满128元包邮: every alternative is kept, whichever comes first. */
function conditionCases(): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  for (const joiner of ["或", "或者", "或是"]) {
    for (const [count, amount] of [
      [2, 99],
      [3, 128],
      [5, 199],
    ] as const) {
      for (const countFirst of [true, false]) {
        const parts = countFirst ? [`满${count}件`, `满${amount}元`] : [`满${amount}元`, `${count}件`];
        cases.push({
          production: "condition 或 condition",
          text: `${parts.join(joiner)}包邮`,
          disclosure: null,
          claimExcluded: [],
          condition: { minAmount: amount, minQuantity: count },
        });
      }
    }
  }
  return cases;
}

/** Text that names regions next to shipping words but discloses nothing. */
function nearMisses(): GeneratedCase[] {
  const cases: GeneratedCase[] = [];
  const origins: Province[] = ["新疆", "西藏", "青海", "宁夏", "甘肃", "内蒙古"];
  const products = ["红枣", "葡萄干", "牛肉干", "枸杞", "核桃", "羊肉"];
  for (const origin of origins) {
    for (const product of products) {
      for (const claim of ["包邮", "全国包邮", "顺丰包邮"]) {
        cases.push({
          production: "near miss: origin",
          text: `${origin}${product}${claim}`,
          disclosure: null,
          claimExcluded: [],
        });
      }
      cases.push({ production: "near miss: origin", text: `除${origin}产区外均为${product}`, disclosure: null });
    }
    cases.push({ production: "near miss: question", text: `${origin}包邮吗？`, disclosure: null });
    cases.push({ production: "near miss: question", text: `${origin}能发货吗？`, disclosure: null });
    cases.push({ production: "near miss: other topic", text: `参赛队伍（${origin}除外）积分加倍`, disclosure: null });
  }
  for (const text of [
    "江浙沪包邮区",
    "包邮区好物推荐",
    "赠送运费险",
    "含运费险 7天无理由",
    "退货补运费",
    "包邮区域好物",
  ]) {
    cases.push({ production: "near miss: slang and insurance", text, disclosure: null });
  }
  return cases;
}
