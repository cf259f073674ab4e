import type { FlatFees, FreightPayer, Listing, Sku } from "../../model.js";
import type { ColumnField } from "./load-column-maps.js";

/**
 * How a format writes its coded values. 淘宝助理 is strict ("1" = seller pays / invoice offered,
 * anything else not); other back-ends write words (卖家承担, 是, 包邮 …), read leniently.
 */
export type ValueConventions = "taobao" | "generic";

/** A cell whose value could not be read; the listing is still audited without that field. */
export interface InvalidValue {
  field: ColumnField;
  value: string;
  expected: string;
  /** What became of the field (readers say it in the problem). */
  consequence: string;
}

const LEFT_OUT = "the field is left out";

export interface BuiltListing {
  listing: Listing;
  invalid: InvalidValue[];
}

/** How Excel saves a long number it displayed in scientific notation (13059180920 → 1.30592E+10). */
const EXCEL_SCIENTIFIC = /^\d(?:\.\d+)?E\+\d+$/i;
const EXCEL_ID =
  "an id written out in full (Excel saved this number in scientific notation, which loses its digits: export again, or format the column as text before saving)";

/** Flat fees below this are float junk from the exporter (1.21555e-14), i.e. zero. */
const FEE_EPSILON = 0.005;

const SELLER_WORDS = new Set(["1", "卖家", "卖家承担", "卖家承担运费", "包邮", "是", "seller", "yes", "true"]);
const BUYER_WORDS = new Set(["0", "2", "买家", "买家承担", "买家承担运费", "不包邮", "否", "buyer", "no", "false"]);
const TRUE_WORDS = new Set(["1", "是", "有", "提供", "开", "true", "yes", "y"]);
const FALSE_WORDS = new Set(["0", "否", "无", "不提供", "不开", "false", "no", "n"]);

/**
 * Turns one record's cells (by field) into a Listing. `row` is the record number, the id of last
 * resort. Empty cells leave fields out; unreadable values are returned in `invalid`.
 */
export function buildListing(
  cell: (field: ColumnField) => string | undefined,
  row: number,
  conventions: ValueConventions,
): BuiltListing {
  const invalid: InvalidValue[] = [];
  const text = (field: ColumnField): string | undefined => {
    const value = cell(field)?.trim();
    return value ? value : undefined;
  };
  const number = (
    field: ColumnField,
    read: (value: string) => number | undefined,
    expected: string,
  ): number | undefined => {
    const value = text(field);
    if (value === undefined) return undefined;
    const parsed = read(value);
    if (parsed === undefined) invalid.push({ field, value, expected, consequence: LEFT_OUT });
    return parsed;
  };

  // Excel shows a long number in scientific notation and saves it so: the digits are gone for good.
  const excelMangled = (field: ColumnField, consequence: string): boolean => {
    const value = text(field);
    if (value === undefined || !EXCEL_SCIENTIFIC.test(value)) return false;
    invalid.push({ field, value, expected: EXCEL_ID, consequence });
    return true;
  };
  // A mangled id is left out (the next id column or the record number stands in), never shared by the
  // many listings whose ids round to the same six digits.
  const identifier = (field: ColumnField): string | undefined =>
    excelMangled(field, "the listing is identified by the next id column or its record number")
      ? undefined
      : text(field);

  const listing: Listing = {
    id: pickId(identifier("id"), identifier("numId"), identifier("outerId"), row),
    title: cell("title")?.trim() ?? "",
  };
  const subtitle = text("subtitle");
  if (subtitle !== undefined) listing.subtitle = subtitle;
  // Descriptions keep their own white space: offsets into visible text are taken from the HTML.
  const description = nonBlank(cell("description"));
  if (description !== undefined) listing.description = description;
  const mobileDescription = nonBlank(cell("mobileDescription"));
  if (mobileDescription !== undefined) listing.mobileDescription = mobileDescription;
  const skus = text("skus");
  if (skus !== undefined) listing.skus = splitSkus(skus);
  // A mangled template id stays: the listing's findings then name the template that cannot be found.
  excelMangled("templateId", "it is kept as it is, and no template has that id");
  const templateId = text("templateId");
  if (templateId !== undefined && templateId !== "0") listing.templateId = templateId;

  const payerCell = cell("freightPayer");
  if (conventions === "taobao" && payerCell !== undefined)
    listing.freightPayer = payerCell.trim() === "1" ? "seller" : "buyer";
  else if (conventions === "generic") {
    const payer = text("freightPayer");
    if (payer !== undefined) {
      const parsed = readPayer(payer);
      if (parsed) listing.freightPayer = parsed;
      else
        invalid.push({
          field: "freightPayer",
          value: payer,
          expected: "1/卖家承担/包邮 or 2/买家承担",
          consequence: LEFT_OUT,
        });
    }
  }

  const fees: FlatFees = {};
  for (const [field, key] of [
    ["fees.express", "express"],
    ["fees.ems", "ems"],
    ["fees.post", "post"],
  ] as const) {
    const fee = number(field, readAmount, "an amount in yuan");
    if (fee !== undefined) fees[key] = Math.abs(fee) < FEE_EPSILON ? 0 : fee;
  }
  if (Object.keys(fees).length > 0) listing.fees = fees;

  const price = number("price", readPrice, "a price in yuan (or a range)");
  if (price !== undefined) listing.price = price;
  const weight = number("weight", readWeight, "a weight in kg");
  if (weight !== undefined && weight > 0) listing.weight = weight;
  const volume = number("volume", readVolume, "a volume in m³ (or bulk:<m³>)");
  if (volume !== undefined && volume > 0) listing.volume = volume;

  const invoiceCell = cell("invoice");
  if (conventions === "taobao" && invoiceCell !== undefined) listing.invoice = invoiceCell.trim() === "1";
  else if (conventions === "generic") {
    const invoice = text("invoice");
    if (invoice !== undefined) {
      const key = invoice.toLowerCase();
      if (TRUE_WORDS.has(key)) listing.invoice = true;
      else if (FALSE_WORDS.has(key)) listing.invoice = false;
      else invalid.push({ field: "invoice", value: invoice, expected: "1/是 or 0/否", consequence: LEFT_OUT });
    }
  }

  const shipFrom = text("shipFrom");
  if (shipFrom !== undefined) listing.shipFrom = shipFrom;
  const category = text("category");
  if (category !== undefined && category !== "0") listing.category = category;
  const platform = text("platform");
  if (platform !== undefined) listing.platform = platform;
  const url = text("url");
  if (url !== undefined) listing.url = url;
  return { listing, invalid };
}

