import { z } from "zod";
import type {
  FeeRow,
  FeeSchedule,
  RegionCatalogue,
  RegionCode,
  ServiceTable,
  ShippingTemplate,
  Valuation,
} from "../model.js";
import type { LocatedError, Result } from "../util/result.js";
import { errorAt, validateDocument, type LocatedDocument } from "../util/yaml-document.js";
import { resolveArea, type ResolvedArea } from "./area-terms.js";
import { createAreaRow, createDefaultRow, createFreeDefault } from "./fee-rows.js";
import { isRecord } from "../util/is-record.js";
import { withinRange } from "./number-schema.js";
import { FEE_RANGE, FIRST_UNITS_RANGE, NEXT_UNITS_RANGE } from "../util/number-limits.js";
import type { ParsedTemplates } from "./native-templates.js";

type Path = readonly PropertyKey[];

/** Response roots of taobao.delivery.template.get and taobao.delivery.templates.get. */
const RESPONSE_ROOTS = ["delivery_template_get_response", "delivery_templates_get_response"] as const;
/** `1` in a destination list is the default row: every region the other rows do not name. */
const DEFAULT_DESTINATION = "1";
/** assumer: 0/1 the buyer pays the fees below, 2 (Taobao) / 3 (Tmall) the seller pays. */
const SELLER_ASSUMERS = new Set([2, 3]);
const VALUATIONS: ReadonlyMap<number, Valuation> = new Map([
  [0, "piece"],
  [1, "weight"],
  [3, "volume"],
]);

/** TOP writes numbers as strings ("20.00"); both are accepted. */
const numeric = z
  .union(
    [
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/, "must be a number"),
    ],
    { error: "must be a number" },
  )
  .transform(Number);

const topFeeSchema = z.looseObject({
  service_type: z.string().trim().min(1),
  destination: z.union([z.string(), z.number()]).transform(String),
  start_standard: numeric.pipe(withinRange(z.number().min(0, "must not be negative"), FIRST_UNITS_RANGE)),
  start_fee: numeric.pipe(withinRange(z.number().min(0, "must not be negative"), FEE_RANGE)),
  add_standard: numeric.pipe(withinRange(z.number().gt(0, "must be greater than 0"), NEXT_UNITS_RANGE)),
  add_fee: numeric.pipe(withinRange(z.number().min(0, "must not be negative"), FEE_RANGE)),
});

const topTemplateSchema = z.looseObject({
  template_id: z.union([z.number().int(), z.string().trim().min(1)]).transform(String),
  name: z.string().optional(),
  assumer: numeric.pipe(
    z
      .number()
      .refine((n) => n >= 0 && n <= 3 && Number.isInteger(n), "must be 0, 1 (buyer pays), 2 or 3 (seller pays)"),
  ),
  valuation: numeric
    .pipe(z.number().refine((n) => VALUATIONS.has(n), "must be 0 (piece), 1 (weight) or 3 (volume)"))
    .optional(),
  consign_area_id: z.union([z.number(), z.string()]).transform(String).optional(),
});

type TopFee = z.output<typeof topFeeSchema>;

/** True when the parsed value looks like a Taobao Open Platform delivery template response or template(s). */
export function isTopDocument(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((item) => isRecord(item) && "template_id" in item);
  if (!isRecord(value)) return false;
  return (
    RESPONSE_ROOTS.some((root) => root in value) ||
    "delivery_templates" in value ||
    "delivery_template" in value ||
    "template_id" in value
  );
}

/**
 * Converts TOP delivery templates. Unknown area ids and services without a default row are warnings:
 * the data comes from the platform as it is, and the regions concerned stay unknown rather than guessed.
 */
export function parseTopTemplates(doc: LocatedDocument, regions: RegionCatalogue): Result<ParsedTemplates> {
  const errors: LocatedError[] = [];
  const warnings: LocatedError[] = [];
  const templates: ShippingTemplate[] = [];
  for (const { path, value } of locateTemplates(doc.value)) {
    const header = validateDocument({ ...doc, value }, topTemplateSchema, path);
    const fees = listFees(isRecord(value) ? value.fee_list : undefined, [...path, "fee_list"]).map((fee) => ({
      path: fee.path,
      parsed: validateDocument({ ...doc, value: fee.value }, topFeeSchema, fee.path),
    }));
    if (!header.ok) for (const error of header.errors) errors.push(error);
    for (const fee of fees) if (!fee.parsed.ok) for (const error of fee.parsed.errors) errors.push(error);
    if (!header.ok) continue;
    const valid = fees.flatMap((fee) => (fee.parsed.ok ? [{ path: fee.path, fee: fee.parsed.value }] : []));
    templates.push(buildTemplate(header.value, path, valid, doc, regions, warnings));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { templates, warnings } };
}

interface Located {
  path: Path;
  value: unknown;
}

