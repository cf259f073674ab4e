// Writes a 淘宝助理 CSV export (UTF-16LE with BOM, TAB, version + English + Chinese header lines) of
// N listings to the system temp folder, for bench/export-audit.mjs. Usage:
//   node bench/generate-export.mjs [--scale 0.1] [--count N] [--out file]
import { createWriteStream, existsSync, readFileSync, statfsSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const DEFAULT_COUNT = 1_000_000;
/** Measured average size of one generated record in UTF-16LE, with headroom. */
const BYTES_PER_LISTING = 5200;
/** Left free on the disk after the file is written. */
const DISK_MARGIN = 512 * 1024 * 1024;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TITLES_FILE = path.join(HERE, "..", "..", "shared", "data", "titles.jsonl");

const COLUMNS = `title cid seller_cids stuff_status location_state location_city item_type price auction_increment num
valid_thru freight_payer post_fee ems_fee express_fee has_invoice has_warranty approve_status
has_showcase list_time description cateProps postage_id has_discount modified upload_fail_msg
picture_status auction_point picture video skuProps inputPids inputValues outer_id propAlias auto_fill
num_id local_cid navigation_type user_name syncStatus is_lighting_consigment is_xinpin foodparame
features buyareatype global_stock_type global_stock_country sub_stock_type item_size item_weight
sell_promise custom_design_flag wireless_desc barcode sku_barcode newprepay subtitle cpv_memo
input_custom_cpv qualification add_qualification o2o_bind_service tmall_extend product_combine
tmall_item_prop_combine taoschema_extend`.split(/\s+/);

const CHINESE = {
  title: "宝贝名称", cid: "宝贝类目", location_state: "省", location_city: "城市", price: "宝贝价格",
  freight_payer: "运费承担", post_fee: "平邮", ems_fee: "EMS", express_fee: "快递", has_invoice: "发票",
  description: "宝贝描述", postage_id: "邮费模版ID", outer_id: "商家编码", num_id: "数字ID",
  item_size: "物流体积", item_weight: "物流重量", wireless_desc: "无线详情", subtitle: "宝贝卖点",
};

/** Small deterministic PRNG (mulberry32), so every run generates the same file. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Real titles when the shared data set is there (validated line by line), else a built-in generator. */
function titleSource(rand) {
  if (existsSync(TITLES_FILE)) {
    const titles = [];
    for (const line of readFileSync(TITLES_FILE, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const value = JSON.parse(line);
        // Titles already damaged upstream (U+FFFD) would be reported as undecodable records.
        if (value && typeof value.text === "string" && value.text.trim() !== "" && !value.text.includes("\uFFFD")) titles.push(value.text.trim());
      } catch {
        // A malformed line is skipped: the generator only needs plausible titles.
      }
    }
    if (titles.length > 0) return { kind: "titles.jsonl", next: () => titles[Math.floor(rand() * titles.length)] };
  }
  const brands = ["南极人", "恒源祥", "小米", "三只松鼠", "良品铺子", "蓝月亮", "得力", "美的", "苏泊尔", "百草味"];
  const goods = ["纯棉短袖T恤", "保温杯", "抽纸整箱", "洗衣液", "坚果礼盒", "电热水壶", "中性笔", "床上四件套", "手机壳", "牛肉干"];
  const extras = ["2024新款", "加厚", "家用", "大容量", "正品", "特价", "礼盒装", "现货"];
  const claims = ["包邮", "全国包邮", "满99包邮", "江浙沪包邮", "新疆西藏除外", "", "", ""];
  const pick = (list) => list[Math.floor(rand() * list.length)];
  return { kind: "built-in", next: () => `${pick(brands)}${pick(extras)}${pick(goods)}${pick(claims)}` };
}

const PARAGRAPHS = [
  "本店所有商品均为正品，支持七天无理由退换货。",
  "全国包邮（新疆、西藏、青海、内蒙古等偏远地区除外），港澳台及海外不发货。",
  "下单后48小时内发货，默认圆通快递，如需顺丰请联系客服补差价。",
  "满99元包邮，偏远地区需补运费10元。",
  "产品尺寸为手工测量，存在1-3cm误差属正常现象。",
  "可开具电子发票，请在下单时备注抬头与税号。",
  "由于显示器不同，图片与实物可能存在轻微色差。",
  "退换货邮费自理，质量问题由本店承担来回运费。",
];

function description(rand) {
  const target = 1000 + Math.floor(rand() * 2000);
  let html = '<div class="detail">\n';
  while (html.length < target) {
    const text = PARAGRAPHS[Math.floor(rand() * PARAGRAPHS.length)];
    html += rand() < 0.2 ? `<p><img src="https://img.example.com/${Math.floor(rand() * 1e9)}.jpg" alt="详情"/></p>\n` : `<p style="font-size:14px;">${text}</p>\n`;
  }
  return `${html}</div>`;
}

const quote = (value) => `"${String(value).replace(/"/g, '""')}"`;

function record(i, rand, title) {
  const cells = {
    title,
    cid: String(50000000 + Math.floor(rand() * 1000)),
    location_state: ["浙江", "广东", "江苏", "上海", "福建"][i % 5],
    location_city: "杭州",
    price: (1 + Math.floor(rand() * 50000) / 100).toFixed(2),
    num: "100",
    freight_payer: rand() < 0.5 ? "1" : "2",
    post_fee: "0",
    ems_fee: rand() < 0.1 ? "1.21555e-14" : "0",
    express_fee: rand() < 0.5 ? "0" : "10",
    has_invoice: rand() < 0.3 ? "1" : "0",
    approve_status: "onsale",
    description: description(rand),
    postage_id: rand() < 0.7 ? `T${1 + (i % 3)}` : "0",
    outer_id: `SKU-${i}`,
    num_id: String(600000000000 + i),
    item_size: "bulk:0.000000",
    item_weight: (rand() * 5).toFixed(2),
    wireless_desc: `<wapDesc><txt>${PARAGRAPHS[i % PARAGRAPHS.length]}</txt></wapDesc>`,
    subtitle: ["包邮", "新疆西藏除外", "满2件包邮", "", "限时特惠"][i % 5],
  };
  return COLUMNS.map((column) => (column in cells ? quote(cells[column]) : '""')).join("\t");
}

/** Free bytes on the file system holding `folder`. */
export function freeBytes(folder) {
  const stats = statfsSync(folder);
  return Number(stats.bavail) * Number(stats.bsize);
}

/**
 * Generates the export and returns `{ file, count, bytes, titles }`. When the disk is short, the
 * count is scaled down (and `scaledDown` says from what) rather than filling the disk.
 */
export async function generateExport({ count = DEFAULT_COUNT, file } = {}) {
  const out = file ?? path.join(os.tmpdir(), `listing-audit-bench-${process.pid}.csv`);
  const free = freeBytes(path.dirname(out));
  const fits = Math.floor((free - DISK_MARGIN) / BYTES_PER_LISTING);
  let scaledDown;
  if (fits < count) {
    scaledDown = count;
    count = Math.max(0, fits);
    console.error(`generate-export: ${(free / 2 ** 30).toFixed(1)} GiB free in ${path.dirname(out)}; scaling down from ${scaledDown} to ${count} listings`);
  }
  const rand = random(20240501);
  const titles = titleSource(rand);
  const stream = createWriteStream(out);
  const write = async (text) => {
    if (!stream.write(Buffer.from(text, "utf16le"))) await once(stream, "drain");
  };
  await write("\uFEFF");
  await write(`version 1.00\r\n${COLUMNS.join("\t")}\r\n${COLUMNS.map((c, i) => CHINESE[c] ?? `属性${i + 1}`).join("\t")}\r\n`);
  let batch = "";
  for (let i = 0; i < count; i++) {
    batch += `${record(i, rand, titles.next())}\r\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  stream.end();
  await once(stream, "finish");
  return { file: out, count, bytes: stream.bytesWritten, titles: titles.kind, scaledDown };
}

/** `--scale 0.1` → 100,000 listings; `--count N` sets it exactly. */
export function countFromArgs(argv) {
  const value = (name) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : Number(argv[i + 1]);
  };
  const count = value("--count");
  const scale = value("--scale");
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) throw new TypeError("--count must be a whole number");
  if (scale !== undefined && !(scale > 0)) throw new TypeError("--scale must be a positive number");
  return count ?? Math.round(DEFAULT_COUNT * (scale ?? 1));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--out");
  const result = await generateExport({ count: countFromArgs(argv), file: i === -1 ? undefined : argv[i + 1] });
  console.log(JSON.stringify(result));
}
