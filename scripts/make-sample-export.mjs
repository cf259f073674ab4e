#!/usr/bin/env node
// Writes samples/taobao-export.csv: the demo shop's Taobao listings (samples/listings.json) as the
// 淘宝助理 CSV 数据包 its Taobao store would export — UTF-16LE with BOM, TAB, `version 1.00`, English and
// Chinese header lines, CRLF, the 67-column layout (docs/exports.md, samples/README.md).
// Run `node scripts/make-sample-export.mjs` after changing samples/listings.json; `--check` only
// compares and exits 1 when the committed file is out of date.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";
import { z } from "zod";

const root = fileURLToPath(new URL("../", import.meta.url));
const SOURCE = path.join(root, "samples", "listings.json");
const TARGET = path.join(root, "samples", "taobao-export.csv");

/** The 67-column layout: English name (line 2) and Chinese name (line 3), in file order. */
const COLUMNS = [
  ["title", "宝贝名称"],
  ["cid", "宝贝类目"],
  ["seller_cids", "店铺类目"],
  ["stuff_status", "新旧程度"],
  ["location_state", "省"],
  ["location_city", "城市"],
  ["item_type", "出售方式"],
  ["price", "宝贝价格"],
  ["auction_increment", "加价幅度"],
  ["num", "宝贝数量"],
  ["valid_thru", "有效期"],
  ["freight_payer", "运费承担"],
  ["post_fee", "平邮"],
  ["ems_fee", "EMS"],
  ["express_fee", "快递"],
  ["has_invoice", "发票"],
  ["has_warranty", "保修"],
  ["approve_status", "放入仓库"],
  ["has_showcase", "橱窗推荐"],
  ["list_time", "开始时间"],
  ["description", "宝贝描述"],
  ["cateProps", "宝贝属性"],
  ["postage_id", "邮费模版ID"],
  ["has_discount", "会员打折"],
  ["modified", "修改时间"],
  ["upload_fail_msg", "上传状态"],
  ["picture_status", "图片状态"],
  ["auction_point", "返点比例"],
  ["picture", "新图片"],
  ["video", "视频"],
  ["skuProps", "销售属性组合"],
  ["inputPids", "用户输入ID串"],
  ["inputValues", "用户输入名-值对"],
  ["outer_id", "商家编码"],
  ["propAlias", "销售属性别名"],
  ["auto_fill", "代充类型"],
  ["num_id", "数字ID"],
  ["local_cid", "本地ID"],
  ["navigation_type", "宝贝分类"],
  ["user_name", "用户名称"],
  ["syncStatus", "宝贝状态"],
  ["is_lighting_consigment", "闪电发货"],
  ["is_xinpin", "新品"],
  ["foodparame", "食品专项"],
  ["features", "尺码库"],
  ["buyareatype", "采购地"],
  ["global_stock_type", "库存类型"],
  ["global_stock_country", "国家地区"],
  ["sub_stock_type", "库存计数"],
  ["item_size", "物流体积"],
  ["item_weight", "物流重量"],
  ["sell_promise", "退换货承诺"],
  ["custom_design_flag", "定制工具"],
  ["wireless_desc", "无线详情"],
  ["barcode", "商品条形码"],
  ["sku_barcode", "sku 条形码"],
  ["newprepay", "7天退货"],
  ["subtitle", "宝贝卖点"],
  ["cpv_memo", "属性值备注"],
  ["input_custom_cpv", "自定义属性值"],
  ["qualification", "商品资质"],
  ["add_qualification", "增加商品资质"],
  ["o2o_bind_service", "关联线下服务"],
  ["tmall_extend", "tmall扩展字段"],
  ["product_combine", "产品组合"],
  ["tmall_item_prop_combine", "tmall属性组合"],
  ["taoschema_extend", "taoschema扩展字段"],
];

/** Sale properties the SKU names are written under: 颜色分类, then 尺码 for a two-part name. */
const SALE_PIDS = ["1627207", "20509"];
/** First vid of each sale property's values; the names themselves travel in propAlias. */
const VID_BASES = [3000001, 4000001];
/** Stock per SKU: the export needs one, the listings do not say. */
const SKU_STOCK = 100;

const amount = z.number().finite();
const listingSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  subtitle: z.string().optional(),
  description: z.string().optional(),
  mobileDescription: z.string().optional(),
  skus: z.array(z.strictObject({ name: z.string(), price: amount.positive().optional() })).optional(),
  templateId: z.string().optional(),
  freightPayer: z.enum(["seller", "buyer"]).optional(),
  fees: z.strictObject({ express: amount.optional(), ems: amount.optional(), post: amount.optional() }).optional(),
  price: amount.optional(),
  weight: amount.optional(),
  volume: amount.optional(),
  invoice: z.boolean().optional(),
  shipFrom: z.string().optional(),
  category: z.string().optional(),
  platform: z.string().optional(),
  url: z.string().optional(),
});
const fileSchema = z.strictObject({ listings: z.array(listingSchema) });

/** Fields a 淘宝助理 record cannot carry. `platform` keeps the listing out: it belongs to another store. */
const KEPT_OUT = ["platform"];
const DROPPED = {
  category: "cid holds Taobao's numeric category id, not a category path",
  url: "an export names items by 数字ID, not by URL",
};

