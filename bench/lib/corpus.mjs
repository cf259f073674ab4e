// Realistic shop text for the benchmarks: titles (the shared data set's real titles when it is there,
// a built-in generator otherwise), HTML detail pages of 1–3 KB and plain description snippets. Seeded,
// so every run measures the same text.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./dist-library.mjs";

const SHARED_DATA = path.join(ROOT, "..", "shared", "data");

/** Small deterministic PRNG (mulberry32). */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** `text` values of a JSONL file in ../shared/data, validated line by line; [] when it is absent. */
function sharedTexts(name) {
  const file = path.join(SHARED_DATA, name);
  if (!existsSync(file)) return [];
  const texts = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line);
      // Text already damaged upstream (U+FFFD) would be reported as undecodable records.
      if (value && typeof value.text === "string" && value.text.trim() !== "" && !value.text.includes("\uFFFD"))
        texts.push(value.text.trim());
    } catch {
      // A malformed line is skipped: the benchmarks only need plausible text.
    }
  }
  return texts;
}

/** Titles: `{ kind, next() }`, kind `titles.jsonl` or `built-in`. */
export function titleSource(rand) {
  const titles = sharedTexts("titles.jsonl");
  if (titles.length > 0) return { kind: "titles.jsonl", next: () => pick(rand, titles) };
  const brands = ["南极人", "恒源祥", "小米", "三只松鼠", "良品铺子", "蓝月亮", "得力", "美的", "苏泊尔", "百草味"];
  const goods = [
    "纯棉短袖T恤",
    "保温杯",
    "抽纸整箱",
    "洗衣液",
    "坚果礼盒",
    "电热水壶",
    "中性笔",
    "床上四件套",
    "手机壳",
    "牛肉干",
  ];
  const extras = ["2024新款", "加厚", "家用", "大容量", "正品", "特价", "礼盒装", "现货", "5斤装", "12瓶整箱"];
  const claims = ["包邮", "全国包邮", "满99包邮", "江浙沪包邮", "新疆西藏除外", "2件包邮", "", "", ""];
  return {
    kind: "built-in",
    next: () => `${pick(rand, brands)}${pick(rand, extras)}${pick(rand, goods)}${pick(rand, claims)}`,
  };
}

/** Detail-page paragraphs: shipping terms, exclusions, invoices and the usual filler. */
export const PARAGRAPHS = [
  "本店所有商品均为正品，支持七天无理由退换货。",
  "全国包邮（新疆、西藏、青海、内蒙古等偏远地区除外），港澳台及海外不发货。",
  "下单后48小时内发货，默认圆通快递，如需顺丰请联系客服补差价。",
  "满99元包邮，偏远地区需补运费10元。",
  "产品尺寸为手工测量，存在1-3cm误差属正常现象。",
  "可开具电子发票，请在下单时备注抬头与税号。",
  "由于显示器不同，图片与实物可能存在轻微色差。",
  "退换货邮费自理，质量问题由本店承担来回运费。",
  "江浙沪皖包邮，其他地区满2件包邮。",
  "保温杯采用316不锈钢内胆，真空断热，12小时保温，容量500ml。",
];

/** The paragraphs of PARAGRAPHS that state shipping or invoice terms (the rest is filler). */
const POLICY_PARAGRAPHS = [1, 2, 3, 5, 7, 8].map((i) => PARAGRAPHS[i]);
const SPEC_LABELS = ["品牌", "型号", "材质", "规格", "产地", "颜色分类", "适用人群", "保质期", "包装方式", "执行标准"];
const SPEC_VALUES = [
  "见包装",
  "浙江杭州",
  "316不锈钢",
  "500ml",
  "纯棉",
  "12个月",
  "礼盒装",
  "GB/T 19001",
  "通用",
  "黑色/白色/灰色",
];

/**
 * A detail page of 1,000–3,000 characters as sellers' 详情 pages are: product images (most of the page),
 * a specification table, a few product paragraphs and one 购物须知 block with two to four distinct
 * shipping / invoice paragraphs (drawn from `policy`, by default every policy paragraph).
 */
export function descriptionHtml(rand, policy = POLICY_PARAGRAPHS) {
  const target = 1000 + Math.floor(rand() * 2000);
  const image = () =>
    `<p><img src="https://img.alicdn.com/imgextra/i${1 + Math.floor(rand() * 4)}/${2200000000000 + Math.floor(rand() * 1e9)}/O1CN01${Math.floor(rand() * 1e12).toString(36)}_!!${Math.floor(rand() * 1e10)}.jpg" style="max-width:750px;" alt="详情"/></p>\n`;
  const specs = Array.from(
    { length: 4 + Math.floor(rand() * 5) },
    () => `<tr><td>${pick(rand, SPEC_LABELS)}</td><td>${pick(rand, SPEC_VALUES)}</td></tr>`,
  );
  const notices = [...policy].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 3));
  const notice = `<div class="notice"><p><strong>购物须知</strong></p>\n${notices.map((n) => `<p style="font-size:14px;">${n}</p>`).join("\n")}</div>\n`;
  let html = `<div class="detail">\n${image()}<table class="spec">${specs.join("")}</table>\n`;
  while (html.length + notice.length < target) {
    html += rand() < 0.7 ? image() : `<p style="font-size:14px;color:#333;">${pick(rand, FILLER_PARAGRAPHS)}</p>\n`;
  }
  return `${html}${notice}</div>`;
}

const FILLER_PARAGRAPHS = PARAGRAPHS.filter((p) => !POLICY_PARAGRAPHS.includes(p));

/**
 * The pages of the first benchmark runs (kept as a stress case, `--dense`): 1,000–3,000 characters of
 * which four in five are paragraphs drawn from PARAGRAPHS, so each page repeats the same shipping terms
 * many times — about nineteen claims and disclosures a page, several times what real pages carry.
 */
export function denseDescriptionHtml(rand) {
  const target = 1000 + Math.floor(rand() * 2000);
  let html = '<div class="detail">\n';
  while (html.length < target) {
    html +=
      rand() < 0.2
        ? `<p><img src="https://img.example.com/${Math.floor(rand() * 1e9)}.jpg" alt="详情"/></p>\n`
        : `<p style="font-size:14px;">${pick(rand, PARAGRAPHS)}</p>\n`;
  }
  return `${html}</div>`;
}

/**
 * Plain description snippets of two to five paragraphs: the built-in paragraphs plus, when present, the
 * shared data set's real shipping-policy passages. `{ kind, next() }`.
 */
export function snippetSource(rand) {
  const passages = sharedTexts("cn_site_shipping_policy_passages.jsonl");
  const pool = [...PARAGRAPHS, ...passages];
  const kind = passages.length > 0 ? "built-in + cn_site_shipping_policy_passages.jsonl" : "built-in";
  return {
    kind,
    next: () => {
      const count = 2 + Math.floor(rand() * 4);
      return Array.from({ length: count }, () => pick(rand, pool)).join("\n");
    },
  };
}
