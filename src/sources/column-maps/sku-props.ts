import type { Sku } from "../../model.js";

/** The cells of one 淘宝助理 record that describe its SKUs (undefined when the layout lacks the column). */
export interface SkuCells {
  /** `skuProps` 销售属性组合: `price:quantity:code:pid:vid;pid:vid;…` for each SKU in turn. */
  skuProps?: string;
  /** `propAlias` 销售属性别名: `pid:vid:alias;…`, the seller's names for standard values. */
  propAlias?: string;
  /** `input_custom_cpv` 自定义属性值: `pid:vid:name;…`, the names of seller-defined values (negative vids). */
  customValues?: string;
}

/** A SKU cell that could not be read, named by its 淘宝助理 column. */
export interface InvalidSkuCell {
  column: "skuProps" | "propAlias" | "input_custom_cpv";
  value: string;
  expected: string;
  /** What the reader did instead. */
  consequence: string;
}

export interface SkuReading {
  /** Undefined when the record has no SKUs or its skuProps cannot be read. */
  skus?: Sku[];
  invalid: InvalidSkuCell[];
}

const PROPERTY_ID = /^\d+$/;
const VALUE_ID = /^-?\d+$/;
const AMOUNT = /^\d+(?:\.\d*)?$|^\.\d+$/;
const QUANTITY = /^\d*$/;

/**
 * Reads a record's SKUs: each SKU's name is the names of its sale-property values joined by a space
 * (the alias from propAlias, else the custom value's name, else the raw vid, which is all the export
 * knows of a standard value the seller did not rename); its price is the SKU price when above 0.
 */
export function readSkus(cells: SkuCells): SkuReading {
  const invalid: InvalidSkuCell[] = [];
  // Names of values no SKU uses name nothing buyers see, so without SKUs they are not read.
  const skuProps = cells.skuProps?.trim() ?? "";
  if (skuProps === "") return { invalid };
  const names = new Map<string, string>();
  // Aliases win over custom-value names: an alias is what the buyer sees for that value.
  addValueNames(names, cells.customValues, "input_custom_cpv", invalid);
  addValueNames(names, cells.propAlias, "propAlias", invalid);
  const parsed = parseSkuProps(skuProps);
  if (parsed === undefined) {
    invalid.push({
      column: "skuProps",
      value: skuProps,
      expected: "price:quantity:code:pid:vid for each SKU, followed by its other pid:vid pairs, separated by ;",
      consequence: "the SKUs are left out",
    });
    return { invalid };
  }
  if (parsed.length === 0) return { invalid };
  const skus = parsed.map(({ price, values }): Sku => {
    const name = values.map((key) => names.get(key) ?? key.slice(key.indexOf(":") + 1)).join(" ");
    return price === undefined ? { name } : { name, price };
  });
  return { skus, invalid };
}

interface ParsedSku {
  price: number | undefined;
  /** `pid:vid` keys of the SKU's sale-property values, in order. */
  values: string[];
}

/** Splits skuProps into SKUs; undefined when any entry breaks the grammar. */
function parseSkuProps(cell: string): ParsedSku[] | undefined {
  const skus: ParsedSku[] = [];
  for (const entry of cell.split(";")) {
    const token = entry.trim();
    if (token === "") continue;
    const parts = token.split(":").map((part) => part.trim());
    if (parts.length === 2) {
      const current = skus[skus.length - 1];
      const key = valueKey(parts[0], parts[1]);
      if (current === undefined || key === undefined) return undefined;
      current.values.push(key);
      continue;
    }
    // A SKU code may itself hold colons: price and quantity lead, the first pid:vid pair ends the entry.
    if (parts.length < 5) return undefined;
    const [price = "", quantity = ""] = parts;
    const key = valueKey(parts[parts.length - 2], parts[parts.length - 1]);
    if (key === undefined || !QUANTITY.test(quantity) || (price !== "" && !AMOUNT.test(price))) return undefined;
    // Taobao sells no SKU at ¥0, so 0 (or nothing) is a SKU whose price the export does not give.
    const amount = price === "" ? 0 : Number(price);
    skus.push({ price: amount > 0 ? amount : undefined, values: [key] });
  }
  return skus;
}

function valueKey(pid: string | undefined, vid: string | undefined): string | undefined {
  return pid !== undefined && vid !== undefined && PROPERTY_ID.test(pid) && VALUE_ID.test(vid)
    ? `${pid}:${vid}`
    : undefined;
}

/** Adds `pid:vid:name` entries to `names`; malformed entries are reported once per cell and skipped. */
function addValueNames(
  names: Map<string, string>,
  cell: string | undefined,
  column: "propAlias" | "input_custom_cpv",
  invalid: InvalidSkuCell[],
): void {
  const bad: string[] = [];
  for (const entry of (cell ?? "").split(";")) {
    const token = entry.trim();
    if (token === "") continue;
    const parts = token.split(":");
    const key = valueKey(parts[0]?.trim(), parts[1]?.trim());
    // A name may hold colons; everything after pid:vid is the name.
    const name = parts.slice(2).join(":").trim();
    if (key === undefined || parts.length < 3) bad.push(token);
    else if (name !== "") names.set(key, name);
  }
  if (bad.length > 0) {
    invalid.push({
      column,
      value: bad.join(";"),
      expected: "pid:vid:name entries separated by ;",
      consequence: "those values are named by their vid",
    });
  }
}
