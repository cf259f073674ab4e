import type { ColumnMapping } from "../source.js";
import { COLUMN_FIELDS, type ColumnField, type ColumnMap } from "./load-column-maps.js";

/** Rows above the header (report titles, export dates) that readers may skip while looking for it. */
export const HEADER_SEARCH_ROWS = 10;

/** Where each listing field stands in a header row. */
export interface HeaderMatch {
  /** Name of the mapping used (`config` when the config mapping alone decided). */
  mapping: string;
  indexes: Partial<Record<ColumnField, number>>;
  /** How many header cells the mapping recognised. */
  matched: number;
}

/**
 * Header names compare trimmed, without BOM or zero-width characters, case-insensitively, with runs of
 * white space as one space, full-width forms as their ASCII (重量（kg）, 运费模板ＩＤ: NFKC), and without
 * the asterisk that marks a required column in upload templates (商品名称*). A unit in brackets stays:
 * 重量(g) is not 重量(kg).
 */
export function normalizeHeaderName(name: string): string {
  const collapsed = name
    .normalize("NFKC")
    .replace(/[\uFEFF\u200B-\u200D]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  // A loop, not /\s*\*+\s*$/: that regex is quadratic on a long run of spaces or asterisks.
  let end = collapsed.length;
  while (end > 0 && (collapsed[end - 1] === "*" || collapsed[end - 1] === " ")) end--;
  return collapsed.slice(0, end);
}

/**
 * Whether a record repeats one of the header rows: exports concatenated into one file (the second one's
 * BOM then starts the record), or an HTML export that repeats its header on every page. The same tool
 * writes the same header, so cells compare trimmed but exactly (this runs on every record). Such a
 * record is no listing.
 */
export function repeatsHeader(cells: readonly string[], headers: readonly (readonly string[])[]): boolean {
  return headers.some((header) => sameCells(cells, header));
}

function sameCells(cells: readonly string[], header: readonly string[]): boolean {
  const width = Math.max(cells.length, header.length);
  for (let i = 0; i < width; i++) if (bare(cells[i]) !== bare(header[i])) return false;
  return true;
}

function bare(cell: string | undefined): string {
  if (cell === undefined) return "";
  return (cell.charCodeAt(0) === 0xfeff ? cell.slice(1) : cell).trim();
}

/** A header cell's position by its normalised name, and by the name before a unit in brackets (`拼单价(元)`). */
interface HeaderIndex {
  names: Map<string, number>;
  /** Name before the brackets → unit → position. */
  withUnit: Map<string, Map<string, number>>;
}

const UNIT_IN_BRACKETS = /^(.+?) ?\(([^()]+)\)$/;

function indexCells(cells: readonly string[]): HeaderIndex {
  const index: HeaderIndex = { names: new Map(), withUnit: new Map() };
  cells.forEach((cell, i) => {
    const key = normalizeHeaderName(cell);
    if (!key) return;
    if (!index.names.has(key)) index.names.set(key, i);
    const unit = UNIT_IN_BRACKETS.exec(key);
    if (!unit) return;
    const [, name = "", symbol = ""] = unit;
    const units = index.withUnit.get(name) ?? new Map<string, number>();
    if (!units.has(symbol)) units.set(symbol, i);
    index.withUnit.set(name, units);
  });
  return index;
}

/** The position of `name`, or of `name (unit)` when the field is read in that unit. */
function findColumn(index: HeaderIndex, name: string, units: readonly string[] | undefined): number | undefined {
  const key = normalizeHeaderName(name);
  const exact = index.names.get(key);
  if (exact !== undefined || units === undefined) return exact;
  const withUnit = index.withUnit.get(key);
  for (const unit of units) {
    const found = withUnit?.get(normalizeHeaderName(unit));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Matches a header row against one mapping; undefined when it is not that format. */
export function matchHeader(cells: readonly string[], map: ColumnMap): HeaderMatch | undefined {
  const positions = indexCells(cells);
  const indexes: Partial<Record<ColumnField, number>> = {};
  let matched = 0;
  for (const field of COLUMN_FIELDS) {
    for (const name of map.columns[field] ?? []) {
      const index = findColumn(positions, name, map.units[field]);
      if (index !== undefined) {
        indexes[field] = index;
        matched++;
        break;
      }
    }
  }
  if (matched < map.minColumns || map.required.some((field) => indexes[field] === undefined)) return undefined;
  return { mapping: map.name, indexes, matched };
}

/** The mapping that recognises most header cells (the first on a tie), if any does. */
export function bestHeaderMatch(cells: readonly string[], maps: readonly ColumnMap[]): HeaderMatch | undefined {
  let best: HeaderMatch | undefined;
  for (const map of maps) {
    const match = matchHeader(cells, map);
    if (match && (!best || match.matched > best.matched)) best = match;
  }
  return best;
}

/** The header after applying a config mapping: which fields it names that the header lacks. */
export interface ConfiguredHeader {
  match: HeaderMatch | undefined;
  /** Config entries that cannot apply, each as a message: a header name not in the row, an unknown field. */
  missing: string[];
}

/**
 * Resolves the header with the config mapping on top of the best built-in one: config entries win
 * field by field, built-in names fill the rest. Without a title column there is no match.
 */
export function resolveHeader(
  cells: readonly string[],
  maps: readonly ColumnMap[],
  configColumns: ColumnMapping | undefined,
): ConfiguredHeader {
  const builtIn = bestHeaderMatch(cells, maps);
  if (!configColumns || Object.keys(configColumns).length === 0) return { match: builtIn, missing: [] };
  const positions = indexCells(cells);
  const indexes: Partial<Record<ColumnField, number>> = { ...builtIn?.indexes };
  const missing: string[] = [];
  for (const [field, name] of Object.entries(configColumns)) {
    if (name === undefined) continue;
    if (!isColumnField(field)) {
      missing.push(
        `the configured column mapping names "${field}", which is not a listing field (${COLUMN_FIELDS.join(", ")}); it is ignored`,
      );
      continue;
    }
    const index = positions.names.get(normalizeHeaderName(name));
    if (index === undefined)
      missing.push(`the header has no column "${name}" for the configured mapping of ${field}; that field is left out`);
    else indexes[field] = index;
  }
  if (indexes.title === undefined) return { match: undefined, missing };
  const mapping = builtIn ? `config+${builtIn.mapping}` : "config";
  return { match: { mapping, indexes, matched: Object.keys(indexes).length }, missing };
}

export function isColumnField(key: string): key is ColumnField {
  return (COLUMN_FIELDS as readonly string[]).includes(key);
}
