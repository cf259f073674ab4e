import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { PACKAGE_ROOT } from "../../util/package-root.js";
import { formatLocatedError, type Result } from "../../util/result.js";
import { parseLocatedDocument, validateDocument } from "../../util/yaml-document.js";
import { shownDataPath } from "../../util/read-located.js";

/** Listing fields a column can feed (`fees.*` are the flat fees; `numId`/`outerId` feed `id`). */
export const COLUMN_FIELDS = [
  "id",
  "numId",
  "outerId",
  "title",
  "subtitle",
  "description",
  "mobileDescription",
  "skus",
  "templateId",
  "freightPayer",
  "fees.express",
  "fees.ems",
  "fees.post",
  "price",
  "weight",
  "volume",
  "invoice",
  "shipFrom",
  "category",
  "platform",
  "url",
] as const;

export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** A named mapping from header names to listing fields (rules/columns/*.yaml). */
export interface ColumnMap {
  name: string;
  description: string;
  /** Fields that must have a column for a header row to count as this format. */
  required: ColumnField[];
  /** How many header cells must match for the header row to count as this format. */
  minColumns: number;
  /** Field → accepted header names. */
  columns: Partial<Record<ColumnField, string[]>>;
  /** Field → the units it is read in: a name followed by one in brackets (拼单价(元)) is that name. */
  units: Partial<Record<ColumnField, string[]>>;
}

const headerName = z.string().trim().min(1);
const columnField = z.enum(COLUMN_FIELDS);

const columnMapSchema = z.strictObject({
  name: headerName,
  description: headerName,
  required: z.array(columnField).min(1),
  minColumns: z.number().int().min(1),
  columns: z.partialRecord(columnField, z.array(headerName).min(1)),
});

/** The config's `columns:` option: listing field → header name, e.g. `{ id: 商品ID, title: 商品名称 }`. */
export const columnMappingSchema = z.partialRecord(columnField, headerName);

const unitsSchema = z.partialRecord(columnField, z.array(headerName).min(1));
const exportsSchema = z.strictObject({ units: unitsSchema.optional(), mappings: z.array(columnMapSchema).min(1) });

export const TAOBAO_COLUMNS_FILE = path.join(PACKAGE_ROOT, "rules", "columns", "taobao-assistant.yaml");
export const EXPORT_COLUMNS_FILE = path.join(PACKAGE_ROOT, "rules", "columns", "exports.yaml");

/** Parses one mapping file: `taobao-assistant.yaml` holds one map, `exports.yaml` a list. */
export function parseColumnMaps(text: string, file: string): Result<ColumnMap[]> {
  const doc = parseLocatedDocument(text, file);
  if (!doc.ok) return doc;
  const isList = typeof doc.value.value === "object" && doc.value.value !== null && "mappings" in doc.value.value;
  if (isList) {
    const list = validateDocument(doc.value, exportsSchema);
    // The units are the fields' (a price is in yuan whoever exports it), so every mapping shares them.
    return list.ok
      ? { ok: true, value: list.value.mappings.map((map) => ({ ...map, units: list.value.units ?? {} })) }
      : list;
  }
  const single = validateDocument(doc.value, columnMapSchema);
  return single.ok ? { ok: true, value: [{ ...single.value, units: {} }] } : single;
}

const cache = new Map<string, ColumnMap[]>();

/**
 * Loads bundled mapping data once. The data ships with the package, so a mistake in it is a bug:
 * it throws with every error located by file, line and key.
 */
export function loadColumnMaps(file: string): ColumnMap[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const result = parseColumnMaps(readFileSync(file, "utf8"), shownDataPath(file));
  if (!result.ok) throw new Error(result.errors.map(formatLocatedError).join("\n"));
  cache.set(file, result.value);
  return result.value;
}

export function loadTaobaoColumns(): ColumnMap {
  return loadColumnMaps(TAOBAO_COLUMNS_FILE)[0] as ColumnMap;
}

export function loadExportColumns(): ColumnMap[] {
  return loadColumnMaps(EXPORT_COLUMNS_FILE);
}
