import { z } from "zod";
import type { FeeRow, FreeWhenRow, RegionCatalogue, RegionCode, ServiceTable, ShippingTemplate } from "../model.js";
import { describeUnknownRegion, splitAreaItem } from "../regions/area-input.js";
import { FEE_RANGE, FIRST_UNITS_RANGE, NEXT_UNITS_RANGE, PRICE_RANGE, QUANTITY_RANGE } from "../util/number-limits.js";
import { bilingual, formatKeyPath, type LocatedError } from "../util/result.js";
import { errorAt, locateIssue as locateSchemaIssue, type LocatedDocument } from "../util/yaml-document.js";
import { nameRegion, resolveArea, type ResolvedArea } from "./area-terms.js";
import { createAreaRow, createDefaultRow, createFreeDefault } from "./fee-rows.js";
import { isRecord } from "../util/is-record.js";
import { withinRange } from "./number-schema.js";

/** What a template file yields when it is valid: templates plus warnings that did not stop it. */
export interface ParsedTemplates {
  templates: ShippingTemplate[];
  warnings: LocatedError[];
}

type Path = readonly PropertyKey[];

const areaTerm = z.union([z.string().trim().min(1), z.number()], {
  error: "must be a region name, alias, group or code",
});
const areaList = z.array(areaTerm).min(1, "must name at least one region");
const money = withinRange(z.number().min(0, "must not be negative"), FEE_RANGE);

const schedule = {
  first: withinRange(z.number().min(0, "must not be negative"), FIRST_UNITS_RANGE).default(1),
  firstFee: money,
  next: withinRange(z.number().gt(0, "must be greater than 0"), NEXT_UNITS_RANGE).default(1),
  nextFee: money.default(0),
};

const templateSchema = z.strictObject({
  id: z.union([z.string().trim().min(1), z.number().int()], { error: "must be a non-empty string" }).transform(String),
  name: z.string().optional(),
  payer: z.enum(["buyer", "seller"]).default("buyer"),
  valuation: z.enum(["piece", "weight", "volume"]).default("piece"),
  default: z.strictObject(schedule).optional(),
  regions: z.array(z.strictObject({ areas: areaList, ...schedule })).optional(),
  freeWhen: z
    .array(
      z.strictObject({
        areas: areaList,
        minQuantity: withinRange(z.number().gt(0, "must be greater than 0"), QUANTITY_RANGE).optional(),
        minAmount: withinRange(z.number().gt(0, "must be greater than 0"), PRICE_RANGE).optional(),
      }),
    )
    .optional(),
  noDelivery: z.array(areaTerm).optional(),
  shipFrom: areaTerm.optional(),
});

/** Our template file (docs/templates.md#our-format): `templates: [...]`. `$schema` is allowed for editor support. */
export const templateFileSchema = z.strictObject({
  $schema: z.string().optional(),
  templates: z.array(templateSchema),
});

type TemplateInput = z.output<typeof templateSchema>;

/**
 * Validates and converts a file in our format. The schema checks shapes; the checks that need the region
 * catalogue or several keys at once run on the raw document too, so one run reports every mistake.
 */
