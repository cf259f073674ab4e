import type { Finding, ListingResult } from "../../model.js";
import { safeLinkUrl } from "../escape-html.js";
import { findClaimContext, findingStatus, formatField, formatLocation, formatYuan } from "../finding-display.js";
import type { ReportLabels } from "../report-labels.js";
import { foldRegions, type RegionSets } from "./region-fold.js";

/** Distinct strings a run may put in the string table; later ones are written inline. */
const TABLE_LIMIT = 20_000;
/** Longer strings are written inline: they are rarely repeated and would only hold memory. */
const TABLE_STRING_LIMIT = 200;

/** A string, or its index in the page's string table. */
export type Text = string | number;

/**
 * Repeated words (rule ids, region names, fees, messages, fixes) are written once in a table and
 * referred to by index. The table is bounded, so a run of unique strings costs no more memory than
 * its first {@link TABLE_LIMIT}.
 */
export class StringTable {
  private readonly indexes = new Map<string, number>();
  readonly strings: string[] = [];

  ref(text: string): Text {
    const known = this.indexes.get(text);
    if (known !== undefined) return known;
    if (this.strings.length >= TABLE_LIMIT || text.length > TABLE_STRING_LIMIT) return text;
    this.indexes.set(text, this.strings.length);
    this.strings.push(text);
    return this.strings.length - 1;
  }
}

const SEVERITY_CODES = { error: 0, warning: 1, info: 2 } as const;
const STATUS_CODES = { new: 1, baselined: 2 } as const;

/**
 * One listing with findings as the page's script reads it (docs/formats.md, html):
 * `[id, title, location, link|null, findings]`, each finding
 * `[severity, rule, status, field|null, before, claim|null, after, template|null, folded|null, feeRange|null,
 * regions, message, fix, location|null]` and each region `[name, fee|null, quantity|null]`.
 */
export function encodeListing(
  result: ListingResult,
  table: StringTable,
  labels: ReportLabels,
  regionSets: RegionSets | undefined,
): unknown[] {
  const first = result.findings[0];
  const where = first === undefined ? "" : formatLocation(first.source);
  const url =
    first?.source.file === undefined && first?.source.url !== undefined ? safeLinkUrl(first.source.url) : undefined;
  const findings = result.findings.map((finding) => encodeFinding(finding, result, where, table, labels, regionSets));
  return [result.record.listing.id, result.record.listing.title, where, url ?? null, findings];
}

function encodeFinding(
  finding: Finding,
  result: ListingResult,
  listingWhere: string,
  table: StringTable,
  labels: ReportLabels,
  regionSets: RegionSets | undefined,
): unknown[] {
  const mark = findingStatus(finding);
  const claim = finding.claim;
  const context = claim === null ? undefined : findClaimContext(result.record, claim);
  const regions = finding.regions.map((r) => [
    table.ref(r.name),
    r.fee === null ? null : table.ref(`¥${formatYuan(r.fee)}`),
    r.quantity !== undefined && r.quantity !== null && r.quantity > 1 ? table.ref(labels.atQuantity(r.quantity)) : null,
  ]);
  const folded = foldRegions(finding.regions, regionSets, labels.html);
  const where = formatLocation(finding.source);
  return [
    SEVERITY_CODES[finding.severity],
    table.ref(finding.ruleId),
    mark === undefined ? 0 : STATUS_CODES[mark],
    claim === null ? null : table.ref(formatField(claim, labels)),
    context?.before ?? "",
    claim === null ? null : (context?.claim ?? claim.text),
    context?.after ?? "",
    finding.templateId === null ? null : table.ref(finding.templateId),
    folded === undefined ? null : table.ref(folded),
    folded === undefined ? null : feeRange(finding, table),
    regions,
    table.ref(finding.message),
    table.ref(finding.fix),
    where === listingWhere ? null : where,
  ];
}

/** 「¥10」 or 「¥8–¥20」: what a folded list's regions pay. */
function feeRange(finding: Finding, table: StringTable): Text | null {
  const fees = finding.regions.flatMap((r) => (r.fee === null ? [] : [r.fee]));
  if (fees.length === 0) return null;
  const low = Math.min(...fees);
  const high = Math.max(...fees);
  return table.ref(low === high ? `¥${formatYuan(low)}` : `¥${formatYuan(low)}–¥${formatYuan(high)}`);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as `\u` escapes,
 * so listing text can never close the block or open a comment, whatever it contains.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