/** Text cells are quoted with "" escapes; numbers and empty cells are written bare, as 淘宝助理 does. */
function cell(value) {
  if (value === "" || /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

function money(value) {
  return value === undefined ? "" : String(value);
}

/**
 * A SKU name becomes one sale-property value, or two when it splits at its last space ("白色 XL" →
 * 颜色分类 白色, 尺码 XL) for every SKU of the listing; the reader joins them back with a space.
 */
function skuColumns(listing) {
  const skus = listing.skus ?? [];
  if (skus.length === 0) return { skuProps: "", propAlias: "" };
  for (const { name } of skus) {
    if (name.trim() !== name || name === "" || /[;\r\n\t]/.test(name)) {
      throw new Error(`listing ${listing.id}: SKU name ${JSON.stringify(name)} cannot be written as a propAlias value`);
    }
  }
  const split = (name) => {
    const at = name.lastIndexOf(" ");
    return [name.slice(0, at), name.slice(at + 1)];
  };
  const twoParts = skus.every(({ name }) => split(name).every((part) => part !== "" && part.trim() === part));
  const valuesOf = twoParts ? ({ name }) => split(name) : ({ name }) => [name];
  const vids = SALE_PIDS.map(() => new Map());
  const props = skus.map((sku) => {
    const pairs = valuesOf(sku).map((value, i) => {
      const known = vids[i];
      if (!known.has(value)) known.set(value, String(VID_BASES[i] + known.size));
      return `${SALE_PIDS[i]}:${known.get(value)}`;
    });
    // price:quantity:SKU code:first pid:vid, then the SKU's other pairs.
    return `${money(sku.price) || "0"}:${SKU_STOCK}::${pairs.join(";")};`;
  });
  const aliases = vids.flatMap((known, i) => [...known].map(([value, vid]) => `${SALE_PIDS[i]}:${vid}:${value}`));
  return { skuProps: props.join(""), propAlias: aliases.join(";") };
}

function recordOf(listing) {
  const numeric = /^[1-9]\d*$/.test(listing.id);
  if (!numeric && listing.id.trim() !== listing.id)
    throw new Error(`listing ${JSON.stringify(listing.id)}: an id with surrounding spaces cannot be a 商家编码`);
  const { skuProps, propAlias } = skuColumns(listing);
  const template = listing.templateId ?? "";
  return {
    title: listing.title,
    stuff_status: "1",
    location_state: listing.shipFrom ?? "",
    item_type: "1",
    price: money(listing.price),
    num: String(SKU_STOCK * Math.max(1, listing.skus?.length ?? 0)),
    valid_thru: "7",
    freight_payer: listing.freightPayer === "seller" ? "1" : "2",
    post_fee: money(listing.fees?.post),
    ems_fee: money(listing.fees?.ems),
    express_fee: money(listing.fees?.express),
    has_invoice: listing.invoice ? "1" : "0",
    description: listing.description ?? "",
    postage_id: template === "" ? "0" : template,
    skuProps,
    propAlias,
    // 数字ID when the id is one; otherwise the item is not uploaded (0) and 商家编码 names it.
    num_id: numeric ? listing.id : "0",
    outer_id: numeric ? "" : listing.id,
    item_size: listing.volume === undefined ? "" : `bulk:${listing.volume}`,
    item_weight: money(listing.weight),
    wireless_desc: listing.mobileDescription ?? "",
    subtitle: listing.subtitle ?? "",
  };
}

const parsed = fileSchema.safeParse(JSON.parse(await readFile(SOURCE, "utf8")));
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    console.error(`samples/listings.json: ${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}
const keptOut = parsed.data.listings.filter((listing) => KEPT_OUT.some((key) => listing[key] !== undefined));
const written = parsed.data.listings.filter((listing) => !keptOut.includes(listing));
const lines = [
  "version 1.00",
  COLUMNS.map(([english]) => english).join("\t"),
  COLUMNS.map(([, chinese]) => chinese).join("\t"),
  ...written.map((listing) => {
    const record = recordOf(listing);
    return COLUMNS.map(([english]) => cell(record[english] ?? "")).join("\t");
  }),
];
const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`${lines.join("\r\n")}\r\n`, "utf-16le")]);

const relative = path.relative(process.cwd(), TARGET) || TARGET;
if (process.argv.includes("--check")) {
  const current = await readFile(TARGET).catch(() => Buffer.alloc(0));
  if (!current.equals(bytes)) {
    console.error(`${relative} is out of date: run node scripts/make-sample-export.mjs`);
    process.exitCode = 1;
  }
} else {
  await writeFile(TARGET, bytes);
  console.log(`wrote ${relative}: ${written.length} listings, ${bytes.length} bytes`);
}
for (const listing of keptOut) {
  const keys = KEPT_OUT.filter((key) => listing[key] !== undefined).map((key) => `${key}: ${listing[key]}`);
  console.log(`  kept out ${listing.id} (${keys.join(", ")})`);
}
for (const [key, why] of Object.entries(DROPPED)) {
  const count = written.filter((listing) => listing[key] !== undefined).length;
  if (count > 0) console.log(`  not written: ${key} of ${count} listings (${why})`);
}