/** The problem message for a cell buildListing could not read, the same in every reader. */
export function describeInvalidValue(invalid: InvalidValue): string {
  return `${invalid.field}: cannot read "${shortValue(invalid.value)}" (expected ${invalid.expected}); ${invalid.consequence}`;
}

/** A cell value as problem messages quote it: at most 40 characters. */
export function shortValue(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** 数字ID when non-zero, else 商家编码, else the record number. */
function pickId(id: string | undefined, numId: string | undefined, outerId: string | undefined, row: number): string {
  if (id !== undefined) return id;
  if (numId !== undefined && !/^0+$/.test(numId)) return numId;
  return outerId ?? String(row);
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

function readPayer(value: string): FreightPayer | undefined {
  const key = value.toLowerCase();
  if (SELLER_WORDS.has(key)) return "seller";
  if (BUYER_WORDS.has(key)) return "buyer";
  return undefined;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** A plain amount: `12.5`, `¥12.50`, `1,299.00元`, `1.21555e-14`. */
function readAmount(value: string): number | undefined {
  const bare = value
    .replace(/^[¥￥]\s*/, "")
    .replace(/\s*元$/, "")
    .replace(/,(?=\d{3}(?:\D|$))/g, "");
  return NUMBER.test(bare) ? Number(bare) : undefined;
}

/** A price, or the lowest end of a range (`9.9-19.9`, `9.9~19.9`): amount conditions use the lowest. */
function readPrice(value: string): number | undefined {
  const parts = value.split(/\s*[-~～至]\s*(?=[¥￥]?\d)/);
  const amounts = parts.map(readAmount);
  if (amounts.some((a) => a === undefined)) return undefined;
  return (amounts as number[]).reduce((low, amount) => Math.min(low, amount));
}

const WEIGHT_UNITS: Record<string, number> = { "": 1, kg: 1, 千克: 1, 公斤: 1, g: 0.001, 克: 0.001, 斤: 0.5 };

function readWeight(value: string): number | undefined {
  const match = /^(.*?)\s*(kg|千克|公斤|g|克|斤)?$/i.exec(value);
  const factor = WEIGHT_UNITS[(match?.[2] ?? "").toLowerCase()];
  const amount = match?.[1] === undefined ? undefined : readAmount(match[1]);
  return amount === undefined || factor === undefined ? undefined : amount * factor;
}

/** 淘宝助理 writes 物流体积 as `bulk:0.001000` (m³); others a plain number. */
function readVolume(value: string): number | undefined {
  const bulk = /^bulk\s*:\s*([^;]*);?$/i.exec(value);
  return readAmount(bulk?.[1]?.trim() ?? value.replace(/\s*(m³|m3|立方米)$/i, ""));
}

/** SKU names one per line or separated by semicolons. */
function splitSkus(value: string): Sku[] {
  return value
    .split(/[\n;；]/)
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .map((name) => ({ name }));
}