export function parseNativeTemplates(
  doc: LocatedDocument,
  regions: RegionCatalogue,
): { ok: true; value: ParsedTemplates } | { ok: false; errors: LocatedError[] } {
  const shaped = templateFileSchema.safeParse(doc.value);
  const checked = checkTemplates(doc, regions);
  const errors = [
    ...(shaped.success ? [] : shaped.error.issues.flatMap((issue) => locateIssue(doc, issue))),
    ...checked.errors,
  ];
  if (!shaped.success || errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  const templates = shaped.data.templates.map((input, index) =>
    buildTemplate(input, ["templates", index], doc, regions),
  );
  return { ok: true, value: { templates, warnings: checked.warnings } };
}

/** Like validateDocument, but a misspelt key is reported at its own line and key. */
function locateIssue(doc: LocatedDocument, issue: z.core.$ZodIssue): LocatedError[] {
  if (issue.code === "unrecognized_keys")
    return issue.keys.map((key) => errorAt(doc, [...issue.path, key], bilingual("未知的键", "unknown key")));
  return [locateSchemaIssue(doc, issue)];
}

// ─── Checks on the raw document ─────────────────────────────────────────────

interface Listed {
  path: Path;
  line: number | undefined;
  /** The term that listed it: a group word (港澳台) when `codes` held more than this region. */
  term: string;
  group: boolean;
}

function checkTemplates(
  doc: LocatedDocument,
  regions: RegionCatalogue,
): { errors: LocatedError[]; warnings: LocatedError[] } {
  const errors: LocatedError[] = [];
  const warnings: LocatedError[] = [];
  const root = doc.value;
  if (!isRecord(root) || !Array.isArray(root.templates)) return { errors, warnings };
  root.templates.forEach((raw, index) => {
    if (isRecord(raw)) checkTemplate(raw, ["templates", index], doc, regions, errors, warnings);
  });
  return { errors, warnings };
}

function checkTemplate(
  raw: Record<string, unknown>,
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
  errors: LocatedError[],
  warnings: LocatedError[],
): void {
  const seller = raw.payer === "seller";
  if ((raw.payer === undefined || raw.payer === "buyer") && raw.default === undefined) {
    errors.push(
      errorAt(
        doc,
        [...path, "default"],
        bilingual("买家承担运费（payer: buyer）时必须写 default（默认运费）", "required when payer is buyer"),
      ),
    );
  }
  if (seller) {
    for (const key of ["default", "regions", "freeWhen"]) {
      if (raw[key] !== undefined)
        errors.push(
          errorAt(
            doc,
            [...path, key],
            bilingual(
              "卖家承担运费（payer: seller）时不能写：卖家包邮的模板在配送到的地方都免运费",
              "not allowed when payer is seller: a seller-pays template is free wherever it delivers",
            ),
          ),
        );
    }
  }
  const listed = new Map<string, Listed>();
  const noteListed = (area: ResolvedArea, at: Path) => {
    const keys = area.partial ? [area.term] : area.codes;
    for (const key of keys) {
      const line = doc.lineOf(at);
      const earlier = listed.get(key);
      if (earlier) {
        const name = area.partial ? key : nameRegion(key, regions);
        errors.push(
          locate(doc, at, describeListedTwice(name, { term: area.term, group: area.codes.length > 1 }, earlier)),
        );
      } else {
        listed.set(key, { path: at.slice(0, -1), line, term: area.term, group: area.codes.length > 1 });
      }
    }
  };
  forEachRecord(raw.regions, [...path, "regions"], (row, rowPath) => {
    forEachArea(row.areas, [...rowPath, "areas"], doc, regions, errors, noteListed);
  });
  forEachArea(raw.noDelivery, [...path, "noDelivery"], doc, regions, errors, noteListed);
  forEachRecord(raw.freeWhen, [...path, "freeWhen"], (row, rowPath) => {
    if (row.minQuantity === undefined && row.minAmount === undefined) {
      errors.push(
        errorAt(
          doc,
          rowPath,
          bilingual(
            "需要 minQuantity 或 minAmount（同一行写两个表示两者都要满足）",
            "needs minQuantity or minAmount (two keys in one row means both)",
          ),
        ),
      );
    }
    forEachArea(row.areas, [...rowPath, "areas"], doc, regions, errors, (area, at) => {
      if (area.partial) {
        const province = nameRegion(area.codes[0] ?? "", regions);
        warnings.push(
          locate(
            doc,
            at,
            bilingual(
              `"${area.term}" 只是 ${province} 的一部分：只有写出整个省，才算该省包邮`,
              `"${area.term}" is only part of ${province}: a province counts as free only when the whole of it is named`,
            ),
          ),
        );
      }
    });
  });
  if (typeof raw.shipFrom === "string" || typeof raw.shipFrom === "number") {
    const area = resolveArea(String(raw.shipFrom), regions);
    if (!area)
      errors.push(errorAt(doc, [...path, "shipFrom"], describeUnknownRegion(String(raw.shipFrom).trim(), regions)));
    else if (area.codes.length !== 1) {
      errors.push(
        errorAt(
          doc,
          [...path, "shipFrom"],
          bilingual(
            `只能写一个省，"${area.term}" 包含 ${area.codes.length} 个`,
            `must name one province, "${area.term}" names ${area.codes.length}`,
          ),
        ),
      );
    }
  }
}

function forEachRecord(list: unknown, path: Path, visit: (row: Record<string, unknown>, rowPath: Path) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((row, index) => {
    if (isRecord(row)) visit(row, [...path, index]);
  });
}

/** Resolves every well-formed term of an area list; an unknown one is an error keyed by the list. */
function forEachArea(
  list: unknown,
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
  errors: LocatedError[],
  visit: (area: ResolvedArea, at: Path) => void,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((term, index) => {
    if (typeof term !== "string" && typeof term !== "number") return;
    const at = [...path, index];
    for (const text of splitAreaItem(String(term), regions)) {
      if (text === "") continue;
      const area = resolveArea(text, regions);
      if (area) visit(area, at);
      else errors.push(locate(doc, at, describeUnknownRegion(text, regions)));
    }
  });
}

/** A region listed twice, saying which group already holds it when a group word listed it. */
function describeListedTwice(
  name: string,
  now: { term: string; group: boolean },
  earlier: Listed,
): { message: string; zh: string } {
  const where = formatKeyPath(earlier.path);
  const whereEn = earlier.line === undefined ? where : `${where}, line ${earlier.line}`;
  const whereZh = earlier.line === undefined ? where : `${where}，第 ${earlier.line} 行`;
  if (earlier.group) {
    return bilingual(
      `地区 "${name}" 重复：前面的 "${earlier.term}"（${whereZh}）已经包含它，请删掉其中一处`,
      `region "${name}" is listed twice in this template: "${earlier.term}" (${whereEn}) already holds it`,
    );
  }
  if (now.group) {
    return bilingual(
      `地区 "${name}" 重复："${now.term}" 包含的 "${name}" 已在 ${whereZh} 写过，请删掉其中一处`,
      `region "${name}" is listed twice in this template: "${now.term}" holds it, and it is already listed at ${whereEn}`,
    );
  }
  return bilingual(
    `地区 "${name}" 在本模板中写了两次（另见 ${whereZh}）`,
    `region "${name}" is listed twice in this template (also ${whereEn})`,
  );
}

/** An error on one element of an area list: the line of the element, the key of the list. */
function locate(doc: LocatedDocument, at: Path, message: string | { message: string; zh: string }): LocatedError {
  const line = doc.lineOf(at);
  return {
    file: doc.file,
    ...(line === undefined ? {} : { line }),
    key: formatKeyPath(at.slice(0, -1)),
    ...(typeof message === "string" ? { message } : message),
  };
}

function sortErrors(errors: LocatedError[]): LocatedError[] {
  return [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

// ─── Conversion to the shared model ─────────────────────────────────────────

function buildTemplate(
  input: TemplateInput,
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
): ShippingTemplate {
  const line = doc.lineOf(path);
  const service: ServiceTable =
    input.payer === "seller" || input.default === undefined
      ? { service: "default", default: createFreeDefault(regions, line), rows: [] }
      : {
          service: "default",
          default: createDefaultRow(input.default, regions, doc.lineOf([...path, "default"])),
          rows: (input.regions ?? []).map((row, index) => buildFeeRow(row, [...path, "regions", index], doc, regions)),
        };
  const shipFrom = input.shipFrom === undefined ? undefined : resolveArea(String(input.shipFrom), regions)?.codes[0];
  return {
    id: input.id,
    ...(input.name === undefined ? {} : { name: input.name }),
    payer: input.payer,
    valuation: input.valuation,
    services: [service],
    freeWhen: (input.freeWhen ?? []).map((row, index) =>
      buildFreeWhenRow(row, [...path, "freeWhen", index], doc, regions),
    ),
    noDelivery: resolveWhole(input.noDelivery ?? [], regions, true),
    ...(shipFrom === undefined ? {} : { shipFrom }),
    conditionsExpressible: true,
    format: "listing-auditor",
    source: { file: doc.file, ...(line === undefined ? {} : { line }) },
  };
}

function buildFeeRow(
  row: { areas: Array<string | number>; first: number; firstFee: number; next: number; nextFee: number },
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
): FeeRow {
  const areas = row.areas
    .flatMap((term) => splitAreaItem(String(term), regions))
    .map((term) => resolveArea(term, regions))
    .filter((a): a is ResolvedArea => a !== undefined);
  return createAreaRow(row, areas, regions, doc.lineOf(path));
}

function buildFreeWhenRow(
  row: { areas: Array<string | number>; minQuantity?: number | undefined; minAmount?: number | undefined },
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
): FreeWhenRow {
  return {
    areas: resolveWhole(row.areas, regions, false),
    ...(row.minQuantity === undefined ? {} : { minQuantity: row.minQuantity }),
    ...(row.minAmount === undefined ? {} : { minAmount: row.minAmount }),
    origin: "template",
    ...lineAt(doc, path),
  };
}

/** Region codes of an area list; sub-province terms count for their province only when `withPartial`. */
function resolveWhole(
  terms: ReadonlyArray<string | number>,
  regions: RegionCatalogue,
  withPartial: boolean,
): RegionCode[] {
  const codes = terms
    .flatMap((term) => splitAreaItem(String(term), regions))
    .map((term) => resolveArea(term, regions))
    .filter((a): a is ResolvedArea => a !== undefined && (withPartial || !a.partial))
    .flatMap((a) => a.codes);
  return [...new Set(codes)].sort();
}

function lineAt(doc: LocatedDocument, path: Path): { line?: number } {
  const line = doc.lineOf(path);
  return line === undefined ? {} : { line };
}
