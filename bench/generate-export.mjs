// Writes a 淘宝助理 CSV export (UTF-16LE with BOM, TAB, version + English + Chinese header lines, 67
// columns, quoted multi-line HTML descriptions) of N listings, by default to the system temp folder.
// Used by the audit and memory benchmarks; standalone:
//   node bench/generate-export.mjs --count 1000 [--out file] [--dense | --shop dense|sparse]
import { createWriteStream, statfsSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { denseDescriptionHtml, descriptionHtml, PARAGRAPHS, random, titleSource } from "./lib/corpus.mjs";

/** Measured average size of one generated record in UTF-16LE (about 4.9 KB), with headroom. */
export const BYTES_PER_LISTING = 5200;
/** Left free on the disk after the file is written. */
const DISK_MARGIN = 512 * 1024 * 1024;

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
  title: "宝贝名称",
  cid: "宝贝类目",
  location_state: "省",
  location_city: "城市",
  price: "宝贝价格",
  freight_payer: "运费承担",
  post_fee: "平邮",
  ems_fee: "EMS",
  express_fee: "快递",
  has_invoice: "发票",
  description: "宝贝描述",
  postage_id: "邮费模版ID",
  outer_id: "商家编码",
  num_id: "数字ID",
  item_size: "物流体积",
  item_weight: "物流重量",
  wireless_desc: "无线详情",
  subtitle: "宝贝卖点",
};

/** Shipping templates matching the generated `邮费模版ID`s (T1–T3), in our YAML format. */
export const TEMPLATES_YAML = `templates:
  - id: "T1"
    name: 偏远地区收费
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 0, next: 1, nextFee: 0 }
    regions:
      - areas: [新疆, 西藏]
        first: 1
        firstFee: 20
        next: 1
        nextFee: 10
  - id: "T2"
    name: 包邮
    payer: seller
    valuation: piece
    noDelivery: [港澳台, 海外]
  - id: "T3"
    name: 满99包邮
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 8, next: 1, nextFee: 2 }
    freeWhen:
      - areas: [全国]
        minAmount: 99
`;

/**
 * The shops of the listing-cost benchmark (issue 19). Dense: a badly set-up shop whose templates charge
 * every province (T4) or the remote ones (T1) while titles and pages claim 包邮, so listings have about
 * two findings, many naming all 31 provinces. Sparse: a seller-paid template delivering everywhere (T5) and pages whose terms
 * agree with it, so findings are few and the cost is mostly reading.
 */
export const SHOP_TEMPLATES_YAML = `${TEMPLATES_YAML}  - id: "T4"
    name: 全国运费
    payer: buyer
    valuation: piece
    default: { first: 1, firstFee: 10, next: 1, nextFee: 5 }
  - id: "T5"
    name: 全境包邮
    payer: seller
    valuation: piece
`;

/** Policy paragraphs (indices into PARAGRAPHS) a sparse shop's pages draw from: none contradicts T5. */
const AGREEING_PARAGRAPHS = [0, 2, 5, 6].map((i) => PARAGRAPHS[i]);
/** A dense shop's 购物须知: no exclusion, so its 包邮 claims stand against every charged province. */
const NEUTRAL_PARAGRAPHS = [0, 2, 5, 6].map((i) => PARAGRAPHS[i]);

const SHOPS = {
  dense: {
    postage: (rand) => (rand() < 0.65 ? "T4" : rand() < 0.8 ? "T1" : "T3"),
    title: (title) => (title.includes("包邮") ? title : `${title} 全国包邮`),
    subtitle: (i) => ["全国包邮", "包邮到家", "", "顺丰包邮", "限时特惠"][i % 5],
    invoice: () => "0",
    page: (rand) => descriptionHtml(rand, NEUTRAL_PARAGRAPHS),
  },
  sparse: {
    postage: () => "T5",
    // Claims stated without naming 海外 are findings of their own (overseas-not-stated): kept rare here.
    title: (title, rand) => (rand() < 0.9 ? title.replaceAll("包邮", "") : title),
    subtitle: (i) => ["", "限时特惠", "正品保障", "", "新品上市"][i % 5],
    invoice: () => "1",
    page: (rand) => descriptionHtml(rand, AGREEING_PARAGRAPHS),
  },
};