function locateTemplates(root: unknown): Located[] {
  if (!isRecord(root)) return listItems(root, [], "delivery_template");
  const responseRoot = RESPONSE_ROOTS.find((key) => key in root);
  const response = responseRoot === undefined ? root : root[responseRoot];
  const base: Path = responseRoot === undefined ? [] : [responseRoot];
  if (!isRecord(response)) return [];
  if ("template_id" in response) return [{ path: base, value: response }];
  for (const key of ["delivery_templates", "delivery_template"]) {
    if (key in response) return listItems(response[key], [...base, key], "delivery_template");
  }
  return [];
}

/** A TOP list: an array, an object wrapping it under `wrapper` (nested form), or one bare item. */
function listItems(node: unknown, path: Path, wrapper: string): Located[] {
  if (Array.isArray(node)) return node.map((value, index) => ({ path: [...path, index], value }));
  if (isRecord(node) && wrapper in node) return listItems(node[wrapper], [...path, wrapper], wrapper);
  return node === undefined || node === null ? [] : [{ path, value: node }];
}

function listFees(node: unknown, path: Path): Located[] {
  return listItems(node, path, "top_fee");
}

function buildTemplate(
  header: z.output<typeof topTemplateSchema>,
  path: Path,
  fees: ReadonlyArray<{ path: Path; fee: TopFee }>,
  doc: LocatedDocument,
  regions: RegionCatalogue,
  warnings: LocatedError[],
): ShippingTemplate {
  const line = doc.lineOf(path);
  const seller = SELLER_ASSUMERS.has(header.assumer);
  const shipFrom = resolveShipFrom(header.consign_area_id, [...path, "consign_area_id"], doc, regions, warnings);
  return {
    id: header.template_id,
    ...(header.name === undefined ? {} : { name: header.name }),
    payer: seller ? "seller" : "buyer",
    valuation: VALUATIONS.get(header.valuation ?? 0) ?? "piece",
    services: seller
      ? [{ service: "default", default: createFreeDefault(regions, line), rows: [] }]
      : buildServices(fees, [...path, "fee_list"], doc, regions, warnings),
    freeWhen: [],
    noDelivery: [],
    ...(shipFrom === undefined ? {} : { shipFrom }),
    conditionsExpressible: false,
    format: "taobao-top",
    source: { file: doc.file, ...(line === undefined ? {} : { line }) },
  };
}

function resolveShipFrom(
  id: string | undefined,
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
  warnings: LocatedError[],
): RegionCode | undefined {
  if (id === undefined || id.trim() === "" || id.trim() === "0") return undefined;
  const area = resolveArea(id, regions);
  if (area?.codes.length === 1) return area.codes[0];
  warnings.push(errorAt(doc, path, `unknown area id "${id.trim()}": ship-from province unknown`));
  return undefined;
}

function buildServices(
  fees: ReadonlyArray<{ path: Path; fee: TopFee }>,
  path: Path,
  doc: LocatedDocument,
  regions: RegionCatalogue,
  warnings: LocatedError[],
): ServiceTable[] {
  const services = new Map<string, ServiceTable>();
  for (const { path: feePath, fee } of fees) {
    const name = fee.service_type.toLowerCase();
    const service = services.get(name) ?? { service: name, rows: [] };
    services.set(name, service);
    const schedule: FeeSchedule = {
      first: fee.start_standard,
      firstFee: fee.start_fee,
      next: fee.add_standard,
      nextFee: fee.add_fee,
    };
    const line = doc.lineOf(feePath);
    const areas: ResolvedArea[] = [];
    let isDefault = false;
    for (const id of fee.destination
      .split(/[,|]/)
      .map((s) => s.trim())
      .filter((s) => s !== "")) {
      if (id === DEFAULT_DESTINATION) {
        isDefault = true;
        continue;
      }
      const area = resolveArea(id, regions);
      if (area) areas.push(area);
      else warnings.push(errorAt(doc, [...feePath, "destination"], `unknown area id "${id}": ignored`));
    }
    if (isDefault)
      setDefault(service, createDefaultRow(schedule, regions, line), [...feePath, "destination"], doc, warnings);
    if (areas.length > 0) service.rows.push(createAreaRow(schedule, areas, regions, line));
  }
  if (fees.length === 0) warnings.push(errorAt(doc, path, "no fee rows: every region is unknown for this template"));
  for (const service of services.values()) {
    if (!service.default) {
      warnings.push(
        errorAt(
          doc,
          path,
          `service "${service.service}" has no default row (destination 1): the regions it does not name are unknown for it`,
        ),
      );
    }
  }
  return [...services.values()];
}

/** Two default rows for one service: the higher fee wins, as for a region listed twice. */
function setDefault(
  service: ServiceTable,
  row: FeeRow,
  path: Path,
  doc: LocatedDocument,
  warnings: LocatedError[],
): void {
  const current = service.default;
  if (current) {
    warnings.push(errorAt(doc, path, `service "${service.service}" has a second default row: the higher fee applies`));
    if (current.firstFee > row.firstFee || (current.firstFee === row.firstFee && current.nextFee >= row.nextFee))
      return;
  }
  service.default = row;
}