const quote = (value) => `"${String(value).replace(/"/g, '""')}"`;

function record(i, rand, title, page, shop) {
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
    description: page(rand),
    postage_id: rand() < 0.7 ? `T${1 + (i % 3)}` : "0",
    outer_id: `SKU-${i}`,
    num_id: String(600000000000 + i),
    item_size: "bulk:0.000000",
    item_weight: (rand() * 5).toFixed(2),
    wireless_desc: `<wapDesc><txt>${PARAGRAPHS[i % PARAGRAPHS.length]}</txt></wapDesc>`,
    subtitle: ["包邮", "新疆西藏除外", "满2件包邮", "", "限时特惠"][i % 5],
  };
  if (shop) {
    Object.assign(cells, {
      title: shop.title(title, rand),
      freight_payer: "2",
      express_fee: "0",
      has_invoice: shop.invoice(),
      postage_id: shop.postage(rand),
      subtitle: shop.subtitle(i),
    });
  }
  return COLUMNS.map((column) => (column in cells ? quote(cells[column]) : '""')).join("\t");
}

/** Free bytes on the file system holding `folder`. */
export function freeBytes(folder) {
  const stats = statfsSync(folder);
  return Number(stats.bavail) * Number(stats.bsize);
}

/** How many listings fit in `folder` while leaving a margin free. */
export function listingsThatFit(folder) {
  return Math.max(0, Math.floor((freeBytes(folder) - DISK_MARGIN) / BYTES_PER_LISTING));
}

/**
 * Generates the export and returns `{ file, count, bytes, titles, scaledDown? }`. When the disk is
 * short, the count is scaled down (`scaledDown` says from what, and a message says why) rather than
 * filling the disk.
 */
export async function generateExport({ count, file, dense = false, shop }) {
  if (shop !== undefined && !(shop in SHOPS))
    throw new Error(`unknown shop "${shop}" (${Object.keys(SHOPS).join(", ")})`);
  const out = file ?? path.join(os.tmpdir(), `listing-audit-bench-${process.pid}.csv`);
  const fits = listingsThatFit(path.dirname(out));
  let scaledDown;
  if (fits < count) {
    scaledDown = count;
    count = fits;
    console.error(
      `generate-export: only ${(freeBytes(path.dirname(out)) / 2 ** 30).toFixed(1)} GiB free in ${path.dirname(out)} ` +
        `(about ${(BYTES_PER_LISTING / 1024).toFixed(1)} KiB per listing plus a 512 MiB margin); scaling down from ${scaledDown} to ${count} listings`,
    );
  }
  const rand = random(20240501);
  const titles = titleSource(rand);
  const shopKind = shop === undefined ? undefined : SHOPS[shop];
  const page = shopKind ? shopKind.page : dense ? denseDescriptionHtml : descriptionHtml;
  const stream = createWriteStream(out);
  const write = async (text) => {
    if (!stream.write(Buffer.from(text, "utf16le"))) await once(stream, "drain");
  };
  await write("\uFEFF");
  await write(
    `version 1.00\r\n${COLUMNS.join("\t")}\r\n${COLUMNS.map((c, i) => CHINESE[c] ?? `属性${i + 1}`).join("\t")}\r\n`,
  );
  let batch = "";
  for (let i = 0; i < count; i++) {
    batch += `${record(i, rand, titles.next(), page, shopKind)}\r\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  stream.end();
  await once(stream, "finish");
  return {
    file: out,
    count,
    bytes: stream.bytesWritten,
    titles: titles.kind,
    pages: shop ? `${shop} shop` : dense ? "dense" : "detail",
    ...(scaledDown === undefined ? {} : { scaledDown }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "1000" },
      out: { type: "string" },
      dense: { type: "boolean", default: false },
      shop: { type: "string" },
    },
  });
  const count = Number(values.count);
  if (!(Number.isInteger(count) && count >= 0)) {
    console.error("generate-export: --count must be a whole number");
    process.exit(2);
  }
  console.log(
    JSON.stringify(await generateExport({ count, file: values.out, dense: values.dense, shop: values.shop })),
  );
}
